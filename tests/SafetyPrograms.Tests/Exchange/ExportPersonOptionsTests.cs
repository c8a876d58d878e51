using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>Exports counted in another age scheme and disability cut-off than the defaults, each format stating which.</summary>
public sealed class ExportPersonOptionsTests
{
    private static readonly PublicationPolicy Everything = new(minimumCellSize: 1);

    private static IEnumerable<ExchangeFigure> ByOne(ExchangeData data, string dimension) =>
        data.Series.SelectMany(s => s.Figures).Where(f => f.Breakdown.Count == 1 && f.Breakdown[0].Dimension == dimension);

    [Fact]
    public void Publish_WithASchemeAndCutoff_CountsByThem_AndEveryFormatStatesThem()
    {
        var (dataset, store) = ExchangeSamples.Generated(41);
        var some = new DisabilityCutoff(FunctioningAnswer.SomeDifficulty);
        var chosen = ExchangeData.Publish(dataset, Everything, ExchangeSamples.AsOf, ExchangeSamples.Exported, store, AgeBandScheme.UnChildAdults, some);
        var defaults = ExchangeData.Publish(dataset, Everything, ExchangeSamples.AsOf, ExchangeSamples.Exported, store);

        Assert.Equal((AgeBandScheme.UnChildAdults, some), (chosen.AgeScheme, chosen.DisabilityCutoff));
        Assert.Equal((AgeBandScheme.UnChild, DisabilityCutoff.WashingtonGroup), (defaults.AgeScheme, defaults.DisabilityCutoff));
        var bands = ByOne(chosen, IatiActivities.AgeDimension).Select(f => f.Breakdown[0].Category).ToHashSet();
        Assert.Contains("25-49", bands);
        Assert.DoesNotContain("18+", bands);
        Assert.Contains("18+", ByOne(defaults, IatiActivities.AgeDimension).Select(f => f.Breakdown[0].Category));
        // "Some difficulty" counts more people with a disability than the published cut-off, never fewer.
        decimal Disabled(ExchangeData data) => ByOne(data, IatiActivities.DisabilityDimension).Where(f => f.Breakdown[0].Category == "disability").Sum(f => f.Value ?? 0);
        Assert.True(Disabled(chosen) > Disabled(defaults), $"{Disabled(chosen)} against {Disabled(defaults)}");

        using var sdmx = new StringWriter();
        Sdmx.WriteCsv(chosen, sdmx);
        Assert.Contains("un-child-adults", sdmx.ToString(), StringComparison.Ordinal);
        Assert.Contains("wg-some", sdmx.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wg-a-lot", sdmx.ToString(), StringComparison.Ordinal);
        using var hxl = new StringWriter();
        Hxl.WriteReach(chosen, hxl);
        Assert.Contains("un-child-adults", hxl.ToString(), StringComparison.Ordinal);
        Assert.Contains("wg-some", hxl.ToString(), StringComparison.Ordinal);
    }
}
