using System.CommandLine;
using System.Globalization;
using SafetyPrograms.Progress;

namespace SafetyPrograms.Cli.Commands;

/// <summary>
/// <c>--recount-tolerance</c>: how far, in percent of the recount, a reported figure may lie from its recount from the
/// participation records before it is a finding (SP6008). The same option and wording on every command that checks it.
/// </summary>
internal sealed class RecountOption
{
    private readonly Option<decimal> _tolerance = new("--recount-tolerance")
    {
        Description = "How far a reported figure may lie from its recount from the participation records, in percent of the recount, before it is a finding (SP6008).",
        DefaultValueFactory = _ => 5m,
    };

    public void AddTo(Command command) => command.Options.Add(_tolerance);

    public RecountOptions Options(ParseResult parse)
    {
        var percent = parse.GetValue(_tolerance);
        return percent is >= 0m and <= 1000m
            ? new RecountOptions(percent / 100m)
            : throw new ArgumentException("--recount-tolerance must be a percentage from 0 to 1000, such as 5.");
    }

    /// <summary>Writes every comparison, one a line, and how many differ beyond the tolerance.</summary>
    public static void Write(TextWriter output, IReadOnlyList<RecountComparison> comparisons, RecountOptions options)
    {
        var tolerance = (options.Tolerance * 100m).ToString("0.##", CultureInfo.InvariantCulture);
        output.WriteLine($"Reported against recounted from the participation records (tolerance {tolerance}% of the recount)");
        if (comparisons.Count == 0)
        {
            output.WriteLine("  no reported figure can be recounted from these records");
            output.WriteLine();
            return;
        }
        foreach (var comparison in comparisons)
        {
            output.WriteLine($"  {(comparison.IsWithinTolerance ? "agrees " : "DIFFERS")} {comparison}");
        }
        var differing = comparisons.Count(c => !c.IsWithinTolerance);
        output.WriteLine(differing == 0
            ? $"  all {comparisons.Count:N0} agree within {tolerance}%"
            : $"  {differing:N0} of {comparisons.Count:N0} differ by more than {tolerance}% (warning SP6008)");
        output.WriteLine();
    }
}
