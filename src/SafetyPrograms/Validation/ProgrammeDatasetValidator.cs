using FluentValidation;
using FluentValidation.Results;
using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Validation;

/// <summary>
/// The FluentValidation validator of a whole <see cref="ProgrammeDataset"/>, composed of one validator per type.
/// Failures carry the rule's code (<see cref="ValidationFailure.ErrorCode"/>), severity, the attempted value as
/// written in JSON, and the JSON path exactly as in the file (<c>partnerships[0].phases[1].period.end</c>).
/// </summary>
/// <remarks>
/// Internal: <see cref="ProgrammeValidator"/> is the public entry point and returns a <see cref="ValidationReport"/>, so
/// FluentValidation stays an implementation detail whose upgrades never change our public API. It is stateless and
/// thread-safe: build it once (or use
/// <see cref="Instance"/>) and reuse it. The cross-reference index is built once per run, before any rule, and shared
/// with the child validators through the context's root data; the options travel the same way (see
/// <see cref="CreateContext"/>). It never changes <c>ValidatorOptions.Global</c>.
/// </remarks>
internal sealed class ProgrammeDatasetValidator : AbstractValidator<ProgrammeDataset>
{
    /// <summary>The shared instance.</summary>
    public static ProgrammeDatasetValidator Instance { get; } = new();

    /// <summary>Creates the validator.</summary>
    public ProgrammeDatasetValidator()
    {
        RuleFor(d => d).Custom(CheckSchemaVersion);
        RuleFor(d => d).Custom(CheckIdentity);
        RuleFor(d => d).Custom(CheckGeography);
        RuleFor(d => d).Custom(CheckSeries);
        RuleForEach(d => d.Partnerships).SetValidator(PartnershipValidator.Instance).OverridePropertyName("partnerships");
        RuleForEach(d => d.Indicators).SetValidator(IndicatorValidator.Instance).OverridePropertyName("indicators");
        RuleForEach(d => d.Schools).SetValidator(SchoolValidator.Instance).OverridePropertyName("schools");
        RuleForEach(d => d.Cohorts).SetValidator(CohortValidator.Instance).OverridePropertyName("cohorts");
        RuleForEach(d => d.Activities).SetValidator(ActivityValidator.Instance).OverridePropertyName("activities");
        RuleForEach(d => d.Actuals).SetValidator(ReportedActualValidator.Instance).OverridePropertyName("actuals");
    }

    /// <summary>A validation context for <paramref name="dataset"/> that carries <paramref name="options"/>.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="options">The options; <see cref="ValidationOptions.Default"/> when <c>null</c>.</param>
    /// <returns>The context, to pass to <see cref="AbstractValidator{T}.Validate(ValidationContext{T})"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <param name="reading">The reading of the file the dataset was built from, when read leniently, so that references to what it lost name the cause.</param>
    public static ValidationContext<ProgrammeDataset> CreateContext(ProgrammeDataset dataset, ValidationOptions? options = null, Serialization.ContractReading? reading = null)
    {
        Preconditions.CheckNotNull(dataset);
        var context = new ValidationContext<ProgrammeDataset>(dataset);
        context.RootContextData[ValidationSession.Key] = new ValidationSession(ProgrammeIndex.For(dataset), options ?? ValidationOptions.Default, reading);
        return context;
    }

    /// <summary>Builds the run's index when the caller did not go through <see cref="CreateContext"/>.</summary>
    /// <param name="context">The context.</param>
    /// <param name="result">The result so far.</param>
    /// <returns><c>true</c>: validation always proceeds.</returns>
    protected override bool PreValidate(ValidationContext<ProgrammeDataset> context, ValidationResult result)
    {
        if (!context.RootContextData.TryGetValue(ValidationSession.Key, out var session) || session is not ValidationSession)
        {
            context.RootContextData[ValidationSession.Key] = new ValidationSession(ProgrammeIndex.For(context.InstanceToValidate), ValidationOptions.Default);
        }
        return true;
    }

    private static void CheckSchemaVersion(ProgrammeDataset dataset, ValidationContext<ProgrammeDataset> context)
    {
        if (dataset.SchemaVersion != ProgrammeDataset.CurrentSchemaVersion)
        {
            context.Report(
                ValidationRules.UnsupportedSchemaVersion, "schemaVersion",
                $"Schema version '{dataset.SchemaVersion}' is not supported; this library reads '{ProgrammeDataset.CurrentSchemaVersion}'.",
                dataset.SchemaVersion);
        }
    }

