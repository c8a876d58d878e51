using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Indexing;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Checks one row against the dataset and adds it to a <see cref="ParsedBatch"/>: every way in (CSV, JSON Lines,
/// in-memory records) reads its values here and applies the row rules (<see cref="RowChecker"/>, the same rules the
/// stream validator applies). One parser per worker; it only reads the store.
/// </summary>
internal sealed class RowParser(IRowSink sink)
{
    private static readonly RowError BadBeneficiary = RowError.Unreadable(
        $"The beneficiary key is not valid: use 1 to {BeneficiaryKey.MaxLength} characters from A-Z, a-z, 0-9 and - _ . : /.", "beneficiary");
    private static readonly RowError BadActivityId = RowError.Unreadable(
        $"The activity id is not valid: use 1 to {Identifiers.MaxLength} characters from A-Z, a-z, 0-9 and - _ . : /.", "activity");
    private static readonly RowError BadSchoolId = RowError.Unreadable(
        $"The school id is not valid: use 1 to {Identifiers.MaxLength} characters from A-Z, a-z, 0-9 and - _ . : /.", "school");
    private static readonly RowError BadDate = Refusal(RowFaults.DateNotHeld);
    private static readonly RowError BadPre = Refusal(RowFaults.PreNotHeld);
    private static readonly RowError BadPost = Refusal(RowFaults.PostNotHeld);

    // Reused for every in-memory record: its identifiers are narrowed to ASCII bytes here, never into new arrays.
    private readonly byte[] _beneficiary = new byte[BeneficiaryKey.MaxLength];
    private readonly byte[] _activity = new byte[Identifiers.MaxLength];
    private readonly byte[] _school = new byte[Identifiers.MaxLength];

    /// <summary>Parses a row's text values (UTF-8, exactly as in JSON) and adds it, or says why not; any thread.</summary>
    internal static RowError? Add(
        ParsedBatch batch, int lineEnds,
        ReadOnlySpan<byte> beneficiary, ReadOnlySpan<byte> activity, ReadOnlySpan<byte> date,
        ReadOnlySpan<byte> role, ReadOnlySpan<byte> sex, ReadOnlySpan<byte> ageBand, ReadOnlySpan<byte> mode, int completed,
        ReadOnlySpan<byte> school, ReadOnlySpan<byte> preScore, ReadOnlySpan<byte> postScore)
    {
        if (beneficiary.IsEmpty)
        {
            return RowError.Unreadable("The beneficiary key is missing.", "beneficiary");
        }
        if (activity.IsEmpty)
        {
            return RowError.Unreadable("The activity is missing.", "activity");
        }
        var day = FieldParser.Date(date);
        if (day == FieldParser.Invalid)
        {
            return RowError.Unreadable("The date must be an ISO date such as 2025-12-03.", "date");
        }
        var r = FieldParser.Role(role);
        if (r == FieldParser.Invalid)
        {
            return RowError.Unreadable($"The role must be {EnumNames<BeneficiaryRole>.Alternatives}.", "role");
        }
        var s = FieldParser.Sex(sex);
        if (s == FieldParser.Invalid)
        {
            return RowError.Unreadable($"The sex must be {EnumNames<Sex>.Alternatives}.", "sex");
        }
        var a = FieldParser.AgeBand(ageBand);
        if (a == FieldParser.Invalid)
        {
            return RowError.Unreadable($"The age band must be {EnumNames<AgeBand>.Alternatives}.", "ageBand");
        }
        var m = FieldParser.Mode(mode);
        if (m == FieldParser.Invalid)
        {
            return RowError.Unreadable($"The mode must be {EnumNames<DeliveryMode>.Alternatives}.", "mode");
        }
        if (completed == FieldParser.Invalid)
        {
            return RowError.Unreadable("Completed must be true or false.", "completed");
        }
        var pre = FieldParser.Score(preScore, out var preIsNumber);
        if (!preIsNumber)
        {
            return RowError.Unreadable("The pre score must be a number, at most about 7.9e28 in size.", "preScore");
        }
        var post = FieldParser.Score(postScore, out var postIsNumber);
        if (!postIsNumber)
        {
            return RowError.Unreadable("The post score must be a number, at most about 7.9e28 in size.", "postScore");
        }
        return Add(batch, lineEnds, beneficiary, activity, day, r, s, a, m, completed == 1, school, pre, post);
    }

    /// <summary>Adds an in-memory record (its identifiers are valid, hence ASCII), or says why not.</summary>
    internal RowError? Add(ParsedBatch batch, int lineEnds, ParticipationRecord record) =>
        Add(
            batch, lineEnds, Narrow(record.Beneficiary.Value, _beneficiary), Narrow(record.Activity.Value, _activity),
            ProgrammeIndex.DayNumber(record.Date), (int)record.Role, (int)record.Sex, (int)record.AgeBand, (int)record.Mode,
            record.Completed, record.School is { } school ? Narrow(school.Value, _school) : default,
            RowChecker.Scaled(record.PreScore), RowChecker.Scaled(record.PostScore));

    private static ReadOnlySpan<byte> Narrow(string value, byte[] buffer) =>
        buffer.AsSpan(0, System.Text.Encoding.ASCII.GetBytes(value, buffer));

    /// <summary>Checks a row with typed values and adds it; its activity and school wait for <see cref="Resolve"/>.</summary>
    private static RowError? Add(
        ParsedBatch batch, int lineEnds, ReadOnlySpan<byte> beneficiary, ReadOnlySpan<byte> activity, int dayNumber,
        int role, int sex, int age, int mode, bool completed, ReadOnlySpan<byte> school, long preScaled, long postScaled)
    {
        var held = RowChecker.Held(dayNumber, preScaled, postScaled);
        if (held != RowFaults.None)
        {
            return (held & RowFaults.DateNotHeld) != 0 ? BadDate : (held & RowFaults.PreNotHeld) != 0 ? BadPre : BadPost;
        }
        var day = dayNumber - RowChecker.FirstDay;
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
        var index = sink.Index;
        var rules = sink.Rules;
        var activities = sink.Keys.Activities;
        var schools = sink.Keys.Schools;
        var usable = index.ActivityUsable;
        var hashes = batch.ActivityId.Hashes;
        var late = false;
        for (var group = 0; group < batch.Count; group += TouchGroup)
        {
            var end = Math.Min(batch.Count, group + TouchGroup);
            _touched += activities.Touch(hashes[group..end]);
            for (var row = group; row < end; row++)
            {
                var act = activities.Find(batch.ActivityId[row], hashes[row]);
                var named = batch.SchoolId[row];
                var school = named.IsEmpty ? ProgrammeIndex.None : schools.Find(named, batch.SchoolId.Hash(row));
                var faults = act < 0 ? RowFaults.UnknownActivity
                    : !usable[act] ? RowFaults.ActivityUnusable
                    : school < 0 && !named.IsEmpty ? RowFaults.UnknownSchool
                    : rules.Errors(act, school, batch.Day[row] + RowChecker.FirstDay, batch.Pre[row], batch.Post[row]);
                if (faults != RowFaults.None)
                {
                    batch.Activity[row] = -1;
                    batch.Rejects.Add((batch.LineEnds[row], Refusal(faults, batch, row, act)));
                    late = true;
                    continue;
                }
                batch.Activity[row] = act;
                batch.School[row] = named.IsEmpty ? index.ActivitySchool[act] : school;
            }
        }
        if (late)
        {
            batch.Rejects.Sort((a, b) => a.LineEnds.CompareTo(b.LineEnds));
        }
    }

    /// <summary>The refusal of a row for the first of its faults, worded as the validator words it.</summary>
    private RowError Refusal(RowFaults faults, ParsedBatch batch, int row, int activity)
    {
        // An id that is not an identifier at all makes the line unreadable, as the typed readers say; checked here, on
        // refused rows only, since such an id never resolves.
        if (!Identifiers.IsValid(batch.ActivityId[row], Identifiers.MaxLength))
        {
            return BadActivityId;
        }
        if (!batch.SchoolId[row].IsEmpty && !Identifiers.IsValid(batch.SchoolId[row], Identifiers.MaxLength))
        {
            return BadSchoolId;
        }
        var fault = RowFindings.First(faults);
        var flags = batch.Flags[row];
        var values = new RowValues(
            Clip(batch.ActivityId[row]), activity, batch.SchoolId[row].IsEmpty ? null : Clip(batch.SchoolId[row]),
            batch.Day[row] + RowChecker.FirstDay, flags & 7, (flags >> 5) & 3, ScoreText(batch.Pre[row]), ScoreText(batch.Post[row]));
        return new(RowFindings.Rule(fault).Code, RowFindings.Describe(fault, values, sink.Rules).Message, RowFindings.Path(fault));
    }

    /// <summary>The refusal for a fault whose message names nothing of the row.</summary>
    internal static RowError Refusal(RowFaults fault) =>
        new(RowFindings.Rule(fault).Code, RowFindings.Describe(fault, default, null).Message, RowFindings.Path(fault));

    private static string? ScoreText(long scaled) =>
        scaled is RowChecker.NoScore or RowChecker.BadScore ? null : JsonText.Of(scaled / (decimal)RowChecker.ScoreScale);

    /// <summary>Rows whose table slots are touched together: enough to overlap their misses, few enough to stay cached.</summary>
    internal const int TouchGroup = 16;

    // Keeps the touching loads observable, so that no compiler drops them.
    private int _touched;

    /// <summary>An identifier for a message: at most 40 characters, invalid UTF-8 shown as replacement characters.</summary>
    private static string Clip(ReadOnlySpan<byte> s) =>
        s.Length <= 40 ? System.Text.Encoding.UTF8.GetString(s) : string.Concat(System.Text.Encoding.UTF8.GetString(s[..40]), "…");
}
