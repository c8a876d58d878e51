using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Validation;

/// <summary>
/// Checks a participation stream against a dataset, line by line: each record's activity, school, date, role, mode
/// and scores must agree with the dataset; a line that could not be read is rejected with its reader's reason.
/// Every line is accounted for: read = accepted + rejected.
/// </summary>
/// <remarks>
/// Build one per dataset and reuse it: construction indexes the dataset once; <see cref="Validate"/> then costs a few
/// dictionary lookups per record and allocates only for a finding, so millions of records stream through in
/// seconds. A line is rejected when it has an error finding (or a warning, with
/// <see cref="ParticipationValidationOptions.TreatWarningsAsErrors"/>). Thread-safe: <see cref="Validate"/> keeps its
/// state in locals.
/// </remarks>
public sealed class ParticipationValidator
{
    private readonly Dictionary<Id<Activity>, ActivityFacts> _activities = [];
    private readonly HashSet<Id<School>> _schools = [];
    private readonly Indicator? _assessment;

    /// <summary>Indexes <paramref name="dataset"/> for validating records against it.</summary>
    /// <param name="dataset">The dataset the records refer to.</param>
    /// <param name="options">The options; <see cref="ParticipationValidationOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ParticipationValidationOptions.MaxFindings"/> is negative.</exception>
    /// <exception cref="ArgumentException">The options name an assessment indicator the dataset does not have.</exception>
    public ParticipationValidator(ProgrammeDataset dataset, ParticipationValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Options = options ?? ParticipationValidationOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(Options.MaxFindings, nameof(options));
        var index = new DatasetIndex(dataset);
        _schools.UnionWith(index.Schools.Keys);
        var roles = new Dictionary<Id<Phase>, int>();
        foreach (var cohort in dataset.Cohorts)
        {
            roles[cohort.Phase] = roles.GetValueOrDefault(cohort.Phase) | RoleBit(cohort.Role);
        }
        foreach (var (id, activity) in index.Activities)
        {
            var phase = index.Phases.GetValueOrDefault(activity.Phase);
            _activities.Add(id, new ActivityFacts(activity, phase, roles.GetValueOrDefault(activity.Phase)));
        }
        if (Options.AssessmentIndicator is { } assessment)
        {
            _assessment = index.Indicator(assessment)
                ?? throw new ArgumentException($"The assessment indicator '{assessment}' is not in the dataset's indicators.", nameof(options));
        }
        else
        {
            var scores = dataset.Indicators.Where(i => i.Unit == IndicatorUnit.Score).Take(2).ToList();
            _assessment = scores.Count == 1 ? scores[0] : null;
        }
    }

    /// <summary>The options.</summary>
    public ParticipationValidationOptions Options { get; }

