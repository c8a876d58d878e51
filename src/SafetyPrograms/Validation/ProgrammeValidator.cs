using FluentValidation.Results;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Validation;

/// <summary>
/// Judges whether a dataset or a participation stream is right, the way a funder's data team would before accepting a
/// partner's report: input, identity, references and codelists, then business rules, every finding with a code,
/// severity, JSON path and fix.
/// </summary>
/// <remarks>
/// The rules are listed in <see cref="ValidationRules"/> and in the README's "Validation rules" table. All members
/// are thread-safe. Constructors of the domain types already refuse impossible values; validation finds what is
/// possible but wrong.
/// </remarks>
public static class ProgrammeValidator
{
    /// <summary>Validates a dataset with every rule (or only the structural ones, per <paramref name="options"/>).</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="options">The options; <see cref="ValidationOptions.Default"/> when <c>null</c>.</param>
    /// <returns>Every finding.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    public static ValidationReport Validate(ProgrammeDataset dataset, ValidationOptions? options = null)
    {
        options ??= ValidationOptions.Default;
        return new ValidationReport(Judge(ProgrammeDatasetValidator.CreateContext(dataset, options)), options.TreatWarningsAsErrors);
    }

    private static List<ValidationFinding> Judge(FluentValidation.ValidationContext<ProgrammeDataset> context) =>
        [.. ProgrammeDatasetValidator.Instance.Validate(context).Errors.Select(ToFinding)];

    /// <summary>
    /// The findings in the order of the file (those without a line last, in the order found), the first
    /// <see cref="ValidationOptions.MaxFindings"/> kept; a finding that the input could not be read is always kept.
    /// </summary>
    private static ValidationReport Capped(List<ValidationFinding> findings, ValidationOptions options, long omittedEarlier)
    {
        var ordered = findings.OrderBy(f => f.Line ?? long.MaxValue).ThenBy(f => f.Column ?? 0).ToList();
        var kept = ordered.Where((f, i) => i < options.MaxFindings || f.Code == ValidationRules.UnreadableInput.Code).ToList();
        return new ValidationReport(kept, options.TreatWarningsAsErrors, findingsOmitted: ordered.Count - kept.Count + omittedEarlier);
    }

    /// <summary>
    /// Reads a dataset file and validates it in one report that lists every problem of the file at once: every contract
    /// problem anywhere in the document (an unknown, missing, repeated or mistyped member, an impossible date, a value a
    /// constructor refuses, an unknown code, an unsupported schema version; SP0002-SP0009), then the business rules on
    /// everything that could be built. A reference to an element that could not be built names that cause and its line.
    /// </summary>
    /// <param name="utf8Json">The dataset JSON; read to its end (or one byte past the size cap), not closed.</param>
    /// <param name="fileName">The file name, for messages.</param>
    /// <param name="options">The options, such as <see cref="ValidationOptions.MaxFindings"/>; <see cref="ValidationOptions.Default"/> when <c>null</c>.</param>
    /// <param name="readOptions">The size cap; <see cref="ProgrammeDatasetReadOptions.Default"/> when <c>null</c>.</param>
    /// <returns>
    /// Every finding, in the order of the file, each with its line and column. Input that is not JSON, not UTF-8 or over
    /// the size cap gives SP0001 (with any problems found before it), and the business rules are not run.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <remarks>Exceptions of the stream (such as an I/O error) are not input errors and propagate.</remarks>
    public static ValidationReport Validate(
        Stream utf8Json, string? fileName = null, ValidationOptions? options = null, ProgrammeDatasetReadOptions? readOptions = null)
    {
        Preconditions.CheckNotNull(utf8Json);
        options ??= ValidationOptions.Default;
        var (reading, utf8) = ProgrammeDatasetJson.ReadForValidation(utf8Json, fileName, readOptions ?? ProgrammeDatasetReadOptions.Default, options.MaxFindings);
        var findings = new List<ValidationFinding>(reading.Problems.Count);
        findings.AddRange(reading.Problems.Select(p => ToFinding(p, fileName)));
        if (reading.Value is ProgrammeDataset dataset)
        {
            findings.AddRange(FileFindings.Locate(utf8.Span, reading, Judge(ProgrammeDatasetValidator.CreateContext(dataset, options, reading))));
        }
        return Capped(findings, options, reading.ProblemCount - reading.Problems.Count);
    }

    /// <summary>
    /// Reads a dataset and validates it, so that reading (parse, schema) and validation (codelists, business rules)
    /// make one report: every problem a <see cref="DataFormatException"/> from <paramref name="read"/> carries becomes a
    /// finding (SP0001 when the input could not be read at all, SP0002-SP0009 for the contract's problems).
    /// </summary>
    /// <param name="read">Reads the dataset, such as <c>() =&gt; ProgrammeDatasetJson.Read(stream)</c>.</param>
    /// <param name="options">The options; <see cref="ValidationOptions.Default"/> when <c>null</c>.</param>
    /// <returns>The findings of the reading when the input could not be read, otherwise every finding of validation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="read"/> is null or returned null.</exception>
    /// <remarks>Exceptions other than <see cref="DataFormatException"/> (such as an I/O error) are not input errors and propagate.</remarks>
    public static ValidationReport Validate(Func<ProgrammeDataset> read, ValidationOptions? options = null)
    {
        Preconditions.CheckNotNull(read);
        ProgrammeDataset dataset;
        try
        {
            dataset = read() ?? throw new ArgumentNullException(nameof(read), "The reader returned null instead of a dataset.");
        }
        catch (DataFormatException error)
        {
            return FromReadError(error, options);
        }
        return Validate(dataset, options);
    }

