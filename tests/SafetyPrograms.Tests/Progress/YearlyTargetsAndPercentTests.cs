using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Progress;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

/// <summary>
/// Accumulation and targets as programmes report them: totals that restart each fiscal year, a life-of-programme target
/// that is its own figure, and percentages built from numerator and denominator sums.
/// </summary>
public class YearlyTargetsAndPercentTests
{
    /// <summary>Seats filled in Pakistan's fiscal year (1 July to 30 June), reported as a total to date within the year.</summary>
    private static Indicator SeatsThisFiscalYear(CountingBasis basis = CountingBasis.Attendances) =>
        new(new Id<Indicator>("COP-OUT-3"), "Seats filled this fiscal year", IndicatorUnit.Count, ResultLevel.Output, basis,
            Accumulation.YearlyCumulative, yearStartMonth: 7);

    private static ActualSeries Yearly(Indicator indicator, params (DateInterval Period, decimal Value)[] points) =>
        new(indicator.Basis, indicator.Accumulation, indicator.Unit, points.Select(p => new ActualPoint(p.Period, p.Value)), indicator.YearStartMonth ?? 1);

    [Fact]
    public void YearlyCumulative_RestartsAtTheFiscalYearStart_LatestOfEachYearStands_AndYearsAdd()
    {
        var seats = SeatsThisFiscalYear();
        var series = Yearly(
            seats,
            (Interval(2023, 7, 1, 2023, 9, 30), 100m),
            (Interval(2023, 7, 1, 2024, 6, 30), 400m),  // FY2023-24 closes at 400
            (Interval(2024, 7, 1, 2024, 9, 30), 50m));  // FY2024-25 restarts

        // Not 550 (summing a total to date), not 50 (reading it as one cumulative series): 400 + 50.
        Assert.Equal(450m, series.Summarise(Interval(2023, 7, 1, 2024, 9, 30)).Value);
        Assert.Equal(2, series.Summarise(Interval(2023, 7, 1, 2024, 9, 30)).FigureCount);
        Assert.Equal(400m, series.ToDate(D(2023, 7, 1), D(2024, 6, 30)).Value);
        Assert.Equal(50m, series.Summarise(Interval(2024, 7, 1, 2025, 6, 30)).Value);
    }

    [Fact]
    public void YearlyCumulative_ProgressToAFiscalYearTarget_StartsFromZeroAtTheYearStart()
    {
        var seats = SeatsThisFiscalYear();
        var series = Yearly(seats, (Interval(2023, 7, 1, 2024, 6, 30), 400m), (Interval(2024, 7, 1, 2024, 12, 31), 90m));
        var target = new Target(seats.Id, Interval(2024, 7, 1, 2025, 6, 30), 200m);

        var progress = new ProgressCalculator().Calculate(target, seats, Programme, series, D(2025, 1, 15));

        Assert.Equal(0m, progress.StartingValue);
        Assert.Equal(90m, progress.ActualToDate);
        Assert.Equal(45m, progress.PercentAchieved);
    }