    /// <summary>Validates every line, or up to the first rejected one under <see cref="IngestPolicy.StopAtFirstError"/>.</summary>
    /// <param name="lines">The lines as read, successes and failures, in file order.</param>
    /// <param name="onAccepted">Called with each accepted record, for an importer that keeps them; may be <c>null</c>.</param>
    /// <returns>
    /// The findings, each with its line number, and the read, accepted and rejected counts. When the reader throws a
    /// <see cref="DataFormatException"/> because it cannot go on, the report ends with finding SP0001 and
    /// <see cref="ParticipationCounts.StoppedEarly"/> is set.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> is null.</exception>
    public ValidationReport Validate(IEnumerable<ParticipationReadResult> lines, Action<ParticipationRecord>? onAccepted = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var sink = new FindingSink(Options);
        var seen = Options.DetectRepeatedRecords ? new Dictionary<(BeneficiaryKey, Id<Activity>), long>() : null;
        long accepted = 0, rejected = 0;
        var stopped = false;
        using var reader = lines.GetEnumerator();
        while (true)
        {
            ParticipationReadResult line;
            try
            {
                if (!reader.MoveNext())
                {
                    break;
                }
                line = reader.Current;
            }
            catch (DataFormatException error)
            {
                // The reader cannot go on (no header row, a broken encoding): the rest of the stream is unreadable.
                // This finding is kept even past MaxFindings, because without it the report would look complete.
                sink.Add(ProgrammeValidator.ToFinding(ValidationRules.UnreadableInput, error, error.LineNumber), ValidationRules.UnreadableInput, force: true);
                stopped = true;
                break;
            }
            bool ok;
            if (line.Record is { } record)
            {
                ok = Check(record, line.LineNumber, sink);
                if (seen is not null && !seen.TryAdd((record.Beneficiary, record.Activity), line.LineNumber))
                {
                    ok &= sink.Add(
                        ValidationRules.RecordRepeated, "beneficiary",
                        $"Beneficiary '{record.Beneficiary}' is already recorded at activity '{record.Activity}' on line {seen[(record.Beneficiary, record.Activity)]}.",
                        record.Beneficiary.Value, line.LineNumber);
                }
            }
            else
            {
                var error = line.Error ?? new DataFormatException("The line was neither read nor refused.");
                sink.Add(ProgrammeValidator.ToFinding(ValidationRules.UnreadableRecord, error, line.LineNumber), ValidationRules.UnreadableRecord);
                ok = false;
            }
            if (ok)
            {
                accepted++;
                onAccepted?.Invoke(line.Record!);
            }
            else
            {
                rejected++;
                if (Options.Policy == IngestPolicy.StopAtFirstError)
                {
                    stopped = true;
                    break;
                }
            }
        }
        return new ValidationReport(sink.Findings, Options.TreatWarningsAsErrors, new ParticipationCounts(accepted, rejected, stopped), sink.Omitted);
    }

    /// <summary>The per-record checks: hand-written lookups on the index, allocating only when a finding is made.</summary>
    private static string Describe(RawIdentifierKind kind) => kind switch
    {
        RawIdentifierKind.PhoneNumber => "phone number",
        RawIdentifierKind.NationalIdNumber => "national identity number",
        RawIdentifierKind.EmailAddress => "e-mail address",
        _ => "identifier",
    };

    private bool Check(ParticipationRecord record, long line, FindingSink sink)
    {
        var ok = true;
        if (RawIdentifierDetector.LooksLikeRawIdentifier(record.Beneficiary.Value) is var raw and not RawIdentifierKind.None)
        {
            // The attempted value is left out on purpose: echoing a child's phone number into a report would leak it again.
            var rule = ValidationRules.KeyLooksLikeRawIdentifier;
            ok &= sink.Add(
                new ValidationFinding(rule.Code, rule.Severity, "beneficiary", $"The beneficiary key looks like a raw {Describe(raw)}, not a pseudonymous key.", rule.Fix, null, line),
                rule);
        }
        var school = record.School;
        if (school is { } unknown && !_schools.Contains(unknown))
        {
            school = null;
            ok &= sink.Add(ValidationRules.RecordUnknownSchool, "school", $"School '{unknown}' is not in the dataset's schools.", unknown.Value, line);
        }
        if (!_activities.TryGetValue(record.Activity, out var activity))
        {
            return sink.Add(
                ValidationRules.RecordUnknownActivity, "activity", $"Activity '{record.Activity}' is not in the dataset's activities.",
                record.Activity.Value, line) && ok;
        }
        if (activity.Phase is { } phase)
        {
            if (!phase.Phase.Period.Contains(record.Date))
            {
                ok &= sink.Add(
                    ValidationRules.RecordOutsidePhase, "date",
                    $"The record is dated {JsonText.Of(record.Date)}, outside phase '{phase.Phase.Id}' ({JsonText.Of(phase.Phase.Period)}) of activity '{record.Activity}'.",
                    JsonText.Of(record.Date), line);
            }
            else if (record.Date < activity.Date)
            {
                ok &= sink.Add(
                    ValidationRules.RecordBeforeActivity, "date",
                    $"The record is dated {JsonText.Of(record.Date)}, before activity '{record.Activity}' on {JsonText.Of(activity.Date)}.",
                    JsonText.Of(record.Date), line);
            }
            if (school is { } enrolled && activity.School is null && !phase.Admits(enrolled))
            {
                ok &= sink.Add(
                    ValidationRules.RecordSchoolMismatch, "school",
                    $"School '{enrolled}' is not enrolled in phase '{phase.Phase.Id}' of activity '{record.Activity}'.", enrolled.Value, line);
            }
        }
        if (school is { } at && activity.School is { } held && at != held)
        {
            ok &= sink.Add(
                ValidationRules.RecordSchoolMismatch, "school",
                $"The record names school '{at}', but activity '{record.Activity}' was held at '{held}'.", at.Value, line);
        }
        if (activity.Roles != 0 && (activity.Roles & RoleBit(record.Role)) == 0)
        {
            ok &= sink.Add(
                ValidationRules.RecordRoleNotInPhase, "role",
                $"No cohort of phase '{activity.PhaseId}' has role {JsonText.Of(record.Role)}.", JsonText.Of(record.Role), line);
        }
        if (activity.Mode != DeliveryMode.Hybrid && record.Mode != activity.Mode)
        {
            ok &= sink.Add(
                ValidationRules.RecordModeMismatch, "mode",
                $"The record is {JsonText.Of(record.Mode)}, but activity '{record.Activity}' was {JsonText.Of(activity.Mode)}.",
                JsonText.Of(record.Mode), line);
        }
        if (_assessment is { } assessment)
        {
            ok &= CheckScore(assessment, record.PreScore, "preScore", line, sink);
            ok &= CheckScore(assessment, record.PostScore, "postScore", line, sink);
        }
        return ok;
    }