    /// <summary>
    /// The report of an input that could not be read: a finding for every problem the exception carries (one SP0001
    /// finding for an exception made with a message alone), at its path and line.
    /// </summary>
    /// <param name="error">The reader's exception.</param>
    /// <param name="options">The options; <see cref="ValidationOptions.Default"/> when <c>null</c>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public static ValidationReport FromReadError(DataFormatException error, ValidationOptions? options = null)
    {
        Preconditions.CheckNotNull(error);
        options ??= ValidationOptions.Default;
        if (error.ProblemCount <= 1 && error.Problems is [{ Kind: DataFormatProblemKind.Unreadable }])
        {
            return new ValidationReport([ToFinding(ValidationRules.UnreadableInput, error, error.LineNumber)], options.TreatWarningsAsErrors);
        }
        return Capped([.. error.Problems.Select(p => ToFinding(p, error.FileName))], options, error.ProblemCount - error.Problems.Count);
    }

    /// <summary>The catalogue rule of a contract problem's kind.</summary>
    internal static ValidationRule RuleOf(DataFormatProblemKind kind) => kind switch
    {
        DataFormatProblemKind.UnknownMember => ValidationRules.UnknownMember,
        DataFormatProblemKind.MissingMember => ValidationRules.MissingMember,
        DataFormatProblemKind.RepeatedMember => ValidationRules.RepeatedMember,
        DataFormatProblemKind.WrongType => ValidationRules.WrongType,
        DataFormatProblemKind.InvalidDate => ValidationRules.InvalidDate,
        DataFormatProblemKind.RefusedValue => ValidationRules.RefusedValue,
        DataFormatProblemKind.UnknownCode => ValidationRules.UnknownCode,
        DataFormatProblemKind.UnsupportedVersion => ValidationRules.UnsupportedSchemaVersion,
        _ => ValidationRules.UnreadableInput,
    };

    private static ValidationFinding ToFinding(DataFormatProblem problem, string? fileName)
    {
        var rule = RuleOf(problem.Kind);
        // Input that cannot be read at all names the file, as a read error always has; a readable file's findings do not repeat it.
        var message = rule == ValidationRules.UnreadableInput && fileName is not null ? $"{fileName}: {problem.Reason}" : problem.Reason;
        return new ValidationFinding(
            rule.Code, rule.Severity, JsonPathOf(problem.Path), message, problem.Fix.Length > 0 ? problem.Fix : rule.Fix,
            line: problem.LineNumber, column: problem.Column);
    }

    /// <summary>Validates a participation stream against a dataset; see <see cref="ParticipationValidator"/>.</summary>
    /// <param name="dataset">The dataset the records refer to.</param>
    /// <param name="lines">The lines as read, successes and failures.</param>
    /// <param name="options">The options; <see cref="ParticipationValidationOptions.Default"/> when <c>null</c>.</param>
    /// <returns>The findings and the read, accepted and rejected counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> or <paramref name="lines"/> is null.</exception>
    public static ValidationReport ValidateParticipation(
        ProgrammeDataset dataset, IEnumerable<ParticipationReadResult> lines, ParticipationValidationOptions? options = null) =>
        new ParticipationValidator(dataset, options).Validate(lines);

    /// <summary>A reader's refusal of a line as a finding, placed by <paramref name="locator"/> when it is a participation stream's (the cell of the column at fault where the source has cells).</summary>
    internal static ValidationFinding ToFinding(ValidationRule rule, DataFormatException error, long? line, RowLocator? locator = null)
    {
        var message = error.FileName is null ? error.Reason : $"{error.FileName}: {error.Reason}";
        var path = JsonPathOf(error.Path);
        return new ValidationFinding(rule.Code, rule.Severity, path, message, rule.Fix, line: line, location: line is { } at ? locator?.Locate(at, path) : null);
    }

    /// <summary>Readers write <c>$.a.b</c>; findings use the path as in the file, <c>a.b</c>, and <c>$</c> for the root.</summary>
    internal static string JsonPathOf(string? path) => path switch
    {
        // A blank path (a CSV header cell of spaces) names no place; the finding is about the whole input.
        _ when string.IsNullOrWhiteSpace(path) => "$",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith("$[", StringComparison.Ordinal) => path[1..],
        _ => path,
    };

    private static ValidationFinding ToFinding(ValidationFailure failure)
    {
        // Every failure comes from ValidationContextExtensions.Report, which puts the rule (and any fix of its own) in CustomState.
        var reported = failure.CustomState as ReportedRule;
        var rule = reported?.Rule
            ?? ValidationRules.Find(failure.ErrorCode)
            ?? throw new InvalidOperationException($"Failure '{failure.ErrorCode}' at {failure.PropertyName} is not a catalogue rule.");
        return new ValidationFinding(rule.Code, rule.Severity, failure.PropertyName, failure.ErrorMessage, reported?.Fix ?? rule.Fix, failure.AttemptedValue as string);
    }
}
