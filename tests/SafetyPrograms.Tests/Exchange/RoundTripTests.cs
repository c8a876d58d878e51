using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>Export then import gives back the same actuals, and never a figure the policy suppressed.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<int> Seeds => [31, 32, 33, 34];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Iati_GivesBackEveryPublishedActual_WithItsBreakdowns(int seed)
    {
        var (dataset, store) = ExchangeSamples.Generated(seed);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 1), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        Assert.Contains(data.Series, s => s.Phase is not null);
        Assert.Contains(data.Series, s => s.Dimensions.Count >= 3);
        var read = IatiResults.Read(Export(s => IatiActivities.Write(data, s)), dataset);
        Assert.Equal(ExchangeSamples.ExpectedActuals(data), ExchangeSamples.Describe(read));
        Assert.All(read, a => Assert.Equal(new Id<Organisation>("org-lead"), a.ReportedBy));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Adx_GivesBackEveryPublishedActual_WithTheBreakdownsItsMappingCarries(int seed)
    {
        var (dataset, store) = ExchangeSamples.Generated(seed);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 1), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        var mapping = ExchangeSamples.GeneratedMapping(dataset);
        var read = Adx.Read(Export(s => Adx.Write(data, mapping, s)), mapping, dataset);
        Assert.Equal(
            ExchangeSamples.ExpectedActuals(data, dimensions: new HashSet<string> { "sex", "role", "ageBand", "province" }),
            ExchangeSamples.Describe(read));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void UnderThePolicy_NoSuppressedFigureComesBack(int seed)
    {
        var (dataset, store) = ExchangeSamples.Generated(seed);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 20), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        var suppressed = data.Series.Sum(s => s.Figures.Count(f => f.IsSuppressed));
        Assert.True(suppressed > 0);
        var summary = (ExportSummary?)null;
        var read = IatiResults.Read(Export(s => summary = IatiActivities.Write(data, s)), dataset);
        Assert.Equal(suppressed, summary!.Suppressed);
        // What comes back is exactly what was published: a suppressed total gives no actual, a suppressed cell no cell.
        Assert.Equal(ExchangeSamples.ExpectedActuals(data), ExchangeSamples.Describe(read));
        var mapping = ExchangeSamples.GeneratedMapping(dataset);
        Assert.Equal(
            ExchangeSamples.ExpectedActuals(data, dimensions: new HashSet<string> { "sex", "role", "ageBand", "province" }),
            ExchangeSamples.Describe(Adx.Read(Export(s => Adx.Write(data, mapping, s)), mapping, dataset)));
    }

    [Fact]
    public void UniqueCounts_AreRecountedPerBreakdown_NeverSummed()
    {
        var (dataset, store) = ExchangeSamples.Generated(35);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 1), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        foreach (var series in data.Series.Where(s => s.IsUniqueCount && s.ReportedBy is null))
        {
            foreach (var dimension in series.Dimensions)
            {
                var figures = series.Figures.Where(f => f.Breakdown.Count == 1 && f.Breakdown[0].Dimension == dimension).ToList();
                // Each person in the age band of their first participation in the period, as the export counts them.
                var query = store.Query().AgeAtFirstParticipation().Where(Dimension.Partnership, series.Partnership.Value).Between(series.Period.Start, series.Period.End);
                if (series.Phase is { } phase)
                {
                    query = query.Where(Dimension.Phase, phase.Value);
                }
                Assert.True(Dimensions.TryParse(dimension, out var d));
                var recount = query.GroupBy(d).Measure(Measure.UniqueBeneficiaries).Run().Rows
                    .ToDictionary(r => r.Key(0) ?? AggregationPublishing.MissingKey, r => (decimal)r.Count(Measure.UniqueBeneficiaries));
                Assert.All(figures, f => Assert.Equal(recount[f.Breakdown[0].Category], f.Value));
            }
            var total = store.Query().Where(Dimension.Partnership, series.Partnership.Value).Between(series.Period.Start, series.Period.End);
            if (series.Phase is { } p)
            {
                total = total.Where(Dimension.Phase, p.Value);
            }
            Assert.Equal(total.Measure(Measure.UniqueBeneficiaries).Run().Rows[0].Count(Measure.UniqueBeneficiaries), series.Total.Value);
        }
    }

    [Fact]
    public void YearlyCumulativeFigures_OverSeveralFiscalYears_ComeBackYearByYear_FromIatiAndAdx_AndSdmxStatesEachYear()
    {
        var (generated, store) = ExchangeSamples.Generated(36);
        var yearly = new Indicator(
            new Id<Indicator>("YEARLY"), "People reached in the fiscal year", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.UniquePeople,
            Accumulation.YearlyCumulative, yearStartMonth: 7);
        var years = new[] { 2022, 2023, 2024 }
            .Select(y => new NodaTime.DateInterval(new NodaTime.LocalDate(y, 7, 1), new NodaTime.LocalDate(y + 1, 6, 30))).ToList();
        var actuals = generated.Partnerships.SelectMany(p => years.Select((year, i) => new ReportedActual(
            yearly.Id, p.Id, year, 100 + (i * 40), disaggregations: [new Disaggregation(DisaggregationDimension.Sex, [new("female", 60 + (i * 25)), new("male", 40 + (i * 15))])],
            source: "fixture"))).ToList();
        var dataset = new ProgrammeDataset(
            generated.SchemaVersion, generated.Organisations, generated.Partnerships, [.. generated.Indicators, yearly], generated.Schools, generated.Cohorts,
            generated.Activities, [.. generated.Actuals, .. actuals], generated.Description);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 1), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        var series = data.Series.Where(s => s.Indicator.Id == yearly.Id).ToList();
        Assert.Equal(actuals.Count, series.Count);

        var expected = ExchangeSamples.ExpectedActuals(data, s => s.Indicator.Id == yearly.Id);
        Assert.Equal(ExchangeSamples.Describe(actuals), expected);
        var iati = IatiResults.Read(Export(s => IatiActivities.Write(data, s)), dataset).Where(a => a.Indicator == yearly.Id);
        Assert.Equal(expected, ExchangeSamples.Describe(iati));
        var mapping = ExchangeSamples.GeneratedMapping(dataset);
        var adx = Adx.Read(Export(s => Adx.Write(data, mapping, s)), mapping, dataset).Where(a => a.Indicator == yearly.Id);
        Assert.Equal(expected, ExchangeSamples.Describe(adx));

        using var csv = new StringWriter();
        Sdmx.WriteCsv(data, csv);
        var rows = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var (indicator, time) = (Array.IndexOf(rows[0], "INDICATOR"), Array.IndexOf(rows[0], "TIME_PERIOD"));
        Assert.Equal(
            ["2022-07-01/P1Y", "2023-07-01/P1Y", "2024-07-01/P1Y"],
            rows.Skip(1).Where(r => r[indicator] == yearly.Id.Value).Select(r => r[time]).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("2025-07-01", "2026-06-30", "2025-07-01/P1Y")]
    [InlineData("2025-01-01", "2025-01-31", "2025-01-01/P1M")]
    [InlineData("2025-04-01", "2025-06-30", "2025-04-01/P3M")]
    [InlineData("2025-03-03", "2025-03-09", "2025-03-03/P7D")]
    [InlineData("2022-12-05", "2025-12-03", "2022-12-05/P1095D")]
    [InlineData("2024-01-31", "2024-02-28", "2024-01-31/P29D")]
    public void Periods_AreAStartAndADuration_ReadBackExactly(string start, string end, string text)
    {
        var period = new NodaTime.DateInterval(ExchangeText.ParseDate(start)!.Value, ExchangeText.ParseDate(end)!.Value);
        Assert.Equal(text, ExchangeText.Duration(period));
        Assert.Equal(period, ExchangeText.ParseDuration(text));
    }

    [Theory]
    [InlineData("2025-07-01")]
    [InlineData("2025-07-01/1Y")]
    [InlineData("2025-13-01/P1Y")]
    [InlineData("2025-07-01/P0D")]
    [InlineData("2025-07-01/PXD")]
    public void BrokenPeriods_AreNotRead(string text) => Assert.Null(ExchangeText.ParseDuration(text));

    private static MemoryStream Export(Action<Stream> write)
    {
        var stream = new MemoryStream();
        write(stream);
        stream.Position = 0;
        return stream;
    }
}
