using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Validation;

/// <summary>
/// Checks a participation stream against a dataset, line by line, with the row rules every ingest applies: each
/// record's activity, school, date and scores must agree with the dataset and fit what the library holds; a line that
/// could not be read is rejected with its reader's reason. Every line is accounted for: read = accepted + rejected.
/// </summary>
/// <remarks>
/// With default options a line is rejected exactly when <see cref="Aggregation.ParticipationStore"/>'s appends refuse it,
/// and the store's code for it is among this report's codes for that line (the store names the first rule broken,
/// this report every one). <see cref="ParticipationValidationOptions.TreatWarningsAsErrors"/>,
/// <see cref="IngestPolicy.StopAtFirstError"/> and <see cref="ParticipationValidationOptions.AssessmentIndicator"/> are
/// this validator's stricter or other modes; the store always applies the defaults. Build one per dataset and reuse
/// it: the dataset is indexed once (and shared with stores over the same dataset instance); <see cref="Validate"/>
/// then costs a few lookups per record and allocates only for a finding and for the distinct scores it counts (SP8013,
/// at most 65,535). Thread-safe: <see cref="Validate"/> keeps its state in locals.
/// </remarks>
public sealed class ParticipationValidator
{
    private readonly RowChecker _rules;

    /// <summary>Indexes <paramref name="dataset"/> for validating records against it.</summary>
    /// <param name="dataset">The dataset the records refer to.</param>
    /// <param name="options">The options; <see cref="ParticipationValidationOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ParticipationValidationOptions.MaxFindings"/> is negative.</exception>
    /// <exception cref="ArgumentException">The options name an assessment indicator the dataset does not have.</exception>
    public ParticipationValidator(ProgrammeDataset dataset, ParticipationValidationOptions? options = null)
    {
        Preconditions.CheckNotNull(dataset);
        Options = options ?? ParticipationValidationOptions.Default;
        Preconditions.CheckNonNegative(Options.MaxFindings, nameof(options));
        var index = ProgrammeIndex.For(dataset);
        if (Options.AssessmentIndicator is { } assessment)
        {
            var indicator = index.Indicator(assessment)
                ?? throw new ArgumentException($"The assessment indicator '{assessment}' is not in the dataset's indicators.", nameof(options));
            _rules = new RowChecker(index, indicator);
        }
        else
        {
            _rules = RowChecker.For(dataset);
        }
    }

    /// <summary>The options.</summary>
    public ParticipationValidationOptions Options { get; }

    /// <summary>The most lines one stream may have (SP8016); smaller only in tests.</summary>
    internal long MaxRecords { get; init; } = RowChecker.MaxRecords;

