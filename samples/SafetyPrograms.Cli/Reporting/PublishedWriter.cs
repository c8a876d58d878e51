using System.Text;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Cli.Reporting;

/// <summary>Writes a published table as text, CSV or JSON; each format states the policy that was applied.</summary>
internal static class PublishedWriter
{
    public static void Write(TextWriter output, PublishedTable table, string format)
    {
        switch (format)
        {
            case "csv":
                PublishedTableWriter.WriteCsv(table, output, statePolicy: true);
                break;
            case "json":
                using (var buffer = new MemoryStream())
                {
                    PublishedTableWriter.WriteJson(table, buffer);
                    output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
                }
                break;
            default:
                output.WriteLine($"publication policy applied: {table.Policy}; {table.SuppressedCount} figures suppressed (too small, or hidden so that none "
                    + $"can be worked out), shown as {PublishedTableWriter.SuppressedMark}");
                if (table.AgeScheme is { } scheme)
                {
                    output.WriteLine($"age scheme: {scheme.Describe()}");
                }
                if (table.DisabilityCutoff is { } cutoff)
                {
                    output.WriteLine($"disability: {cutoff.Description}");
                }
                if (table.EmptyReason is { } empty)
                {
                    output.WriteLine($"empty table: {empty}");
                }
                var widths = table.Dimensions.Select((d, i) => table.Figures.Select(f => f.Coordinates[i].Length).Append(d.Name.Length).Max()).ToList();
                output.WriteLine("  " + string.Join("  ", table.Dimensions.Select((d, i) => d.Name.PadRight(widths[i]))) + "       value");
                foreach (var figure in table.Figures)
                {
                    var value = figure.Value is { } v ? v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
                        : PublishedTableWriter.SuppressedMark;
                    output.WriteLine("  " + string.Join("  ", figure.Coordinates.Select((c, i) => c.PadRight(widths[i]))) + "  " + value.PadLeft(10));
                }
                break;
        }
    }
}
