using SafetyPrograms.Domain;

namespace SafetyPrograms.Aggregation.Ingest;

/// <summary>
/// Checks one row against the dataset and adds it to a <see cref="ParsedBatch"/>: the one place every way in (CSV,
/// JSON Lines, in-memory records) decides whether a row is acceptable. One parser per worker; it only reads the store.
/// </summary>
internal sealed class RowParser(ParticipationStore store)
{
    private static readonly ParticipationStore.RowError BadBeneficiary = new(
        $"The beneficiary key is not valid: use 1 to {BeneficiaryKey.MaxLength} characters from A-Z, a-z, 0-9 and - _ . : /.", "beneficiary");
    private static readonly ParticipationStore.RowError BadDate = new("The date is outside the range the store holds (2000-01-01 to 2179-06-06).", "date");
    private static readonly ParticipationStore.RowError BadPre = new("The pre score must have at most 4 decimal places and be at most 1e9 in size.", "preScore");
    private static readonly ParticipationStore.RowError BadPost = new("The post score must have at most 4 decimal places and be at most 1e9 in size.", "postScore");

    // Reused for every row: identifiers are widened from ASCII bytes into these, never into new strings.
    private readonly char[] _beneficiary = new char[128];
    private readonly char[] _activity = new char[128];
    private readonly char[] _school = new char[128];

    /// <summary>Parses a row's text values (UTF-8, exactly as in JSON) and adds it, or says why not.</summary>
    internal ParticipationStore.RowError? Add(
        ParsedBatch batch, int lineEnds,
        ReadOnlySpan<byte> beneficiary, ReadOnlySpan<byte> activity, ReadOnlySpan<byte> date,
        ReadOnlySpan<byte> role, ReadOnlySpan<byte> sex, ReadOnlySpan<byte> ageBand, ReadOnlySpan<byte> mode, int completed,
        ReadOnlySpan<byte> school, ReadOnlySpan<byte> preScore, ReadOnlySpan<byte> postScore)
    {
        Span<char> ben = _beneficiary;
        Span<char> act = _activity;
        Span<char> sch = _school;
        if (!FieldParser.Ascii(beneficiary, ben, out var benLength) || benLength == 0)
        {
            return new("The beneficiary key is missing or not a valid key.", "beneficiary");
        }
        if (!FieldParser.Ascii(activity, act, out var actLength) || actLength == 0)
        {
            return new("The activity is missing or not a valid identifier.", "activity");
        }
        if (!FieldParser.Ascii(school, sch, out var schLength))
        {
            return new("The school is not a valid identifier.", "school");
        }
        var day = FieldParser.Date(date);
        if (day == FieldParser.Invalid)
        {
            return new("The date must be an ISO date such as 2025-12-03.", "date");
        }
        var r = FieldParser.Role(role);
        if (r == FieldParser.Invalid)
        {
            return new("The role must be student, youth, teacher, parent or community.", "role");
        }
        var s = FieldParser.Sex(sex);
        if (s == FieldParser.Invalid)
        {
            return new("The sex must be female, male, other or notRecorded.", "sex");
        }
        var a = FieldParser.AgeBand(ageBand);
        if (a == FieldParser.Invalid)
        {
            return new("The age band must be 5-9, 10-14, 15-17, 18-24, 25-49, 50+ or notRecorded.", "ageBand");
        }
        var m = FieldParser.Mode(mode);
        if (m == FieldParser.Invalid)
        {
            return new("The mode must be inPerson, online or hybrid.", "mode");
        }
        if (completed == FieldParser.Invalid)
        {
            return new("Completed must be true or false.", "completed");
        }
        var pre = FieldParser.Score(preScore, out var preIsNumber);
        if (!preIsNumber)
        {
            return new("The pre score must be a number.", "preScore");
        }
        var post = FieldParser.Score(postScore, out var postIsNumber);
        if (!postIsNumber)
        {
            return new("The post score must be a number.", "postScore");
        }
        return Add(batch, lineEnds, ben[..benLength], act[..actLength], day, r, s, a, m, completed == 1, sch[..schLength], pre, post);
    }

    /// <summary>Resolves a row with typed values against the dataset and adds it, or says why not.</summary>
    internal ParticipationStore.RowError? Add(
        ParsedBatch batch, int lineEnds, ReadOnlySpan<char> beneficiary, ReadOnlySpan<char> activity, int dayNumber,
        int role, int sex, int age, int mode, bool completed, ReadOnlySpan<char> school, long preScaled, long postScaled)
    {
        var lookup = store.Lookup;
        if (!store.ActivityLookup.TryGetValue(activity, out var act))
        {
            return new($"Activity '{Clip(activity)}' is not in the dataset.", "activity");
        }
        if (!lookup.ActivityUsable[act])
        {
            return new($"Activity '{Clip(activity)}' refers to a phase, school or organisation that is not in the dataset.", "activity");
        }
        int schoolIndex;
        if (school.IsEmpty)
        {
            schoolIndex = lookup.ActivitySchool[act];
        }
        else if (!store.SchoolLookup.TryGetValue(school, out schoolIndex))
        {
            return new($"School '{Clip(school)}' is not in the dataset.", "school");
        }
        var day = dayNumber - ParticipationStore.DayBase;
        if ((uint)day > ushort.MaxValue)
        {
            return BadDate;
        }
        if (preScaled == ParticipationStore.BadScore)
        {
            return BadPre;
        }
        if (postScaled == ParticipationStore.BadScore)
        {
            return BadPost;
        }
        if (!Identifiers.IsValid(beneficiary, BeneficiaryKey.MaxLength))
        {
            return BadBeneficiary;
        }
        var flags = (byte)(role | (sex << 3) | (mode << 5) | (completed ? 0x80 : 0));
        batch.Add(lineEnds, beneficiary, BeneficiaryHash.Of(beneficiary), act, schoolIndex, (ushort)day, flags, (byte)age, preScaled, postScaled);
        return null;
    }

    private static string Clip(ReadOnlySpan<char> s) => s.Length <= 40 ? s.ToString() : string.Concat(s[..40], "…");
}
