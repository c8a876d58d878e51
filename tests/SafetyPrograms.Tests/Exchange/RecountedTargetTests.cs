using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>Every recounted target's window leaves the library: a yearly target per fiscal year is a figure per year.</summary>
public sealed class RecountedTargetTests
{
    [Fact]
    public void YearlyTargets_OfOneIndicator_AreEachTheirOwnRecountedSeries_WithTheirTargetAndYear()
    {
        var data = ExchangeSamples.Sample();
        var dataset = data.Dataset;
        var partnership = dataset.Partnerships.Single(p => p.Id.Value == "ps-child-online-protection");
        var yearly = partnership.Targets.Where(t => t.Indicator.Value == "COP-OUT-2").OrderBy(t => t.Period.Start).ToList();
        Assert.Equal(2, yearly.Count);
        Assert.All(yearly, t => Assert.True(t.Period.End <= ExchangeSamples.AsOf));

        var series = data.Series.Where(s => s.Partnership == partnership.Id && s.Indicator.Id == yearly[0].Indicator).ToList();
        Assert.Equal(yearly.Select(t => t.Period), series.Select(s => s.Period));
        Assert.Equal(yearly.Select(t => (decimal?)t.Value), series.Select(s => s.Target));
        var store = new ParticipationStore(dataset);
        using (var log = File.OpenRead(Path.Combine(RepositoryPaths.SamplesData, "participations.csv")))
        {
            store.AppendCsv(log, "participations.csv");
        }
        foreach (var s in series)
        {
            Assert.Null(s.ReportedBy);
            var recount = store.Query().Where(Dimension.Partnership, partnership.Id.Value).Between(s.Period.Start, s.Period.End)
                .Measure(Measure.UniqueBeneficiaries).Run().Rows[0].Count(Measure.UniqueBeneficiaries);
            Assert.True(recount > 0);
            Assert.Equal(recount, s.Total.Value);
        }
        Assert.NotEqual(series[0].Total.Value, series[1].Total.Value);

        // Both years reach every format: SDMX states each year, IATI reads each back as its own actual.
        using var csv = new StringWriter();
        Sdmx.WriteCsv(data, csv);
        var rows = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var (indicator, time) = (Array.IndexOf(rows[0], "INDICATOR"), Array.IndexOf(rows[0], "TIME_PERIOD"));
        Assert.Equal(
            ["2023-07-01/P1Y", "2024-07-01/P1Y"],
            rows.Skip(1).Where(r => r[indicator] == "COP-OUT-2").Select(r => r[time]).Distinct().Order(StringComparer.Ordinal));
        using var iati = new MemoryStream();
        IatiActivities.Write(data, iati, IatiUnidentifiedProgrammes.LeaveOut);
        iati.Position = 0;
        var read = IatiResults.Read(iati, dataset).Where(a => a.Indicator == yearly[0].Indicator).OrderBy(a => a.Period.Start).ToList();
        Assert.Equal(series.Select(s => (s.Period, s.Total.Value)), read.Select(a => (a.Period, (decimal?)a.Value)));
    }

    [Fact]
    public void WithPrimaryAndSecondaryMarks_WhereALaterYearWouldBeRefused_ItIsLeftOut_AndEveryFormatSaysSo()
    {
        // With marks the audit cannot protect the sample's second COP-OUT-2 year beside the first (uniform marks can:
        // the test above); the export is then published without it, never refused whole nor narrowed.
        var data = ExchangeSamples.Sample(PublicationPolicy.Default with { Marks = SuppressionMarks.PrimaryAndSecondary });

        var series = Assert.Single(data.Series, s => s.Indicator.Id.Value == "COP-OUT-2" && s.Partnership.Value == "ps-child-online-protection" && s.Phase is null);
        Assert.Equal(new LocalDate(2023, 7, 1), series.Period.Start);
        const string Note = "COP-OUT-2 of ps-child-online-protection, 2024-07-01 to 2025-06-30: left out";
        using var csv = new StringWriter();
        Assert.Contains(Sdmx.WriteCsv(data, csv).Notes, n => n.StartsWith(Note, StringComparison.Ordinal));
        using var xml = new MemoryStream();
        Assert.Contains(Sdmx.WriteGenericData(data, xml).Notes, n => n.StartsWith(Note, StringComparison.Ordinal));
        using var iati = new MemoryStream();
        Assert.Contains(IatiActivities.Write(data, iati, IatiUnidentifiedProgrammes.LeaveOut).Notes, n => n.StartsWith(Note, StringComparison.Ordinal));
        using var reach = new StringWriter();
        Assert.Contains(Hxl.WriteReach(data, reach).Notes, n => n.StartsWith(Note, StringComparison.Ordinal));
        using var adx = new MemoryStream();
        Assert.Contains(Adx.Write(data, ExchangeSamples.SampleMapping(), adx).Notes, n => n.StartsWith(Note, StringComparison.Ordinal));
        Assert.DoesNotContain("2024-07-01/P1Y", csv.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoTargetsOverOneWindow_AreOneSeries()
    {
        var (generated, store) = ExchangeSamples.Generated(37);
        var partnership = generated.Partnerships[0];
        var target = partnership.Targets[0];
        var twice = new Partnership(
            partnership.Id, partnership.Name, partnership.Period, partnership.Status, partnership.Members, partnership.Phases,
            [target, new Target(target.Indicator, target.Period, target.Value + 1)], country: partnership.Country);
        var dataset = new ProgrammeDataset(
            generated.SchemaVersion, generated.Organisations, [twice, .. generated.Partnerships.Skip(1)], generated.Indicators, generated.Schools,
            generated.Cohorts, generated.Activities, generated.Actuals, generated.Description);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 1), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        Assert.Single(data.Series, s => s.Partnership == partnership.Id && s.Phase is null && s.Indicator.Id == target.Indicator);
    }
}
