using System.Globalization;
using System.Xml.Linq;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>
/// What exports tell a reader beyond the figures: one confidentiality mark in SDMX, the disability cut-off wherever
/// disability is shown, and a clear refusal for programmes IATI cannot identify.
/// </summary>
public sealed class ExportPolicyTests
{
    private static readonly PublicationPolicy Strict = new(minimumCellSize: 20);

    /// <summary>Generated programmes under a strict policy: some figures hidden because small, some to protect others.</summary>
    private static ExchangeData Suppressing(int seed)
    {
        var (dataset, store) = ExchangeSamples.Generated(seed);
        return ExchangeData.Publish(dataset, Strict, ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
    }

    [Theory]
    [InlineData(51)]
    [InlineData(52)]
    public void SdmxCsv_MarksEveryHiddenFigureAlike_AndNoHiddenFigureIsNarrowerThanTheMinimumFromWhatItShows(int seed)
    {
        var data = Suppressing(seed);
        var figures = data.Series.SelectMany(s => s.Figures.Select(f => (Series: s, Figure: f))).ToList();
        Assert.Contains(figures, f => f.Figure.Suppression == SuppressionReason.Primary);
        Assert.Contains(figures, f => f.Figure.Suppression is SuppressionReason.Secondary or SuppressionReason.Linked);

        using var text = new StringWriter();
        Sdmx.WriteCsv(data, text);
        var rows = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var (value, conf) = (Array.IndexOf(rows[0], "OBS_VALUE"), Array.IndexOf(rows[0], "CONF_STATUS"));
        Assert.Equal(figures.Count, rows.Count - 1);
        var marks = rows.Skip(1).Where(r => r[value].Length == 0).Select(r => r[conf]).Distinct().ToList();
        Assert.Equal(["C"], marks);
        Assert.DoesNotContain(rows.Skip(1), r => r[conf] == "D");

        // The reader's attack, from the file alone: in each breakdown, the hidden cells share what the published total
        // leaves after the published cells, each at least 1 (zeros are shown). One mark gives every hidden cell the same
        // bounds, so the widest a cell can be told apart is that remainder less the other hidden cells.
        var shown = rows.Skip(1).Select(r => r[value].Length == 0 ? (decimal?)null : decimal.Parse(r[value], CultureInfo.InvariantCulture)).ToList();
        var labelled = false;
        foreach (var relation in figures.Select((f, i) => (f.Series, f.Figure, Shown: shown[i]))
            .Where(f => f.Figure.Breakdown.Count == 1)
            .GroupBy(f => (f.Series, f.Figure.Breakdown[0].Dimension)))
        {
            var total = shown[figures.FindIndex(f => f.Series == relation.Key.Series && f.Figure.IsTotal)];
            var hidden = relation.Where(f => f.Shown is null).ToList();
            if (total is null || hidden.Count == 0 || relation.Key.Series.ReportedBy is not null)
            {
                continue;
            }
            var remainder = total.Value - relation.Sum(f => f.Shown ?? 0);
            Assert.True(remainder - hidden.Count >= Strict.MinimumCellSize,
                $"{relation.Key.Series.ScopeText} {relation.Key.Dimension}: {hidden.Count} hidden cells share {remainder}");
            // Had the file said which were small, each such cell would be known to lie in [1, minimum - 1].
            labelled |= hidden.Any(f => f.Figure.Suppression == SuppressionReason.Primary);
        }
        Assert.True(labelled, "the case should hide a small cell beside a published total");
    }

    /// <summary>
    /// The reader of the SDMX-CSV file alone, relation by relation (a breakdown and its published total), who reads
    /// <c>C</c> as "between 1 and the minimum − 1" and <c>D</c> as "at least the minimum": the range each hidden cell keeps.
    /// </summary>
    /// <param name="data">The figures.</param>
    /// <param name="markOf">The mark the reader reads on a hidden figure, given the figure and the file's own mark.</param>
    private static List<(string Mark, string Row, decimal Low, decimal High)> MarkReaderRanges(ExchangeData data, Func<ExchangeFigure, string, string> markOf)
    {
        using var text = new StringWriter();
        Sdmx.WriteCsv(data, text);
        var rows = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var (value, conf) = (Array.IndexOf(rows[0], "OBS_VALUE"), Array.IndexOf(rows[0], "CONF_STATUS"));
        var figures = data.Series.SelectMany(s => s.Figures.Select(f => (Series: s, Figure: f))).ToList();
        Assert.Equal(figures.Count, rows.Count - 1);
        var minimum = data.Policy.MinimumCellSize;
        (decimal Low, decimal High) Known(string mark) => mark == "C" ? (1, minimum - 1) : (minimum, decimal.MaxValue);
        var ranges = new List<(string, string, decimal, decimal)>();
        foreach (var relation in figures.Select((f, i) => (f.Series, f.Figure, Row: rows[i + 1]))
            .Where(f => f.Figure.Breakdown.Count == 1 && f.Series.ReportedBy is null)
            .GroupBy(f => (f.Series, f.Figure.Breakdown[0].Dimension)))
        {
            var totalRow = rows[1 + figures.FindIndex(f => f.Series == relation.Key.Series && f.Figure.IsTotal)];
            var hidden = relation.Where(f => f.Row[value].Length == 0).ToList();
            if (totalRow[value].Length == 0 || hidden.Count == 0)
            {
                continue;
            }
            var remainder = decimal.Parse(totalRow[value], CultureInfo.InvariantCulture)
                - relation.Where(f => f.Row[value].Length > 0).Sum(f => decimal.Parse(f.Row[value], CultureInfo.InvariantCulture));
            foreach (var cell in hidden)
            {
                var others = hidden.Where(h => h.Row != cell.Row).Select(h => Known(markOf(h.Figure, h.Row[conf]))).ToList();
                var mark = markOf(cell.Figure, cell.Row[conf]);
                var (low, high) = Known(mark);
                var top = Math.Min(high, remainder - others.Sum(o => o.Low));
                var bottom = others.Any(o => o.High == decimal.MaxValue) ? low : Math.Max(low, remainder - others.Sum(o => o.High));
                ranges.Add((mark, string.Join(',', cell.Row), bottom, top));
            }
        }
        return ranges;
    }

    [Fact]
    public void WithPrimaryAndSecondaryMarks_AnExportTheAuditCannotProtect_IsRefused_NeverPublishedNarrowed()
    {
        // Known limit (see the note): since exports carry the age table, the linked audit under marks refuses this
        // generated programme rather than publish it. Refusing is safe; whether a wider search could publish it is open.
        var (dataset, store) = ExchangeSamples.Generated(51);
        var marked = Strict with { Marks = SuppressionMarks.PrimaryAndSecondary };
        var refused = Assert.Throws<AggregationRefusedException>(() => ExchangeData.Publish(dataset, marked, ExchangeSamples.AsOf, ExchangeSamples.Exported, store));
        Assert.Equal(AggregationRefusal.PublicationMarksDisclose, refused.Reason);
        Assert.NotNull(ExchangeData.Publish(dataset, Strict, ExchangeSamples.AsOf, ExchangeSamples.Exported, store));
    }

    [Theory]
    [InlineData(52)]
    public void SdmxCsv_WithPrimaryAndSecondaryMarks_WritesCAndD_AndTheirReaderPinsNothing(int seed)
    {
        var (dataset, store) = ExchangeSamples.Generated(seed);
        var marked = Strict with { Marks = SuppressionMarks.PrimaryAndSecondary };
        var data = ExchangeData.Publish(dataset, marked, ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        var ranges = MarkReaderRanges(data, (_, mark) => mark);
        Assert.Contains(ranges, r => r.Mark == "C");
        Assert.Contains(ranges, r => r.Mark == "D");
        foreach (var (mark, row, low, high) in ranges)
        {
            Assert.True(mark == "C" ? low <= 1 && high >= Strict.MinimumCellSize - 1 : high - low >= Strict.MinimumCellSize, $"{mark} [{low}, {high}]: {row}");
        }
        var statuses = data.Series.SelectMany(s => s.Figures).Where(f => f.IsSuppressed)
            .Select(f => f.Suppression == SuppressionReason.Primary ? "C" : "D").ToList();
        using var text = new StringWriter();
        Sdmx.WriteCsv(data, text);
        var rows = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var conf = Array.IndexOf(rows[0], "CONF_STATUS");
        Assert.Equal(statuses.Order(), rows.Skip(1).Select(r => r[conf]).Where(c => c != "F").Order());

        // The same reader of the same marks over figures audited for one mark narrows some figure: the option is what protects them.
        var labelled = MarkReaderRanges(Suppressing(seed), (figure, _) => figure.Suppression == SuppressionReason.Primary ? "C" : "D");
        Assert.Contains(labelled, r => r.Mark == "C" ? r.Low > 1 || r.High < Strict.MinimumCellSize - 1 : r.High - r.Low < Strict.MinimumCellSize);
    }

    [Fact]
    public void SdmxMl_MarksEveryHiddenFigureAlike()
    {
        var data = Suppressing(51);
        using var stream = new MemoryStream();
        Sdmx.WriteGenericData(data, stream);
        stream.Position = 0;
        var statuses = XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "Value" && (string?)e.Attribute("id") == "CONF_STATUS")
            .Select(e => (string)e.Attribute("value")!).ToList();
        Assert.Equal(data.Series.Sum(s => s.Figures.Count), statuses.Count);
        Assert.Equal(data.Series.Sum(s => s.Figures.Count(f => f.IsSuppressed)), statuses.Count(s => s == "C"));
        Assert.All(statuses, s => Assert.True(s is "C" or "F", s));
    }

    [Fact]
    public void EveryExportThatShowsDisability_StatesTheCutoff()
    {
        var (dataset, store) = ExchangeSamples.Generated(53);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 1), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        var disability = data.Series.SelectMany(s => s.Figures).Select(f => f.CategoryOf("disability")).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(disability);
        var cutoff = DisabilityCutoff.WashingtonGroup.Code;

        // IATI: a disabilityCutoff dimension beside every disability dimension.
        using var iati = new MemoryStream();
        IatiActivities.Write(data, iati);
        iati.Position = 0;
        var actuals = XDocument.Load(iati).Descendants("actual").Where(a => a.Elements("dimension").Any(d => (string?)d.Attribute("name") == "disability")).ToList();
        Assert.NotEmpty(actuals);
        Assert.All(actuals, a => Assert.Contains(a.Elements("dimension"), d => (string?)d.Attribute("name") == "disabilityCutoff" && (string?)d.Attribute("value") == cutoff));

        // ADX: a comment before every data value broken down by disability.
        var mapping = ExchangeSamples.GeneratedMapping(dataset, disability);
        using var adx = new MemoryStream();
        Adx.Write(data, mapping, adx);
        adx.Position = 0;
        var values = XDocument.Load(adx).Descendants().Where(e => e.Name.LocalName == "dataValue" && e.Attribute("disability") is not null).ToList();
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.Contains($"disabilityCutoff: {cutoff}", (v.PreviousNode as XComment)?.Value ?? string.Empty, StringComparison.Ordinal));

