using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>Figures read back from a partner's IATI file combine by their indicator's accumulation rule, as the originals do.</summary>
public sealed class ImportedProgressTests
{
    [Fact]
    public void CumulativeFigures_ReadBackFromIati_GiveTheLatestTotal_NotTheirSum()
    {
        var dataset = ExchangeSamples.SampleDataset();
        var imported = Reimported(dataset, PublicationPolicy.Default);
        var (indicator, scope) = (new Id<Indicator>("COP-OUT-1"), new ProgressScope(new Id<Partnership>("ps-child-online-protection")));
        Assert.Equal(2, imported.Actuals.Count(a => a.Indicator == indicator));

        var original = ToDate(dataset, indicator, scope);
        Assert.Equal(431_000m, original);
        Assert.Equal(original, ToDate(imported, indicator, scope));
    }

    [Fact]
    public void IncrementalFigures_ReadBackFromIati_AreSummedOverTheTargetsPeriod()
    {
        var (generated, _) = ExchangeSamples.Generated(38);
        var seats = generated.Indicators.Single(i => i.Accumulation == Accumulation.Incremental).Id;
        var partnership = generated.Partnerships[0];
        var withTarget = new Partnership(
            partnership.Id, partnership.Name, partnership.Period, partnership.Status, partnership.Members, partnership.Phases,
            [.. partnership.Targets, new Target(seats, partnership.Period.ToInterval(ExchangeSamples.AsOf), 1_000_000)], country: partnership.Country);
        var dataset = new ProgrammeDataset(
            generated.SchemaVersion, generated.Organisations, [withTarget, .. generated.Partnerships.Skip(1)], generated.Indicators, generated.Schools,
            generated.Cohorts, generated.Activities, generated.Actuals, generated.Description);
        var imported = Reimported(dataset, new PublicationPolicy(minimumCellSize: 1));
        var scope = new ProgressScope(partnership.Id);
        var years = imported.Actuals.Where(a => a.Indicator == seats && a.Partnership == partnership.Id && a.Phase is null).ToList();
        Assert.Equal(3, years.Count);

        var fromImport = ToDate(imported, seats, scope);
        Assert.Equal(years.Sum(a => a.Value), fromImport);
        Assert.Equal(ToDate(dataset, seats, scope), fromImport);
    }

    /// <summary>The dataset with its reported figures replaced by what its IATI export reads back as.</summary>
    private static ProgrammeDataset Reimported(ProgrammeDataset dataset, PublicationPolicy policy)
    {
        var data = ExchangeData.Publish(dataset, policy, ExchangeSamples.AsOf, ExchangeSamples.Exported);
        using var iati = new MemoryStream();
        IatiActivities.Write(data, iati, IatiUnidentifiedProgrammes.LeaveOut);
        iati.Position = 0;
        return new ProgrammeDataset(
            dataset.SchemaVersion, dataset.Organisations, dataset.Partnerships, dataset.Indicators, dataset.Schools, dataset.Cohorts,
            dataset.Activities, IatiResults.Read(iati, dataset), dataset.Description);
    }

    private static decimal ToDate(ProgrammeDataset dataset, Id<Indicator> indicator, ProgressScope scope)
    {
        var outcome = Assert.Single(new ProgressCalculator().CalculateAll(dataset, ExchangeSamples.AsOf).Targets,
            t => t.Scope == scope && t.Target.Indicator == indicator && t.Target.Role is null);
        Assert.True(outcome.IsCalculated, outcome.ToString());
        return outcome.Progress!.ActualToDate;
    }
}
