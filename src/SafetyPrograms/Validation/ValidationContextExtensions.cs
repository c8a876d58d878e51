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
    internal static void Report<T>(this ValidationContext<T> context, ValidationRule rule, string relativePath, string message, string? attemptedValue = null)
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
            CustomState = rule,
        });
    }
}