    private static bool CheckScore(Indicator assessment, decimal? score, string path, long line, FindingSink sink) =>
        score is not { } value || ValueChecks.InRange(assessment, value) || sink.Add(
            ValidationRules.RecordScoreOutOfRange, path,
            $"{JsonText.Of(value)} is outside the range {ValueChecks.RangeText(assessment)} of assessment indicator '{assessment.Id}'.",
            JsonText.Of(value), line);

    private static int RoleBit(BeneficiaryRole role) => 1 << (int)role;

    /// <summary>What the per-record checks need of an activity, resolved once.</summary>
    private sealed class ActivityFacts(Activity activity, PhaseEntry? phase, int roles)
    {
        internal PhaseEntry? Phase { get; } = phase;

        internal Id<Phase> PhaseId { get; } = activity.Phase;

        internal Id<School>? School { get; } = activity.School;

        internal DeliveryMode Mode { get; } = activity.Mode;

        internal NodaTime.LocalDate Date { get; } = activity.Date;

        /// <summary>A bit per role that has a cohort in the phase; 0 when the phase declares no cohorts (any role goes).</summary>
        internal int Roles { get; } = roles;
    }

    /// <summary>Collects findings up to the limit and says whether each one rejects its line.</summary>
    private sealed class FindingSink(ParticipationValidationOptions options)
    {
        internal List<ValidationFinding> Findings { get; } = [];

        internal long Omitted { get; private set; }

        /// <summary>Adds a finding; returns <c>true</c> when the line may still be accepted (the finding does not reject it).</summary>
        internal bool Add(ValidationRule rule, string path, string message, string attemptedValue, long line) =>
            Add(new ValidationFinding(rule.Code, rule.Severity, path, message, rule.Fix, attemptedValue, line), rule);

        internal bool Add(ValidationFinding finding, ValidationRule rule, bool force = false)
        {
            if (force || Findings.Count < options.MaxFindings)
            {
                Findings.Add(finding);
            }
            else
            {
                Omitted++;
            }
            return rule.Severity == FindingSeverity.Info || (rule.Severity == FindingSeverity.Warning && !options.TreatWarningsAsErrors);
        }
    }
}
