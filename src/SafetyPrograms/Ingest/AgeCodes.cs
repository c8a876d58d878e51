using SafetyPrograms.Domain;

namespace SafetyPrograms.Ingest;

/// <summary>
/// The one byte a record holds for its age: the age in completed years at its date (0 to <see cref="AgeRange.MaxAge"/>)
/// where the age is recorded; <see cref="FirstBorn"/> plus the age reached in the date's year where only the year of
/// birth is; else <see cref="FirstBand"/> plus its <see cref="AgeBand"/>, the band that is all the partner recorded.
/// Every band scheme is a table over these codes, so grouping by any scheme reads one byte.
/// </summary>
/// <remarks>
/// A year of birth alone leaves the age at the date uncertain by one year: the age reached in the date's year, or one
/// less before the birthday. Such a record counts in a scheme's band only when both ages fall in it, and as
/// "not comparable" when they straddle two bands (<see cref="Range"/>), exactly as a band of another scheme does.
/// </remarks>
internal static class AgeCodes
{
    /// <summary>The code of the age reached 0 for a record known by its year of birth only.</summary>
    internal const int FirstBorn = AgeRange.MaxAge + 1;

    /// <summary>The code of <see cref="AgeBand"/> value 0 for a record known only by its band.</summary>
    internal const int FirstBand = FirstBorn + AgeRange.MaxAge + 1;

    /// <summary>The code of a record: its age, or its band when the age is not known (<paramref name="age"/> negative).</summary>
    internal static byte Of(int age, int band) => (byte)(age >= 0 ? age : FirstBand + band);

    /// <summary>
    /// The code of a record: its age when recorded; else the age reached in the date's year when the year of birth is
    /// (<paramref name="fromYearOfBirth"/>); else its band (<paramref name="age"/> negative).
    /// </summary>
    internal static byte Of(int age, int band, bool fromYearOfBirth) =>
        (byte)(age < 0 ? FirstBand + band : fromYearOfBirth ? FirstBorn + age : age);

    /// <summary>Whether a code is an age in years.</summary>
    internal static bool IsAge(int code) => code <= AgeRange.MaxAge;

    /// <summary>
    /// The ages a code may stand for: one age; for a year of birth, the age reached in the date's year and the one
    /// before it (before the birthday); for a band, its ages; <c>null</c> when nothing is recorded.
    /// </summary>
    internal static AgeRange? Range(int code) =>
        IsAge(code) ? new AgeRange(code, code)
        : code < FirstBand ? new AgeRange(Math.Max(0, code - FirstBorn - 1), code - FirstBorn)
        : Band(code)?.Range();

    /// <summary>The band of a code that holds only a band, or <c>null</c> for any other code.</summary>
    internal static AgeBand? Band(int code) =>
        code >= FirstBand && Enum.IsDefined((AgeBand)(code - FirstBand)) ? (AgeBand)(code - FirstBand) : null;

    /// <summary>
    /// The <see cref="AgeBand"/> a code stands for in today's list: an age's band, the band of the age reached in the
    /// date's year for a year of birth (today's list has no "not comparable"), or the band recorded.
    /// </summary>
    internal static AgeBand? ListBand(int code) =>
        IsAge(code) ? AgeBands.Of(code) : code < FirstBand ? AgeBands.Of(code - FirstBorn) : Band(code);
}
