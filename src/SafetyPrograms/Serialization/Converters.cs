using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;
using SafetyPrograms.Domain;

using SafetyPrograms.Utility;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The base of our converters: whatever goes wrong while reading a value becomes a <see cref="JsonException"/>,
/// which System.Text.Json then stamps with the path, line and position. A converter that finds an impossible value
/// inside an object it reads (an end before its start) names the member with <see cref="WithMember"/>.
/// </summary>
internal abstract class SafeConverter<T> : JsonConverter<T>, IBoxedConverter
{
    public object? ReadBoxed(ref Utf8JsonReader reader, JsonSerializerOptions options) => Read(ref reader, typeof(T), options);

    public string Expected => (Describe[0] is 'a' or 'e' or 'i' or 'o' or 'u' or 'A' or 'E' or 'I' or 'O' or 'U' ? "an " : "a ") + Describe;

    public sealed override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw JsonErrors.Problem(DataFormatProblemKind.WrongType, $"null is not a valid {Describe}.", $"Write a {Describe} here; null is not allowed.");
        }
        try
        {
            return ReadValue(ref reader, options);
        }
        catch (ArgumentException ex)
        {
            throw JsonErrors.Problem(DataFormatProblemKind.RefusedValue, Preconditions.ReasonOf(ex), Fix, ex);
        }
        catch (InvalidOperationException ex)
        {
            // GetString and CopyString throw it for a string that is not valid UTF-8.
            throw JsonErrors.Problem(DataFormatProblemKind.Unreadable, JsonContractReader.UndecodableText, JsonContractReader.UndecodableFix, ex);
        }
        catch (FormatException ex)
        {
            throw JsonErrors.Problem(DataFormatProblemKind.RefusedValue, ex.Message, Fix, ex);
        }
    }

    /// <summary>What to write instead of a value the type refuses, such as <c>Write two upper-case letters, such as PK.</c></summary>
    protected virtual string Fix => $"Write a valid {Describe} here.";

    /// <summary>What the value is, for messages ("ISO date").</summary>
    protected abstract string Describe { get; }

    protected abstract T ReadValue(ref Utf8JsonReader reader, JsonSerializerOptions options);

    protected static JsonException WithMember(JsonException exception, string member)
    {
        exception.Data[JsonErrors.MemberKey] = member;
        return exception;
    }

    protected string ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw JsonErrors.Problem(
                DataFormatProblemKind.WrongType,
                $"Expected a string ({Describe}) but found {Token(reader.TokenType)}.",
                $"Write the {Describe} as a string in double quotes.");

    protected static string Token(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.String => "a string",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };
}

/// <summary>A converter <see cref="JsonContractReader"/> calls without knowing the type it reads.</summary>
internal interface IBoxedConverter
{
    /// <summary>Reads the value at the reader's current token, boxed.</summary>
    object? ReadBoxed(ref Utf8JsonReader reader, JsonSerializerOptions options);

    /// <summary>What the value is, with its article, for messages ("an ISO date (yyyy-MM-dd)").</summary>
    string Expected { get; }
}

/// <summary>
/// A converter of a value written as a string, or as an object when it carries more (a school-terms grouping with
/// its calendar). <see cref="JsonContractReader"/> reads the object form as it reads any contract type, strictly and
/// with paths and lines inside it, then asks the converter for the value.
/// </summary>
internal interface IObjectFormConverter : IBoxedConverter
{
    /// <summary>The contract type of the object form.</summary>
    Type ObjectForm { get; }

    /// <summary>The value an object form read by the contract stands for.</summary>
    object FromObjectForm(object form);
}

/// <summary>
/// An argument a constructor refuses at a place inside one of its parameters (<c>groups[3].key[0]</c> inside
/// <c>groups</c>), so that <see cref="JsonContractReader"/> names that place, not the whole parameter.
/// </summary>
internal sealed class NestedArgumentException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="paramName">The parameter.</param>
    /// <param name="below">The path inside the parameter's value.</param>
    internal NestedArgumentException(string message, string paramName, params JsonPathSegment[] below)
        : base(message, paramName)
    {
        Below = below;
        Preconditions.WithReason(this, message);
    }

    /// <summary>The path inside the parameter's value.</summary>
    internal IReadOnlyList<JsonPathSegment> Below { get; }
}

