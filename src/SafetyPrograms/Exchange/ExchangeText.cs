using System.Globalization;
using System.Text;
using System.Xml;
using NodaTime;
using NodaTime.Text;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Exchange;

/// <summary>How exports write dates, numbers, periods and XML: one place for every format's text.</summary>
internal static class ExchangeText
{
    internal static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    internal static string Timestamp(Instant instant) => InstantPattern.General.Format(instant);

    /// <summary>A decimal without exponent or trailing zeros, invariant: <c>1800</c>, <c>62.5</c>.</summary>
    internal static string Number(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    internal static decimal? ParseNumber(string? text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    internal static LocalDate? ParseDate(string? text) => text is not null && LocalDatePattern.Iso.Parse(text) is { Success: true } r ? r.Value : null;

    /// <summary>
    /// A period as an ISO 8601 start and duration (ADX and SDMX time ranges): whole years (<c>2025-07-01/P1Y</c>, a fiscal
    /// year), whole months (<c>P1M</c>, <c>P3M</c>), whole weeks from a Monday (<c>P7D</c>), otherwise days.
    /// </summary>
    internal static string Duration(DateInterval period)
    {
        var start = period.Start;
        var next = period.End.PlusDays(1);
        var months = (next.Year - start.Year) * 12 + next.Month - start.Month;
        if (months > 0 && start.PlusMonths(months) == next && start.Day == next.Day)
        {
            return months % 12 == 0 ? $"{Date(start)}/P{months / 12}Y" : $"{Date(start)}/P{months}M";
        }
        return $"{Date(start)}/P{Period.Between(start, next, PeriodUnits.Days).Days}D";
    }

    /// <summary>Reads <see cref="Duration"/>'s text back into the period; <c>null</c> when it is not a start and a duration in years, months, weeks or days.</summary>
    internal static DateInterval? ParseDuration(string? text)
    {
        var slash = text?.IndexOf("/P", StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0 || ParseDate(text[..slash]) is not { } start || text.Length < slash + 4)
        {
            return null;
        }
        if (!int.TryParse(text.AsSpan(slash + 2, text.Length - slash - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 100_000)
        {
            return null;
        }
        LocalDate next;
        try
        {
            next = text[^1] switch
            {
                'Y' => start.PlusYears(n),
                'M' => start.PlusMonths(n),
                'W' => start.PlusWeeks(n),
                'D' => start.PlusDays(n),
                _ => start,
            };
        }
        catch (OverflowException)
        {
            return null;
        }
        return next > start ? new DateInterval(start, next.PlusDays(-1)) : null;
    }

    internal static XmlWriter Xml(Stream output) => XmlWriter.Create(output, new XmlWriterSettings
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        CloseOutput = false,
    });

    internal static XmlReader XmlInput(Stream input) => XmlReader.Create(input, new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    });

    /// <summary>The name a province has in words, from the ISO 3166-2 list the library knows; the code when it is not on it.</summary>
    internal static string ProvinceName(string code) =>
        SubdivisionCode.IsValid(code) && Subdivisions.Find(new SubdivisionCode(code)) is { } subdivision ? subdivision.Name : code;
}