        // HXL: the cut-off column is filled on every row that has a disability column filled.
        using var hxl = new StringWriter();
        Hxl.WriteReach(data, hxl);
        var rows = hxl.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var column = Array.IndexOf(rows[1], "#meta+disability_cutoff");
        var disabled = rows[1].Select((t, i) => (t, i)).Where(c => c.t == "#reached+disabled" || c.t.Contains("+disability_", StringComparison.Ordinal)).Select(c => c.i).ToList();
        Assert.True(column >= 0 && disabled.Count > 0 && rows[1].Contains("#reached+disabled"), string.Join(',', rows[1]));
        Assert.All(rows.Skip(2).Where(r => disabled.Any(i => r[i].Length > 0)), r => Assert.Equal(cutoff, r[column]));

        // SDMX: the DISABILITY_CUTOFF attribute on every observation with a disability category.
        using var sdmx = new StringWriter();
        Sdmx.WriteCsv(data, sdmx);
        var sdmxRows = sdmx.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var (dimension, attribute) = (Array.IndexOf(sdmxRows[0], "DISABILITY"), Array.IndexOf(sdmxRows[0], "DISABILITY_CUTOFF"));
        var broken = sdmxRows.Skip(1).Where(r => r[dimension] != "_T").ToList();
        Assert.NotEmpty(broken);
        Assert.All(broken, r => Assert.Equal(cutoff, r[attribute]));
    }

    [Fact]
    public void Iati_RefusesByDefault_AProgrammeNoneOfWhoseOrganisationsHasAnIdentifier_NamingTheOrganisation_AndWritesNothing()
    {
        var data = ExchangeSamples.Sample();
        using var stream = new MemoryStream();
        var refusal = Assert.Throws<ArgumentException>(() => IatiActivities.Write(data, stream));
        Assert.Contains("ps-digital-safety", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("(org-tiktok)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("ps-educational-content", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("iatiIdentifier", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ps-child-online-protection", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, stream.Length);
        Assert.Throws<ArgumentException>(() => IatiActivities.Write(data, new MemoryStream(), IatiUnidentifiedProgrammes.Refuse));
    }

    [Fact]
    public void Iati_LeavingUnidentifiedProgrammesOut_NotesEachOne_AndWritesTheOthers()
    {
        var data = ExchangeSamples.Sample();
        using var stream = new MemoryStream();
        var summary = IatiActivities.Write(data, stream, IatiUnidentifiedProgrammes.LeaveOut);
        Assert.Contains(summary.Notes, n => n.StartsWith("ps-digital-safety: left out of IATI", StringComparison.Ordinal) && n.Contains("(org-tiktok)", StringComparison.Ordinal));
        Assert.Contains(summary.Notes, n => n.StartsWith("ps-educational-content: left out of IATI", StringComparison.Ordinal));
        stream.Position = 0;
        var identifiers = XDocument.Load(stream).Descendants("iati-identifier").Select(e => e.Value).ToList();
        Assert.Contains("XM-DAC-41122-ps-child-online-protection", identifiers);
        Assert.DoesNotContain(identifiers, i => i.Contains("ps-digital-safety", StringComparison.Ordinal));
    }
}