/// <summary>A value written as one JSON string and checked by the domain type's own rule.</summary>
internal abstract class StringValueConverter<T> : SafeConverter<T>
{
    protected sealed override T ReadValue(ref Utf8JsonReader reader, JsonSerializerOptions options) => Parse(ReadString(ref reader));

    public sealed override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));

    protected abstract T Parse(string text);

    protected abstract string Format(T value);
}

/// <summary>ISO calendar dates as <c>uuuu-MM-dd</c>, through NodaTime's own pattern.</summary>
/// <remarks>
/// Not NodaTime.Serialization.SystemTextJson 1.4.0's converters (tried): every failure there reads "The JSON value could not
/// be converted to NodaTime.LocalDate", with the reason only in an inner exception (a number and null give .NET's
/// InvalidOperationException and ArgumentNullException texts), and its DateInterval converter accepts unknown members
/// and repeated ones (the last wins) and refuses an end before the start for the whole object, not at <c>end</c>; nor
/// does it know our <see cref="DatePeriod"/>. Ours are as small and keep the file's terms, path and line.
/// </remarks>
internal sealed class LocalDateConverter : StringValueConverter<LocalDate>
{
    protected override string Describe => "ISO date (yyyy-MM-dd)";

    internal static LocalDate ParseDate(string text)
    {
        var result = LocalDatePattern.Iso.Parse(text);
        return result.Success
            ? result.Value
            : throw JsonErrors.Problem(
                DataFormatProblemKind.InvalidDate,
                $"{ValueText.Quote(Truncate(text))} is not a valid ISO date (yyyy-MM-dd): {result.Exception.Message}",
                DateFix(text));
    }

    /// <summary>What to change in a date that does not parse: the day its month has, the month's range, or the form.</summary>
    private static string DateFix(string text)
    {
        const string Form = "Write the date as yyyy-MM-dd (four-digit year, two-digit month and day), such as 2024-03-31.";
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !int.TryParse(text.AsSpan(0, 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(text.AsSpan(8, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var day))
        {
            return Form;
        }
        if (month is < 1 or > 12)
        {
            return $"The month is {month:00}, but months run from 01 to 12: correct the month.";
        }
        var days = DateTime.DaysInMonth(Math.Max(year, 1), month);
        return day < 1 || day > days
            ? $"{year:0000}-{month:00} has {days} days, so day {day:00} does not exist: correct the day (or the month)."
            : Form;
    }

    internal static string FormatDate(LocalDate value) => LocalDatePattern.Iso.Format(value);

    protected override LocalDate Parse(string text) => ParseDate(text);

    protected override string Format(LocalDate value) => FormatDate(value);

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

/// <summary>Identifiers of any entity as plain strings.</summary>
internal sealed class IdConverter<TEntity> : StringValueConverter<Id<TEntity>>
    where TEntity : class
{
    protected override string Describe => $"{typeof(TEntity).Name} identifier";

    protected override string Fix =>
        $"Write an identifier of 1 to {Id<TEntity>.MaxLength} characters from A-Z, a-z, 0-9 and - _ . : / (no spaces).";

    protected override Id<TEntity> Parse(string text) => new(text);

    protected override string Format(Id<TEntity> value) => value.Value;
}

/// <summary>Makes the <see cref="IdConverter{TEntity}"/> for each <see cref="Id{TEntity}"/>.</summary>
internal sealed class IdConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Id<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(IdConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()))!;
}

/// <summary>Pseudonymous beneficiary keys as plain strings.</summary>
internal sealed class BeneficiaryKeyConverter : StringValueConverter<BeneficiaryKey>
{
    protected override string Describe => "beneficiary key";

    protected override string Fix => "Write the beneficiary's pseudonymous key (BeneficiaryPseudonymiser), never a raw identifier.";

    protected override BeneficiaryKey Parse(string text) => new(text);

