namespace SafetyPrograms.Aggregation.Ingest;

/// <summary>Checks one row's text values and appends it to the store; the one place both file formats share.</summary>
internal sealed class RowAppender(ParticipationStore store)
{
    // Reused for every row: identifiers are widened from ASCII bytes into these, never into new strings.
    private readonly char[] _beneficiary = new char[128];
    private readonly char[] _activity = new char[128];
    private readonly char[] _school = new char[128];

    internal ParticipationStore.RowError? Append(
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
        return store.TryAppend(ben[..benLength], act[..actLength], day, r, s, a, m, completed == 1, sch[..schLength], pre, post);
    }
}
