using System.CommandLine;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Cli.Commands;

/// <summary>
/// <c>--age-scheme</c> and <c>--disability-cutoff</c>: the band scheme the <c>age</c> dimension groups and filters by
/// (a built-in one or one the dataset declares), and the Washington Group cut-off of the <c>disability</c> dimension.
/// The same options and wording on every command that shows a breakdown; the outputs state both.
/// </summary>
internal sealed class PersonOptions
{
    private readonly Option<string> _scheme = new("--age-scheme")
    {
        Description = "The band scheme of the age dimension: " + string.Join(", ", AgeBandScheme.BuiltIn.Select(s => s.Describe()))
            + ", or one the dataset declares in ageSchemes.",
        DefaultValueFactory = _ => AgeBandScheme.UnChild.Code,
    };

    private readonly Option<string> _cutoff = new("--disability-cutoff")
    {
        Description = "The Washington Group cut-off of the disability dimension: wg-a-lot (the published one: a domain "
            + "\"a lot of difficulty\" or \"cannot do at all\"), wg-some (\"some difficulty\" or more) or wg-cannot (\"cannot do at all\").",
        DefaultValueFactory = _ => DisabilityCutoff.WashingtonGroup.Code,
    };

    public void AddTo(Command command)
    {
        _cutoff.AcceptOnlyFromAmong("wg-some", "wg-a-lot", "wg-cannot");
        command.Options.Add(_scheme);
        command.Options.Add(_cutoff);
    }

    /// <summary>The scheme named by <c>--age-scheme</c>: the dataset's own of that code first, else a built-in one.</summary>
    /// <exception cref="ArgumentException">No scheme has that code.</exception>
    public AgeBandScheme Scheme(ParseResult parse, ProgrammeDataset dataset)
    {
        var code = parse.GetValue(_scheme);
        return dataset.AgeSchemes.FirstOrDefault(s => s.Code == code)
            ?? (AgeBandScheme.TryGetBuiltIn(code, out var builtIn) ? builtIn
                : throw new ArgumentException(
                    $"--age-scheme: no scheme has that code. Use {string.Join(", ", AgeBandScheme.BuiltIn.Concat(dataset.AgeSchemes).Select(s => s.Code).Distinct())}."));
    }

    /// <summary>The cut-off named by <c>--disability-cutoff</c>.</summary>
    public DisabilityCutoff Cutoff(ParseResult parse) =>
        DisabilityCutoff.TryParse(parse.GetValue(_cutoff), out var cutoff) ? cutoff : DisabilityCutoff.WashingtonGroup;

    /// <summary>How a command's output states both: <c>age scheme: …; disability: …</c>.</summary>
    public static string Stated(AgeBandScheme scheme, DisabilityCutoff cutoff) => $"age scheme: {scheme.Describe()}; disability: {cutoff.Description}";

    /// <summary>Sets both on a query, before any filter on age names a band of the scheme.</summary>
    public Func<AggregationQuery, AggregationQuery> Apply(ParseResult parse, ProgrammeDataset dataset)
    {
        var scheme = Scheme(parse, dataset);
        var cutoff = Cutoff(parse);
        return query => query.AgeScheme(scheme).DisabilityCutoff(cutoff);
    }
}