    [Fact]
    public void YearlyCumulative_AFigureCrossingTheYearStart_IsRefused()
    {
        var seats = SeatsThisFiscalYear();

        var refusal = Assert.Throws<AggregationRefusedException>(() => Yearly(seats, (Interval(2024, 1, 1, 2024, 9, 30), 300m)));

        Assert.Equal(AggregationRefusal.PeriodCrossesYearStart, refusal.Reason);
        Assert.Contains("2024-07-01", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void YearlyCumulative_UniquePeopleOfTwoYears_AreNeverAdded()
    {
        var people = SeatsThisFiscalYear(CountingBasis.UniquePeople);
        var series = Yearly(people, (Interval(2023, 7, 1, 2024, 6, 30), 400m), (Interval(2024, 7, 1, 2024, 9, 30), 50m));

        var refusal = Assert.Throws<AggregationRefusedException>(() => series.Summarise(Interval(2023, 7, 1, 2024, 9, 30)));

        Assert.Equal(AggregationRefusal.UniqueCountsNotAdditive, refusal.Reason);
        Assert.Equal(50m, series.Summarise(Interval(2024, 7, 1, 2025, 6, 30)).Value);
    }

    [Fact]
    public void YearlyCumulative_ReportedFigures_AreReadWithTheIndicatorsFiscalYear()
    {
        var seats = SeatsThisFiscalYear();
        var dataset = Dataset(
            indicators: [seats],
            programmeTargets: [new Target(seats.Id, Interval(2023, 7, 1, 2024, 6, 30), 500m)],
            actuals:
            [
                new ReportedActual(seats.Id, PartnershipId, Interval(2023, 7, 1, 2023, 12, 31), 300m),
                new ReportedActual(seats.Id, PartnershipId, Interval(2023, 7, 1, 2024, 6, 30), 520m),
                new ReportedActual(seats.Id, PartnershipId, Interval(2024, 7, 1, 2024, 12, 31), 90m),
            ]);

        var progress = new ProgressCalculator().CalculateAll(dataset, D(2024, 7, 31)).EnsureComplete().Single();

        Assert.Equal(520m, progress.ActualToDate);
        Assert.Equal(ProgressStatus.Achieved, progress.Status);
        // 520 then 90 is the count restarting on 1 July, not a cumulative total falling.
        Assert.DoesNotContain(ProgrammeValidator.Validate(dataset).Findings, f => f.Code == ValidationRules.CumulativeDecreases.Code);
    }

    [Fact]
    public void LifeOfProgrammeTarget_IsItsOwnFigure_NotTheSumOfTheYearlyTargets()
    {
        var trained = Trained();
        var yearly = new[]
        {
            new Target(trained.Id, Interval(2022, 1, 1, 2022, 12, 31), 200_000m),
            new Target(trained.Id, Interval(2022, 1, 1, 2023, 12, 31), 450_000m),
            new Target(trained.Id, Interval(2022, 1, 1, 2024, 12, 31), 700_000m),
        };
        // The article's 750,000 over the whole programme: not 200,000 + 450,000 + 700,000.
        var lifeOfProgramme = new Target(trained.Id, Interval(2022, 1, 1, 2025, 12, 3), 750_000m, kind: TargetKind.LifeOfProgramme);
        var dataset = Dataset(
            indicators: [trained],
            programmeTargets: [.. yearly, lifeOfProgramme],
            actuals: [new ReportedActual(trained.Id, PartnershipId, Interval(2022, 1, 1, 2024, 12, 31), 600_000m)]);

        var report = new ProgressCalculator().CalculateAll(dataset, D(2025, 1, 31));
        var overall = report.LifeOfProgramme(trained.Id, Programme);

        Assert.NotNull(overall);
        Assert.Equal(750_000m, overall.Progress!.TargetValue);
        Assert.Equal(TargetKind.LifeOfProgramme, overall.Progress.Kind);
        Assert.Equal(80m, overall.Progress.PercentAchieved);
        Assert.Contains("(life of programme)", overall.Progress.ToString(), StringComparison.Ordinal);
        Assert.All(report.Calculated.Where(p => p.TargetValue != 750_000m), p => Assert.Equal(TargetKind.Period, p.Kind));
        Assert.DoesNotContain(ProgrammeValidator.Validate(dataset).Findings, f => f.Code is "SP6010" or "SP6011");
    }

    [Fact]
    public void LifeOfProgrammeTarget_WhenNoneIsDeclared_IsNotMadeUpFromThePeriodTargets()
    {
        var trained = Trained();
        var dataset = Dataset(
            indicators: [trained],
            programmeTargets: [new Target(trained.Id, Interval(2022, 1, 1, 2022, 12, 31), 200_000m), new Target(trained.Id, Interval(2023, 1, 1, 2023, 12, 31), 250_000m)]);

        var report = new ProgressCalculator().CalculateAll(dataset, D(2023, 6, 30));

        Assert.Null(report.LifeOfProgramme(trained.Id, Programme));
        Assert.DoesNotContain(report.Calculated, p => p.TargetValue == 450_000m);
    }

    /// <summary>Assessments passed and taken, counted per quarter: the parts of a pass rate.</summary>
    private static (Indicator Passed, Indicator Taken, Indicator Rate) PassRate()
    {
        var passed = new Indicator(new Id<Indicator>("COP-OC-PASS"), "Assessments passed", IndicatorUnit.Count, ResultLevel.Outcome, CountingBasis.Attendances, Accumulation.Incremental);
        var taken = new Indicator(new Id<Indicator>("COP-OC-TAKEN"), "Assessments taken", IndicatorUnit.Count, ResultLevel.Outcome, CountingBasis.Attendances, Accumulation.Incremental);
        var rate = new Indicator(
            new Id<Indicator>("COP-OC-RATE"), "Pass rate", IndicatorUnit.Percent, ResultLevel.Outcome, CountingBasis.Attendances, Accumulation.LastValue,
            numerator: passed.Id, denominator: taken.Id);
        return (passed, taken, rate);
    }

    [Fact]
    public void Percent_FromNumeratorAndDenominatorSums_NotTheMeanOfPercentages()
    {
        var (passed, taken, rate) = PassRate();
        var quarter = Interval(2023, 1, 1, 2023, 3, 31);
        var laterQuarter = Interval(2024, 1, 1, 2024, 3, 31);
        var programme = Interval(2022, 1, 1, 2025, 12, 3);
        var phase1 = new ProgressScope(PartnershipId, Phase1);
        var phase2 = new ProgressScope(PartnershipId, Phase2);
        var dataset = Dataset(
            indicators: [passed, taken, rate],
            actuals:
            [
                // A class of 10 where 9 passed (90%), and a school of 100 where 10 passed (10%).
                new ReportedActual(passed.Id, PartnershipId, quarter, 9m, Phase1),
                new ReportedActual(taken.Id, PartnershipId, quarter, 10m, Phase1),
                new ReportedActual(passed.Id, PartnershipId, laterQuarter, 10m, Phase2),
                new ReportedActual(taken.Id, PartnershipId, laterQuarter, 100m, Phase2),
            ]);

        var figure = SummaryFigures.Reported(dataset, rate.Id, [phase1, phase2], programme);

        // 19 of 110, not (90% + 10%) / 2 = 50%.
        Assert.Equal(19m * 100m / 110m, figure.Value);
        Assert.Equal(IndicatorUnit.Percent, figure.Unit);
        Assert.Equal(90m, SummaryFigures.Reported(dataset, rate.Id, phase1, programme).Value);
        Assert.Equal(10m, SummaryFigures.Reported(dataset, rate.Id, phase2, programme).Value);
    }

    [Fact]
    public void Percent_ProgressReadsTheSumsOfItsPartsOverTheTargetPeriod()
    {
        var (passed, taken, rate) = PassRate();
        var dataset = Dataset(
            indicators: [passed, taken, rate],
            programmeTargets: [new Target(rate.Id, Interval(2023, 1, 1, 2023, 12, 31), 60m)],
            actuals:
            [
                new ReportedActual(passed.Id, PartnershipId, Interval(2023, 1, 1, 2023, 3, 31), 9m),
                new ReportedActual(taken.Id, PartnershipId, Interval(2023, 1, 1, 2023, 3, 31), 10m),
                new ReportedActual(passed.Id, PartnershipId, Interval(2023, 4, 1, 2023, 6, 30), 10m),
                new ReportedActual(taken.Id, PartnershipId, Interval(2023, 4, 1, 2023, 6, 30), 100m),
            ]);

        var progress = new ProgressCalculator().CalculateAll(dataset, D(2023, 7, 15)).EnsureComplete().Single();

        Assert.Equal(19m * 100m / 110m, progress.ActualToDate);
        Assert.DoesNotContain(ProgrammeValidator.Validate(dataset).Findings, f => f.Code == "SP6009");
    }

    [Fact]
    public void Percent_OfPercentagesWithoutParts_IsRefusedAcrossScopes()
    {
        var completion = new Indicator(new Id<Indicator>("COP-OC-1"), "Completion", IndicatorUnit.Percent, ResultLevel.Outcome, CountingBasis.Attendances, Accumulation.LastValue);
        var quarter = Interval(2023, 1, 1, 2023, 3, 31);
        var dataset = Dataset(
            indicators: [completion],
            actuals: [new ReportedActual(completion.Id, PartnershipId, quarter, 90m, Phase1), new ReportedActual(completion.Id, PartnershipId, quarter, 10m, Phase2)]);

        var refusal = Assert.Throws<AggregationRefusedException>(() =>
            SummaryFigures.Reported(dataset, completion.Id, [new ProgressScope(PartnershipId, Phase1), new ProgressScope(PartnershipId, Phase2)], quarter));

        Assert.Equal(AggregationRefusal.LevelsNotAdditive, refusal.Reason);
    }

    [Fact]
    public void Percent_PartsMustBeCountsOnItsBasis_TheModelRefusesTheImpossible()
    {
        Assert.Throws<ArgumentException>(() => new Indicator(
            new Id<Indicator>("x"), "Count with parts", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.Attendances, Accumulation.Incremental,
            numerator: new Id<Indicator>("a"), denominator: new Id<Indicator>("b")));
        Assert.Throws<ArgumentException>(() => new Indicator(
            new Id<Indicator>("x"), "Numerator only", IndicatorUnit.Percent, ResultLevel.Output, CountingBasis.Attendances, Accumulation.LastValue,
            numerator: new Id<Indicator>("a")));
        Assert.Throws<ArgumentException>(() => new Indicator(
            new Id<Indicator>("x"), "Fiscal level", IndicatorUnit.Percent, ResultLevel.Output, CountingBasis.Attendances, Accumulation.LastValue, yearStartMonth: 7));
    }
}