    protected override string Format(BeneficiaryKey value) => value.Value;
}

/// <summary>ISO 3166-1 alpha-2 country codes as plain strings.</summary>
internal sealed class CountryCodeConverter : StringValueConverter<CountryCode>
{
    protected override string Describe => "country code";

    protected override string Fix => "Write the country as two upper-case letters (ISO 3166-1 alpha-2), such as PK.";

    protected override CountryCode Parse(string text) => new(text);

    protected override string Format(CountryCode value) => value.Value;
}

/// <summary>IATI organisation identifiers as plain strings.</summary>
internal sealed class IatiIdentifierConverter : StringValueConverter<IatiIdentifier>
{
    protected override string Describe => "IATI organisation identifier";

    protected override IatiIdentifier Parse(string text) => new(text);

    protected override string Format(IatiIdentifier value) => value.Value;
}

/// <summary>ISO 3166-2 subdivision codes as plain strings.</summary>
internal sealed class SubdivisionCodeConverter : StringValueConverter<SubdivisionCode>
{
    protected override string Describe => "subdivision code";

    protected override string Fix => "Write the country code, a hyphen and 1-3 letters or digits (ISO 3166-2), such as PK-PB.";

    protected override SubdivisionCode Parse(string text) => new(text);

    protected override string Format(SubdivisionCode value) => value.Value;
}

/// <summary>Age ranges as their labels: <c>0-4</c>, <c>18+</c>.</summary>
internal sealed class AgeRangeConverter : StringValueConverter<AgeRange>
{
    protected override string Describe => "age band";

    protected override AgeRange Parse(string text) =>
        AgeRange.TryParse(text, out var range)
            ? range
            : throw new FormatException($"An age band is written from-to or from+ in completed years 0 to {AgeRange.MaxAge}, such as 0-4 or 18+.");

    protected override string Format(AgeRange value) => value.Label;
}

/// <summary>Enums as their exact camelCase (or <see cref="JsonStringEnumMemberNameAttribute"/>) names; numbers are refused.</summary>
internal sealed class StrictEnumConverter<TEnum> : SafeConverter<TEnum>
    where TEnum : struct, Enum
{
    protected override string Describe => typeof(TEnum).Name;

    protected override TEnum ReadValue(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw JsonErrors.Problem(
                DataFormatProblemKind.WrongType,
                $"Expected a string ({typeof(TEnum).Name}: {EnumNames<TEnum>.Expected()}) but found {Token(reader.TokenType)}.",
                $"Write one of {EnumNames<TEnum>.Expected()} in double quotes.");
        }
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        char[]? rented = null;
        var buffer = length <= 128 ? stackalloc char[128] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var name = buffer[..reader.CopyString(buffer)];
            return EnumNames<TEnum>.TryParse(name, out var value)
                ? value
                : throw JsonErrors.Problem(
                    DataFormatProblemKind.UnknownCode,
                    $"{ValueText.Quote(name.ToString())} is not a {typeof(TEnum).Name}: expected one of {EnumNames<TEnum>.Expected()}.",
                    $"Use one of {EnumNames<TEnum>.Expected()}, spelled exactly so (names are case-sensitive).");
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(EnumNames<TEnum>.TryGetName(value, out var name)
            ? name
            : throw new JsonException($"{value} is not a defined {typeof(TEnum).Name} value."));
}

/// <summary>Makes the <see cref="StrictEnumConverter{TEnum}"/> for each enum.</summary>
internal sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;
}

