using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SafetyPrograms.Utility;

/// <summary>
/// The one place where argument checks live. Each check returns its argument so it can be used inline,
/// and the throw sits in a separate method so the calling path stays small enough to inline.
/// </summary>
internal static class Preconditions
{
    internal static T CheckNotNull<T>([NotNull] T? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
        where T : class
    {
        if (argument is null)
        {
            ThrowArgumentNull(paramName);
        }
        return argument;
    }

    internal static string CheckNotBlank([NotNull] string? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (string.IsNullOrWhiteSpace(argument))
        {
            ThrowBlank(argument, paramName);
        }
        return argument;
    }

    internal static int CheckNonNegative(int argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument < 0)
        {
            ThrowOutOfRange(argument, paramName, "must not be negative");
        }
        return argument;
    }

    internal static int CheckPositive(int argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument <= 0)
        {
            ThrowOutOfRange(argument, paramName, "must be greater than zero");
        }
        return argument;
    }

    internal static decimal CheckNonNegative(decimal argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument < 0)
        {
            ThrowOutOfRange(argument, paramName, "must not be negative");
        }
        return argument;
    }

    internal static int? CheckNonNegative(int? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument is < 0)
        {
            ThrowOutOfRange(argument, paramName, "must not be negative");
        }
        return argument;
    }

    internal static void CheckArgument([DoesNotReturnIf(false)] bool condition, string? paramName, string message)
    {
        if (!condition)
        {
            ThrowArgument(paramName, message);
        }
    }

    internal static T CheckDefined<T>(T value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            ThrowOutOfRange(value, paramName, $"is not a defined {typeof(T).Name} value");
        }
        return value;
    }

    [DoesNotReturn]
    private static void ThrowArgumentNull(string? paramName) => throw new ArgumentNullException(paramName);

    [DoesNotReturn]
    private static void ThrowBlank(string? value, string? paramName) =>
        throw (value is null
            ? new ArgumentNullException(paramName)
            : new ArgumentException("Value must not be empty or white space.", paramName));

    [DoesNotReturn]
    private static void ThrowOutOfRange(object? value, string? paramName, string rule) =>
        throw new ArgumentOutOfRangeException(paramName, value, $"Value {rule}.");

    [DoesNotReturn]
    private static void ThrowArgument(string? paramName, string message) => throw new ArgumentException(message, paramName);
}
