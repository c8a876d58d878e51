using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace SafetyPrograms.Utility;

/// <summary>
/// The one place where argument checks live. Each check returns its argument so it can be used inline,
/// and the throw sits in a separate method so the calling path stays small enough to inline.
/// </summary>
/// <remarks>
/// Every exception thrown here records its reason (the message without the parameter name .NET appends to
/// <see cref="Exception.Message"/>, in its own words), so that a reader turning a refused constructor argument into a
/// <see cref="FormatException"/> at a JSON path reports it through <see cref="ReasonOf"/> without parsing .NET's text.
/// </remarks>
internal static class Preconditions
{
    private const string ReasonKey = "SafetyPrograms.Reason";
    private const string FixKey = "SafetyPrograms.Fix";

    /// <summary>The reason a check recorded; for an exception no check of ours threw, its whole message.</summary>
    internal static string ReasonOf(ArgumentException exception) => exception.Data[ReasonKey] as string ?? exception.Message;

    /// <summary>
    /// What to change, as the check that threw recorded it (a value out of its range, a blank or null value); for a
    /// check with its own message, which already says what the value must be, an instruction to correct it so.
    /// </summary>
    internal static string FixOf(ArgumentException exception) =>
        exception.Data[FixKey] as string ?? "Correct the value so that it meets the rule the message gives.";

    /// <summary>Records <paramref name="reason"/> on <paramref name="exception"/> for <see cref="ReasonOf"/>.</summary>
    internal static TException WithReason<TException>(TException exception, string reason)
        where TException : ArgumentException
    {
        exception.Data[ReasonKey] = reason;
        return exception;
    }

    internal static long CheckNonNegative(long argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument < 0)
        {
            ThrowOutOfRange(argument, paramName, "must not be negative", "0 or more");
        }
        return argument;
    }

    internal static int CheckInRange(int argument, int minimum, int maximum, [CallerArgumentExpression(nameof(argument))] string? paramName = null) =>
        (int)CheckInRange((long)argument, minimum, maximum, paramName);

    internal static long CheckInRange(long argument, long minimum, long maximum, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument < minimum || argument > maximum)
        {
            ThrowOutOfRange(
                argument, paramName, string.Create(CultureInfo.InvariantCulture, $"must be from {minimum} to {maximum}"),
                string.Create(CultureInfo.InvariantCulture, $"from {minimum} to {maximum}"));
        }
        return argument;
    }
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
            ThrowOutOfRange(argument, paramName, "must not be negative", "0 or more");
        }
        return argument;
    }

    internal static int CheckPositive(int argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument <= 0)
        {
            ThrowOutOfRange(argument, paramName, "must be greater than zero", "1 or more");
        }
        return argument;
    }

    internal static decimal CheckNonNegative(decimal argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument < 0)
        {
            ThrowOutOfRange(argument, paramName, "must not be negative", "0 or more");
        }
        return argument;
    }

    internal static int? CheckNonNegative(int? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument is < 0)
        {
            ThrowOutOfRange(argument, paramName, "must not be negative", "0 or more");
        }
        return argument;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with <paramref name="message"/> unless <paramref name="condition"/> holds; <paramref name="fix"/> says what to change (<see cref="FixOf"/>).</summary>
    internal static void CheckArgument([DoesNotReturnIf(false)] bool condition, string? paramName, string message, string? fix = null)
    {
        if (!condition)
        {
            ThrowArgument(paramName, message, fix);
        }
    }

    internal static T CheckDefined<T>(T value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            ThrowOutOfRange(value, paramName, $"is not a defined {typeof(T).Name} value", $"a defined {typeof(T).Name} value");
        }
        return value;
    }

    private const string NullReason = "Value cannot be null.";

    private const string NullFix = "Write a value here; null is not allowed.";

    private static TException WithFix<TException>(TException exception, string fix)
        where TException : ArgumentException
    {
        exception.Data[FixKey] = fix;
        return exception;
    }

    [DoesNotReturn]
    private static void ThrowArgumentNull(string? paramName) =>
        throw WithFix(WithReason(new ArgumentNullException(paramName, NullReason), NullReason), NullFix);

    [DoesNotReturn]
    private static void ThrowBlank(string? value, string? paramName)
    {
        const string Blank = "Value must not be empty or white space.";
        throw (value is null
            ? WithFix(WithReason(new ArgumentNullException(paramName, NullReason), NullReason), NullFix)
            : WithFix(WithReason(new ArgumentException(Blank, paramName), Blank), "Write a value here that is not empty or only spaces."));
    }

    [DoesNotReturn]
    private static void ThrowOutOfRange(object? value, string? paramName, string rule, string wanted) =>
        throw WithFix(
            WithReason(
                new ArgumentOutOfRangeException(paramName, value, $"Value {rule}."),
                string.Create(CultureInfo.InvariantCulture, $"Value {rule}. Actual value was {value}.")),
            string.Create(CultureInfo.InvariantCulture, $"Write a value {wanted} here instead of {value}."));

    [DoesNotReturn]
    private static void ThrowArgument(string? paramName, string message, string? fix)
    {
        var exception = WithReason(new ArgumentException(message, paramName), message);
        throw fix is null ? exception : WithFix(exception, fix);
    }
}
