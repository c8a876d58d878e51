using System.Globalization;
using System.Text;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;

namespace SafetyPrograms.Reporting;

/// <summary>
/// Plain words for the codes a report shows: a reader sees "Sindh", "not recorded", "unique people" and "on track",
/// never <c>PK-SD</c>, <c>notRecorded</c>, <c>UniquePeople</c> or <c>OnTrack</c>.
/// </summary>
/// <remarks>
/// Enum names are turned into words by one rule (split at capitals), so a value added to an enum reads correctly
/// without a second name table. Provinces take their name from the ISO 3166-2 code list, partnerships from the dataset.
/// </remarks>
internal sealed class ReportLabels(ProgrammeDataset dataset)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>An enum value or interchange name in words, lower case: <c>NotRecorded</c> → "not recorded".</summary>
    internal static string Words(string name)
    {
        var words = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                words.Append(' ');
            }
            words.Append(char.IsUpper(c) && (i + 1 >= name.Length || !char.IsUpper(name[i + 1])) ? char.ToLowerInvariant(c) : c);
        }
        return words.ToString();
    }

    /// <summary>The words with a capital first letter, for a heading or a table cell.</summary>
    internal static string Sentence(string name)
    {
        var words = Words(name);
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>A category of a published table's dimension as a reader knows it.</summary>
    internal string Category(PublishedDimension dimension, string code)
    {
        if (code == dimension.Total)
        {
            return "Total";
        }
        if (code == AggregationPublishing.MissingKey)
        {
            return "Not recorded";
        }
        return dimension.Name switch
        {
            "province" or "country" => Place(code),
            "partnership" => Partnership(code),
            "district" => District(code),
            "age" or "ageBand" => Age(code),
            "school" or "activity" or "phase" => code,
            _ => Sentence(code),
        };
    }

    /// <summary>
    /// A dimension's leaves in the order a reader expects: age bands youngest first (then the codes that are not a band,
    /// such as <c>notComparable</c>); any other dimension as published.
    /// </summary>
    internal static IEnumerable<string> Leaves(PublishedDimension dimension)
    {
        var leaves = dimension.Categories.Where(dimension.IsLeaf);
        return dimension.Name is "age" or "ageBand"
            ? leaves.OrderBy(code => AgeRange.TryParse(code, out var range) ? range.From : int.MaxValue)
            : leaves;
    }

    /// <summary>A country or province code with its name: "Sindh" for <c>PK-SD</c>, "Pakistan" for <c>PK</c>.</summary>
    internal static string Place(string code)
    {
        if (SubdivisionCode.IsValid(code) && Subdivisions.Find(new SubdivisionCode(code)) is { } subdivision)
        {
            return subdivision.Name;
        }
        return code == CountryCode.Pakistan.Value ? "Pakistan" : code;
    }

    /// <summary>An age band in words: "0–4 years", "18 years and over"; any other code (<c>notComparable</c>) in words.</summary>
    internal static string Age(string code)
    {
        if (!AgeRange.TryParse(code, out var range))
        {
            return Sentence(code);
        }
        return range.To is { } to ? $"{range.From}–{to} years" : $"{range.From} years and over";
    }

    /// <summary>A district as "Karachi South (Sindh)": the engine keys it by province, <c>PK-SD/Karachi South</c>, since names repeat across provinces.</summary>
    internal static string District(string code) =>
        code.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? $"{code[(slash + 1)..]} ({Place(code[..slash])})" : Place(code);

    /// <summary>A partnership's name, or its id when the dataset does not have it.</summary>
    internal string Partnership(string id) => dataset.Partnerships.FirstOrDefault(p => p.Id.Value == id)?.Name ?? id;

    /// <summary>A published dimension's name in words: "province", "sex", "role".</summary>
    internal static string Dimension(PublishedDimension dimension) => Sentence(dimension.Name);

    /// <summary>A target's standing in words: "on track", "at risk".</summary>
    internal static string Status(ProgressStatus status) => Sentence(status.ToString());

    /// <summary>A milestone's standing in words: "achieved late".</summary>
    internal static string Standing(MilestoneStanding standing) => Sentence(standing.ToString());

    /// <summary>What a count counts, in words: "unique people", "attendances".</summary>
    internal static string Basis(CountingBasis basis) => Words(basis.ToString());

    /// <summary>A figure of an indicator with its unit: "54%" for a percent, "53,304" for a count.</summary>
    internal static string Figure(decimal value, IndicatorUnit unit) => unit switch
    {
        IndicatorUnit.Percent => value.ToString("0.#", Invariant) + "%",
        IndicatorUnit.Score => value.ToString("0.##", Invariant),
        _ => value.ToString("N0", Invariant),
    };

    /// <summary>The unit an axis or column states.</summary>
    internal static string Unit(Indicator indicator) => indicator.Unit switch
    {
        IndicatorUnit.Percent => "percent",
        IndicatorUnit.Score => "score",
        _ => Basis(indicator.Basis),
    };
}