/// <summary>
/// A <c>{"start":…,"end":…}</c> object read strictly (no unknown or repeated members). The end must not be before
/// the start; that error names the <c>end</c> member and is raised when the second date is read.
/// </summary>
internal abstract class StartEndConverter<T> : SafeConverter<T>
    where T : class
{
    private static readonly JsonEncodedText StartName = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText EndName = JsonEncodedText.Encode("end");

    protected abstract bool EndRequired { get; }

    protected abstract T Create(LocalDate start, LocalDate? end);

    protected abstract (LocalDate Start, LocalDate? End) Deconstruct(T value);

    protected sealed override T ReadValue(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw JsonErrors.Problem(
                DataFormatProblemKind.WrongType,
                $"Expected an object {{\"start\":…,\"end\":…}} ({Describe}) but found {Token(reader.TokenType)}.",
                $"Write the {Describe} as {{\"start\": \"yyyy-MM-dd\", \"end\": \"yyyy-MM-dd\"}}.");
        }
        LocalDate? start = null, end = null;
        bool seenStart = false, seenEnd = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isStart = reader.ValueTextEquals(StartName.EncodedUtf8Bytes);
            var isEnd = !isStart && reader.ValueTextEquals(EndName.EncodedUtf8Bytes);
            var member = isStart ? "start" : isEnd ? "end" : reader.GetString()!;
            if (!isStart && !isEnd)
            {
                throw WithMember(
                    JsonErrors.Problem(
                        DataFormatProblemKind.UnknownMember,
                        $"'{member}' is not a member of {Describe}: expected start and end.",
                        $"Remove '{member}', or rename it to start or end: a {Describe} has only these two members."),
                    member);
            }
            if (isStart ? seenStart : seenEnd)
            {
                throw WithMember(
                    JsonErrors.Problem(
                        DataFormatProblemKind.RepeatedMember, $"Duplicate member '{member}'.", $"Keep one '{member}' and delete the other."),
                    member);
            }
            reader.Read();
            LocalDate? value;
            try
            {
                value = reader.TokenType == JsonTokenType.Null && isEnd && !EndRequired
                    ? null
                    : LocalDateConverter.ParseDate(ReadString(ref reader));
            }
            catch (JsonException ex)
            {
                throw WithMember(ex, member);
            }
            if (isStart)
            {
                (start, seenStart) = (value, true);
            }
            else
            {
                (end, seenEnd) = (value, true);
            }
            if (start is { } s && end is { } e && e < s)
            {
                throw WithMember(
                    JsonErrors.Problem(
                        DataFormatProblemKind.RefusedValue,
                        $"The end {e:uuuu-MM-dd} is before the start {s:uuuu-MM-dd}.",
                        $"The end {e:uuuu-MM-dd} is before the start {s:uuuu-MM-dd}: swap them, or correct the end."),
                    "end");
            }
        }
        if (start is not { } first)
        {
            throw JsonErrors.Problem(
                DataFormatProblemKind.MissingMember, $"{Describe} is missing required member 'start'.", "Add \"start\": \"yyyy-MM-dd\", the first day.");
        }
        if (EndRequired && end is null)
        {
            throw JsonErrors.Problem(
                DataFormatProblemKind.MissingMember, $"{Describe} is missing required member 'end'.", "Add \"end\": \"yyyy-MM-dd\", the last day.");
        }
        return Create(first, end);
    }

    public sealed override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        var (start, end) = Deconstruct(value);
        writer.WriteStartObject();
        writer.WriteString(StartName, LocalDateConverter.FormatDate(start));
        if (end is { } e)
        {
            writer.WriteString(EndName, LocalDateConverter.FormatDate(e));
        }
        writer.WriteEndObject();
    }
}

/// <summary><see cref="DatePeriod"/>: <c>end</c> omitted or null while ongoing.</summary>
internal sealed class DatePeriodConverter : StartEndConverter<DatePeriod>
{
    protected override string Describe => "period";

    protected override bool EndRequired => false;

    protected override DatePeriod Create(LocalDate start, LocalDate? end) => new(start, end);

    protected override (LocalDate Start, LocalDate? End) Deconstruct(DatePeriod value) => (value.Start, value.End);
}

/// <summary>NodaTime <see cref="DateInterval"/>: both ends required, the end inclusive.</summary>
internal sealed class DateIntervalConverter : StartEndConverter<DateInterval>
{
    protected override string Describe => "date interval";

    protected override bool EndRequired => true;

    protected override DateInterval Create(LocalDate start, LocalDate? end) => new(start, end!.Value);

    protected override (LocalDate Start, LocalDate? End) Deconstruct(DateInterval value) => (value.Start, value.End);
}
