using System.Globalization;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Cli.Reporting;

/// <summary>Writes an aggregation result as an aligned text table, CSV or JSON, with dimensions and measures by their documented names.</summary>
internal static class ResultWriter
{
    public static void Write(TextWriter output, AggregationResult result, string format)
    {
        switch (format)
        {
            case "csv":
                WriteCsv(output, result);
                break;
            case "json":
                WriteJson(output, result);
                break;
            default:
                WriteText(output, result);
                break;
        }
    }

    public static string Key(ResultRow row, int term) =>
        row.Level > 0 && term >= row.Keys.Count - row.Level ? "(all)" : row.Key(term) is { Length: > 0 } key ? key : "(none)";

    public static string Value(ResultRow row, Measure measure) => row[measure] switch
    {
        null => "",
        var v when measure is Measure.CompletionRate or Measure.ImprovedShare => v.Value.ToString("0.0%", CultureInfo.InvariantCulture),
        var v when measure is Measure.MeanPreScore or Measure.MeanPostScore or Measure.MeanGain => v.Value.ToString("0.00", CultureInfo.InvariantCulture),
        var v => v.Value.ToString("N0", CultureInfo.InvariantCulture),
    };

    private static void WriteText(TextWriter output, AggregationResult result)
    {
        var header = result.GroupBy.Select(g => g.Name).Concat(result.Measures.Select(m => m.Name())).ToList();
        var rows = result.Rows.Select(r =>
            Enumerable.Range(0, result.GroupBy.Count).Select(i => Key(r, i)).Concat(result.Measures.Select(m => Value(r, m))).ToList()).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToList();
        var keyCount = result.GroupBy.Count;
        string Line(IReadOnlyList<string> cells) => "  " + string.Join("  ", cells.Select((c, i) => i < keyCount ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        output.WriteLine(Line(header));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row));
        }
        // Every output that shows age bands or disability says by which scheme and cut-off.
        if (result.AgeScheme is { } scheme)
        {
            output.WriteLine($"  age scheme: {scheme.Describe()}; a year of birth or a band that straddles two bands counts as notComparable");
        }
        if (result.DisabilityCutoff is { } cutoff)
        {
            output.WriteLine($"  disability: {cutoff.Description} ({cutoff.Code}); missing, refused or \"don't know\" answers are notRecorded");
        }
    }

    private static void WriteCsv(TextWriter output, AggregationResult result)
    {
        var header = result.GroupBy.Select(g => g.Name).Concat(result.Measures.Select(m => m.Name())).Append("level");
        CsvText.WriteRecord(output, [.. header]);
        foreach (var row in result.Rows)
        {
            var cells = Enumerable.Range(0, result.GroupBy.Count).Select(i => row.Level > 0 && i >= result.GroupBy.Count - row.Level ? "" : row.Key(i) ?? "")
                .Concat(result.Measures.Select(m => row[m]?.ToString("R", CultureInfo.InvariantCulture) ?? ""))
                .Append(row.Level.ToString(CultureInfo.InvariantCulture));
            CsvText.WriteRecord(output, [.. cells]);
        }
    }

    private static void WriteJson(TextWriter output, AggregationResult result) => output.WriteLine(result.ToJson(indented: true));
}