    private static void CheckIdentity(ProgrammeDataset dataset, ValidationContext<ProgrammeDataset> context)
    {
        Unique(context, "organisation", dataset.Organisations.Select((o, i) => ($"organisations[{i}]", o.Id.Value)));
        Unique(context, "partnership", dataset.Partnerships.Select((p, i) => ($"partnerships[{i}]", p.Id.Value)));
        Unique(context, "phase", dataset.Partnerships.SelectMany((p, i) => p.Phases.Select((f, j) => ($"partnerships[{i}].phases[{j}]", f.Id.Value))));
        Unique(context, "milestone", dataset.Partnerships.SelectMany((p, i) => p.Milestones.Select((m, j) => ($"partnerships[{i}].milestones[{j}]", m.Id.Value))));
        Unique(context, "indicator", dataset.Indicators.Select((x, i) => ($"indicators[{i}]", x.Id.Value)));
        Unique(context, "school", dataset.Schools.Select((s, i) => ($"schools[{i}]", s.Id.Value)));
        Unique(context, "cohort", dataset.Cohorts.Select((c, i) => ($"cohorts[{i}]", c.Id.Value)));
        Unique(context, "activity", dataset.Activities.Select((a, i) => ($"activities[{i}]", a.Id.Value)));

        var emis = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < dataset.Schools.Count; i++)
        {
            if (dataset.Schools[i].EmisCode is not { Length: > 0 } code)
            {
                continue;
            }
            if (!emis.TryAdd(code, i))
            {
                context.Report(
                    ValidationRules.DuplicateEmisCode, $"schools[{i}].emisCode",
                    $"EMIS code '{code}' is also the code of school '{dataset.Schools[emis[code]].Id}' (schools[{emis[code]}]).", code);
            }
        }
    }

    private static void Unique(ValidationContext<ProgrammeDataset> context, string kind, IEnumerable<(string Path, string Id)> items)
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, id) in items)
        {
            if (!first.TryAdd(id, path))
            {
                context.Report(ValidationRules.DuplicateId, $"{path}.id", $"The {kind} id '{id}' is already used by {first[id]}.", id);
            }
        }
    }

    private static void CheckGeography(ProgrammeDataset dataset, ValidationContext<ProgrammeDataset> context)
    {
        var countriesWithoutCodelist = new HashSet<CountryCode>();
        var districts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < dataset.Schools.Count; i++)
        {
            var location = dataset.Schools[i].Location;
            if (!Subdivisions.HasCodelist(location.Country) && countriesWithoutCodelist.Add(location.Country))
            {
                context.Report(
                    ValidationRules.NoProvinceCodelist, $"schools[{i}].location.country",
                    $"This library has no province codelist for {location.Country}; its province codes are checked for form only.",
                    location.Country.Value);
            }
            var key = NormaliseDistrict(location.District);
            if (!districts.TryAdd(key, i))
            {
                var firstIndex = districts[key];
                var first = dataset.Schools[firstIndex].Location;
                if (first.Province != location.Province)
                {
                    context.Report(
                        ValidationRules.DistrictInTwoProvinces, $"schools[{i}].location.district",
                        $"District '{location.District}' is in {location.Province} here but in {first.Province} at schools[{firstIndex}].",
                        location.District);
                }
                else if (!string.Equals(first.District, location.District, StringComparison.Ordinal))
                {
                    context.Report(
                        ValidationRules.DistrictSpelling, $"schools[{i}].location.district",
                        $"District '{location.District}' is spelled '{first.District}' at schools[{firstIndex}].", location.District);
                }
            }
        }
    }

    private static string NormaliseDistrict(string district) =>
        string.Join(' ', district.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToUpperInvariant();

    private static void CheckSeries(ProgrammeDataset dataset, ValidationContext<ProgrammeDataset> context)
    {
        var index = context.Session().Index;
        var figures = new Dictionary<(Id<Indicator>, Id<Partnership>, Id<Phase>?, NodaTime.LocalDate, NodaTime.LocalDate), int>();
        for (var i = 0; i < dataset.Actuals.Count; i++)
        {
            var actual = dataset.Actuals[i];
            if (!figures.TryAdd((actual.Indicator, actual.Partnership, actual.Phase, actual.Period.Start, actual.Period.End), i))
            {
                var first = figures[(actual.Indicator, actual.Partnership, actual.Phase, actual.Period.Start, actual.Period.End)];
                context.Report(
                    ValidationRules.FigureReportedTwice, $"actuals[{i}].period",
                    $"Indicator '{actual.Indicator}' is already reported for {JsonText.Of(actual.Period)} and this scope at actuals[{first}].",
                    JsonText.Of(actual.Period));
            }
        }
        // A yearly-cumulative series restarts each year, so it may only fall from one year to the next.
        var series = dataset.Actuals
            .Select((actual, i) => (Actual: actual, Index: i, Indicator: index.Indicator(actual.Indicator)))
            .Where(x => x.Indicator?.Accumulation is Accumulation.Cumulative or Accumulation.YearlyCumulative)
            .GroupBy(x => (x.Actual.Indicator, x.Actual.Partnership, x.Actual.Phase,
                Year: x.Indicator!.Accumulation == Accumulation.YearlyCumulative ? x.Indicator.YearStart(x.Actual.Period.End) : default));
        foreach (var group in series)
        {
            var ordered = group.OrderBy(x => x.Actual.Period.End).ThenBy(x => x.Actual.Period.Start).ThenBy(x => x.Index).ToList();
            for (var k = 1; k < ordered.Count; k++)
            {
                var (previous, current) = (ordered[k - 1], ordered[k]);
                if (current.Actual.Value < previous.Actual.Value)
                {
                    context.Report(
                        ValidationRules.CumulativeDecreases, $"actuals[{current.Index}].value",
                        $"{(current.Indicator!.Accumulation == Accumulation.Cumulative ? "Cumulative" : "Yearly-cumulative")} indicator '{current.Actual.Indicator}' falls from {JsonText.Of(previous.Actual.Value)} (to {JsonText.Of(previous.Actual.Period.End)}, actuals[{previous.Index}]) to {JsonText.Of(current.Actual.Value)} (to {JsonText.Of(current.Actual.Period.End)}).",
                        JsonText.Of(current.Actual.Value));
                }
            }
        }
    }
}
