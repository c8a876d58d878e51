using SafetyPrograms.Domain;

namespace SafetyPrograms.Ingest;

/// <summary>
/// The one byte a record holds for its age: the age in completed years at its date (0 to <see cref="AgeRange.MaxAge"/>)
/// where the age or the year of birth is recorded, else <see cref="FirstBand"/> plus its <see cref="AgeBand"/>, the band
/// that is all the partner recorded. Every band scheme is a table over these codes, so grouping by any scheme reads one byte.
/// </summary>
internal static class AgeCodes
{
    /// <summary>The code of <see cref="AgeBand"/> value 0 for a record known only by its band.</summary>
    internal const int FirstBand = 200;

    /// <summary>The code of a record: its age, or its band when the age is not known (<paramref name="age"/> negative).</summary>
    internal static byte Of(int age, int band) => (byte)(age >= 0 ? age : FirstBand + band);

    /// <summary>Whether a code is an age in years.</summary>
    internal static bool IsAge(int code) => code <= AgeRange.MaxAge;

    /// <summary>The band of a code that holds only a band, or <c>null</c> for any other code.</summary>
    internal static AgeBand? Band(int code) =>
        code >= FirstBand && Enum.IsDefined((AgeBand)(code - FirstBand)) ? (AgeBand)(code - FirstBand) : null;

    /// <summary>The <see cref="AgeBand"/> a code stands for in today's list: an age's band, or the band recorded.</summary>
    internal static AgeBand? ListBand(int code) => IsAge(code) ? AgeBands.Of(code) : Band(code);
}
