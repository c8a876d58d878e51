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

    // Reused for every in-memory record: its identifiers are narrowed to ASCII bytes here, never into new arrays.
    private readonly byte[] _beneficiary = new byte[BeneficiaryKey.MaxLength];
    private readonly byte[] _activity = new byte[Identifiers.MaxLength];
    private readonly byte[] _school = new byte[Identifiers.MaxLength];

    /// <summary>Parses a row's text values (UTF-8, exactly as in JSON) and adds it, or says why not; any thread.</summary>
    internal static ParticipationStore.RowError? Add(
        ParsedBatch batch, int lineEnds,
        ReadOnlySpan<byte> beneficiary, ReadOnlySpan<byte> activity, ReadOnlySpan<byte> date,
        ReadOnlySpan<byte> role, ReadOnlySpan<byte> sex, ReadOnlySpan<byte> ageBand, ReadOnlySpan<byte> mode, int completed,
        ReadOnlySpan<byte> school, ReadOnlySpan<byte> preScore, ReadOnlySpan<byte> postScore)
    {
        if (beneficiary.IsEmpty)
        {
            return new("The beneficiary key is missing.", "beneficiary");
        }
        if (activity.IsEmpty)
        {
            return new("The activity is missing.", "activity");
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
        return Add(batch, lineEnds, beneficiary, activity, day, r, s, a, m, completed == 1, school, pre, post);
    }

    /// <summary>Adds an in-memory record (its identifiers are valid, hence ASCII), or says why not.</summary>
    internal ParticipationStore.RowError? Add(ParsedBatch batch, int lineEnds, ParticipationRecord record) =>
        Add(
            batch, lineEnds, Narrow(record.Beneficiary.Value, _beneficiary), Narrow(record.Activity.Value, _activity),
            DayNumber(record.Date), (int)record.Role, (int)record.Sex, (int)record.AgeBand, (int)record.Mode,
            record.Completed, record.School is { } school ? Narrow(school.Value, _school) : default,
            ParticipationStore.ToScaled(record.PreScore), ParticipationStore.ToScaled(record.PostScore));

    /// <summary>The day number of a date; a date before year 1 (which DateOnly cannot hold) is one before the store's range.</summary>
    private static int DayNumber(NodaTime.LocalDate date) =>
        date.Year >= 1 ? date.ToDateOnly().DayNumber : ParticipationStore.DayBase - 1;

    private static ReadOnlySpan<byte> Narrow(string value, byte[] buffer) =>
        buffer.AsSpan(0, System.Text.Encoding.ASCII.GetBytes(value, buffer));

    /// <summary>Checks a row with typed values and adds it; its activity and school wait for <see cref="Resolve"/>.</summary>
    private static ParticipationStore.RowError? Add(
        ParsedBatch batch, int lineEnds, ReadOnlySpan<byte> beneficiary, ReadOnlySpan<byte> activity, int dayNumber,
        int role, int sex, int age, int mode, bool completed, ReadOnlySpan<byte> school, long preScaled, long postScaled)
    {
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
        batch.Add(lineEnds, beneficiary, BeneficiaryHash.Of(beneficiary), activity, school, (ushort)day, flags, (byte)age, preScaled, postScaled);
        return null;
    }

    /// <summary>
    /// Resolves every row's activity and school against the dataset, refusing the rows that name one it lacks, and
    /// puts the batch's rejects in line order. Rows go in groups whose table slots are touched first, so that their
    /// cache misses overlap instead of queueing one behind the other.
    /// </summary>
    internal void Resolve(ParsedBatch batch)
    {
        var lookup = store.Lookup;
        var activities = lookup.ActivityKeys;
        var schools = lookup.SchoolKeys;
        var hashes = batch.ActivityId.Hashes;
        var late = false;
        for (var group = 0; group < batch.Count; group += TouchGroup)
        {
            var end = Math.Min(batch.Count, group + TouchGroup);
            _touched += activities.Touch(hashes[group..end]);
            for (var row = group; row < end; row++)
            {
                var activity = batch.ActivityId[row];
                var act = activities.Find(activity, hashes[row]);
                var school = batch.SchoolId[row];
                var error = act < 0 ? new($"Activity '{Clip(activity)}' is not in the dataset.", "activity")
                    : !lookup.ActivityUsable[act] ? new($"Activity '{Clip(activity)}' refers to a phase, school or organisation that is not in the dataset.", "activity")
                    : !school.IsEmpty && (batch.School[row] = schools.Find(school, batch.SchoolId.Hash(row))) < 0
                        ? new ParticipationStore.RowError($"School '{Clip(school)}' is not in the dataset.", "school")
                    : null;
                if (error is not null)
                {
                    batch.Activity[row] = -1;
                    batch.Rejects.Add((batch.LineEnds[row], error));
                    late = true;
                    continue;
                }
                batch.Activity[row] = act;
                if (school.IsEmpty)
                {
                    batch.School[row] = lookup.ActivitySchool[act];
                }
            }
        }
        if (late)
        {
            batch.Rejects.Sort((a, b) => a.LineEnds.CompareTo(b.LineEnds));
        }
    }

    /// <summary>Rows whose table slots are touched together: enough to overlap their misses, few enough to stay cached.</summary>
    internal const int TouchGroup = 16;

    // Keeps the touching loads observable, so that no compiler drops them.
    private int _touched;

    /// <summary>An identifier for a message: at most 40 characters, invalid UTF-8 shown as replacement characters.</summary>
    private static string Clip(ReadOnlySpan<byte> s) =>
        s.Length <= 40 ? System.Text.Encoding.UTF8.GetString(s) : string.Concat(System.Text.Encoding.UTF8.GetString(s[..40]), "…");
}
