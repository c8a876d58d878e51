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
        var result = ProgrammeDatasetValidator.Instance.Validate(ProgrammeDatasetValidator.CreateContext(dataset, options));
        return new ValidationReport([.. result.Errors.Select(ToFinding)], options.TreatWarningsAsErrors);
    }

    /// <summary>
    /// Reads a dataset and validates it, so that reading (parse, schema) and validation (codelists, business rules)
    /// make one report: a <see cref="DataFormatException"/> from <paramref name="read"/> becomes finding SP0001.
    /// </summary>
    /// <param name="read">Reads the dataset, such as <c>() =&gt; ProgrammeDatasetJson.Read(stream)</c>.</param>
    /// <param name="options">The options; <see cref="ValidationOptions.Default"/> when <c>null</c>.</param>
    /// <returns>The SP0001 finding when the input could not be read, otherwise every finding of validation.</returns>
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

    /// <summary>The report of an input that could not be read: one SP0001 finding at the exception's path and line.</summary>
    /// <param name="error">The reader's exception.</param>
    /// <param name="options">The options; <see cref="ValidationOptions.Default"/> when <c>null</c>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public static ValidationReport FromReadError(DataFormatException error, ValidationOptions? options = null)
    {
        Preconditions.CheckNotNull(error);
        return new ValidationReport([ToFinding(ValidationRules.UnreadableInput, error, error.LineNumber)], (options ?? ValidationOptions.Default).TreatWarningsAsErrors);
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

    internal static ValidationFinding ToFinding(ValidationRule rule, DataFormatException error, long? line)
    {
        var message = error.FileName is null ? error.Reason : $"{error.FileName}: {error.Reason}";
        return new ValidationFinding(rule.Code, rule.Severity, JsonPathOf(error.Path), message, rule.Fix, line: line);
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
        // Every failure comes from ValidationContextExtensions.Report, which puts the rule in CustomState.
        var rule = failure.CustomState as ValidationRule
            ?? ValidationRules.Find(failure.ErrorCode)
            ?? throw new InvalidOperationException($"Failure '{failure.ErrorCode}' at {failure.PropertyName} is not a catalogue rule.");
        return new ValidationFinding(rule.Code, rule.Severity, failure.PropertyName, failure.ErrorMessage, rule.Fix, failure.AttemptedValue as string);
    }
}
