using FluentValidation;
using FluentValidation.Results;

namespace SafetyPrograms.Validation;

/// <summary>How validators reach the run's shared index and report a catalogue rule with its JSON path.</summary>
internal static class ValidationContextExtensions
{
    /// <summary>The run's session, which <see cref="ProgrammeDatasetValidator"/> puts in the root context data before any rule runs.</summary>
    internal static ValidationSession Session<T>(this ValidationContext<T> context)
    {
        if (context.RootContextData.TryGetValue(ValidationSession.Key, out var value) && value is ValidationSession session)
        {
            return session;
        }
        throw new InvalidOperationException(
            "SafetyPrograms validators need the dataset index: validate the whole dataset with ProgrammeValidator or ProgrammeDatasetValidator.");
    }

    /// <summary>Adds a finding of <paramref name="rule"/> at <paramref name="relativePath"/> below the current object, unless the options leave the rule out.</summary>
    internal static void Report<T>(this ValidationContext<T> context, ValidationRule rule, string relativePath, string message, string? attemptedValue = null) =>
        context.Report(rule, relativePath, message, attemptedValue, fix: null);

    /// <summary>
    /// Reports that a reference to <paramref name="id"/> does not resolve. When the element it names is in the file but
    /// could not be read, the finding names that cause and its line instead of suggesting the element be added.
    /// </summary>
    internal static void ReportUnresolved<T, TEntity>(
        this ValidationContext<T> context, ValidationRule rule, string relativePath, string message, Domain.Id<TEntity> id)
        where TEntity : class
    {
        if (context.Session().LineOfLost(id) is { } line)
        {
            var kind = typeof(TEntity).Name.ToLowerInvariant();
            context.Report(
                rule, relativePath,
                $"This refers to {kind} '{id}', which could not be read: see line {line}.",
                id.Value,
                $"Correct the {kind} at line {line} as its own finding says; this reference then resolves.");
            return;
        }
        context.Report(rule, relativePath, message, id.Value);
    }

    private static void Report<T>(this ValidationContext<T> context, ValidationRule rule, string relativePath, string message, string? attemptedValue, string? fix)
    {
        if (!context.Session().Options.Runs(rule))
        {
            return;
        }
        var path = relativePath.Length == 0 ? context.PropertyChain.ToString() : context.PropertyChain.BuildPropertyPath(relativePath);
        context.AddFailure(new ValidationFailure(path.Length == 0 ? "$" : path, message, attemptedValue)
        {
            ErrorCode = rule.Code,
            Severity = rule.Severity switch
            {
                FindingSeverity.Error => Severity.Error,
                FindingSeverity.Warning => Severity.Warning,
                _ => Severity.Info,
            },
            CustomState = new ReportedRule(rule, fix),
        });
    }
}

/// <summary>What a failure carries for its finding: the catalogue rule, and a fix for this case when the rule's own does not fit.</summary>
internal sealed record ReportedRule(ValidationRule Rule, string? Fix);