    /// <summary>Validates every line, or up to the first rejected one under <see cref="IngestPolicy.StopAtFirstError"/>.</summary>
    /// <param name="lines">The lines as read, successes and failures, in file order.</param>
    /// <param name="onAccepted">Called with each accepted record, for an importer that keeps them; may be <c>null</c>.</param>
    /// <returns>
    /// The findings, each with its line number and its <see cref="ValidationFinding.Location"/> (the line, or where the
    /// row's source places it: <see cref="ParticipationReadResult.Locate"/>), and the read, accepted and rejected counts. When the reader throws a
    /// <see cref="DataFormatException"/> because it cannot go on, the report ends with finding SP0001 and
    /// <see cref="ParticipationCounts.StoppedEarly"/> is set.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> is null.</exception>
    public ValidationReport Validate(IEnumerable<ParticipationReadResult> lines, Action<ParticipationRecord>? onAccepted = null)
    {
        Preconditions.CheckNotNull(lines);
        var sink = new FindingSink(Options);
        var seen = Options.DetectRepeatedRecords ? new Dictionary<(BeneficiaryKey, Id<Activity>), long>() : null;
        var scores = new ScoreTally();
        var people = new Dictionary<BeneficiaryKey, (FunctioningAnswers Answers, int? Born, long Line)>();
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
                sink.Locator = line.Locator;
            }
            catch (DataFormatException error)
            {
                // The reader cannot go on (no header row, a broken encoding): the rest of the stream is unreadable.
                // This finding is kept even past MaxFindings, because without it the report would look complete.
                sink.Add(ProgrammeValidator.ToFinding(ValidationRules.UnreadableInput, error, error.LineNumber, sink.Locator), ValidationRules.UnreadableInput, force: true);
                stopped = true;
                break;
            }
            if (accepted + rejected >= MaxRecords)
            {
                // An endless stream ends here with a finding: the line past the limit is refused and nothing more is read.
                var limit = ValidationRules.RecordBeyondLimit;
                sink.Add(limit, "$", $"The stream has more than {MaxRecords:N0} records: this one is refused and reading stopped here.", null, line.LineNumber, force: true);
                rejected++;
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
                        ValidationRules.RecordRepeated, ValidationFinding.BeneficiaryColumn,
                        $"This beneficiary is already recorded at activity {record.Activity}, at {sink.Locator.Locate(seen[(record.Beneficiary, record.Activity)])}.",
                        null, line.LineNumber);
                }
                ok &= CheckPerson(record, line.LineNumber, people, sink);
                if (ok && !scores.TryTake(RowChecker.Scaled(record.PreScore), RowChecker.Scaled(record.PostScore)))
                {
                    // Counted over accepted rows only, as the store counts the scores it holds.
                    ok = Report(RowFaults.TooManyScores, record, ProgrammeIndex.None, line.LineNumber, sink);
                }
            }
            else
            {
                var error = line.Error ?? new DataFormatException("The line was neither read nor refused.");
                var rule = error.Fault switch
                {
                    ReadFault.BrokenQuote => ValidationRules.RecordBrokenQuote,
                    ReadFault.SentAgain => ValidationRules.SubmissionSentAgain,
                    _ => ValidationRules.UnreadableRecord,
                };
                sink.Add(ProgrammeValidator.ToFinding(rule, error, line.LineNumber, sink.Locator), rule);
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

    /// <summary>
    /// SP8017: the person's answers and year of birth against the first ones recorded for them (the store keeps the first);
    /// the finding names the first column that differs and the earlier line, never the key.
    /// </summary>
    private static bool CheckPerson(
        ParticipationRecord record, long line, Dictionary<BeneficiaryKey, (FunctioningAnswers Answers, int? Born, long Line)> people, FindingSink sink)
    {
        var answers = record.Functioning();
        if (answers.IsEmpty && record.YearOfBirth is null)
        {
            return true;
        }
        if (!people.TryGetValue(record.Beneficiary, out var first))
        {
            people[record.Beneficiary] = (answers, record.YearOfBirth, line);
            return true;
        }
        var column = record.YearOfBirth is { } born && first.Born is { } earlier && born != earlier ? "yearOfBirth" : null;
        if (column is null && !answers.IsEmpty && !first.Answers.IsEmpty && answers != first.Answers)
        {
            column = FirstDifference(answers, first.Answers);
        }
        people[record.Beneficiary] = (first.Answers.IsEmpty ? answers : first.Answers, first.Born ?? record.YearOfBirth, first.Line);
        return column is null || sink.Add(
            ValidationRules.PersonAttributesDiffer, column,
            $"This beneficiary's {column} differs from the one recorded at {sink.Locator.Locate(first.Line)}: the first is the one counted.", null, line);
    }

    /// <summary>The column of the first domain two sets of answers differ in (a method of its own, so no closure is made per record).</summary>
    private static string FirstDifference(FunctioningAnswers answers, FunctioningAnswers first) =>
        JsonText.Of(Enum.GetValues<FunctioningDomain>().First(d => answers.Answered(d) != first.Answered(d)));

    private static string Describe(RawIdentifierKind kind) => kind switch
    {
        RawIdentifierKind.PhoneNumber => "phone number",
        RawIdentifierKind.NationalIdNumber => "national identity number",
        RawIdentifierKind.EmailAddress => "e-mail address",
        _ => "identifier",
    };

    /// <summary>The per-record checks: the row rules every ingest applies, then the privacy check; allocates only for a finding.</summary>
    private bool Check(ParticipationRecord record, long line, FindingSink sink)
    {
        var ok = true;
        if (RawIdentifierDetector.LooksLikeRawIdentifier(record.Beneficiary.Value) is var raw and not RawIdentifierKind.None)
        {
            // The attempted value is left out on purpose: echoing a child's phone number into a report would leak it again.
            var rule = ValidationRules.KeyLooksLikeRawIdentifier;
            ok &= sink.Add(rule, ValidationFinding.BeneficiaryColumn, $"The beneficiary key looks like a raw {Describe(raw)}, not a pseudonymous key.", null, line);
        }
        var index = _rules.Index;
        var day = ProgrammeIndex.DayNumber(record.Date);
        var pre = RowChecker.Scaled(record.PreScore);
        var post = RowChecker.Scaled(record.PostScore);
        var school = record.School is not { } named ? ProgrammeIndex.None
            : index.SchoolIndex.TryGetValue(named, out var found) ? found : RowChecker.UnknownSchool;
        var activity = index.ActivityIndex.TryGetValue(record.Activity, out var known) ? known : ProgrammeIndex.None;
        var faults = _rules.Refusals(activity, school, day, pre, post);
        if ((faults & (RowFaults.UnknownActivity | RowFaults.ActivityUnusable)) == 0)
        {
            faults |= _rules.Warnings(activity, day, (int)record.Role, (int)record.Mode);
        }
        if (faults != RowFaults.None)
        {
            ok &= Report(faults, record, activity, line, sink);
        }
        return ok;
    }

    /// <summary>Adds a finding for each fault, in the catalogue's order; returns whether the line may still be accepted.</summary>
    private bool Report(RowFaults faults, ParticipationRecord record, int activity, long line, FindingSink sink)
    {
        var ok = true;
        var values = new RowValues(
            record.Activity.Value, activity, record.School?.Value, ProgrammeIndex.DayNumber(record.Date), (int)record.Role, (int)record.Mode,
            record.PreScore is { } pre ? JsonText.Of(pre) : null, record.PostScore is { } post ? JsonText.Of(post) : null);
        foreach (var fault in RowFindings.Order)
        {
            if ((faults & fault) != 0)
            {
                var (message, attempted) = RowFindings.Describe(fault, values, _rules);
                var rule = RowFindings.Rule(fault);
                ok &= sink.Add(rule, RowFindings.Path(fault), message, attempted, line);
            }
        }
        return ok;
    }

    /// <summary>Collects findings up to the limit and says whether each one rejects its line.</summary>
    private sealed class FindingSink(ParticipationValidationOptions options)
    {
        internal List<ValidationFinding> Findings { get; } = [];

        internal long Omitted { get; private set; }

        /// <summary>How the rows of the stream are named: the last row read says (a workbook's cells, a query's result rows).</summary>
        internal RowLocator Locator { get; set; } = RowLocator.Lines;

        /// <summary>
        /// Adds a finding about line <paramref name="line"/>, placed as the user finds it (the cell of <paramref name="path"/>
        /// where the source's cells have addresses); returns <c>true</c> when the line may still be accepted (the finding does not reject it).
        /// </summary>
        internal bool Add(ValidationRule rule, string path, string message, string? attemptedValue, long line, bool force = false) =>
            Add(new ValidationFinding(rule.Code, rule.Severity, path, message, rule.Fix, attemptedValue, line, location: Locator.Locate(line, path)), rule, force);

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
