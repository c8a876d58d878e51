using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Parquet;

/// <summary>
/// A row group's dictionary entries decoded once each, by the one field decoder's own lookups (an enum name's value, an
/// answer on its domain's scale, whether a key is a key, and each key's hash), and its numbers taken as stored: rows
/// then carry entry numbers to decoded values, with no text to read back.
/// </summary>
/// <remarks>
/// Only a row every field of which decodes is added this way (<see cref="TryAdd"/>): a null where a value is required,
/// a value that is not one of its names, a key that is no key, a plain (non-dictionary) text value, an age or a year of
/// birth (which the decoder checks against each other and the date) send the row through the text path instead, so that
/// it is refused with the code and message a CSV cell would get. The row rules that combine fields (the date in the
/// activity's phase, the school of the activity, the scores held) run on every row either way (<see cref="RowParser"/>).
/// One per reader; its tables are rebuilt for each row group on the thread that decodes it, then only read.
/// </remarks>
internal sealed class DecodedEntries
{
    /// <summary>What an entry decodes to when the row must take the text path.</summary>
    private const int Refer = -1;

    private static readonly FunctioningDomain[] Domains = Enum.GetValues<FunctioningDomain>();

    private readonly ColumnChunks.Column?[] _byField;
    private readonly DatasetKeys _keys;
    private readonly RowChecker _rules;

    // Per participation field: each entry's decoded value (Refer: take the text path), and each key entry's hash.
    private readonly int[][] _code;
    private readonly ulong[][] _hash;

    // Per activity or school entry: its number in the dataset, or -1 when the dataset has no such id.
    private readonly int[][] _found;

    // Per activity entry: its number in the dataset and its rule entry side by side, so that a row reads both with one
    // load (rows of a store-order file name activities at random: each separate table would be a cache miss a row).
    private ActivityEntry[] _activity = [];

    // The power of ten that takes each score column's stored integer to ten-thousandths.
    private readonly long _preFactor;
    private readonly long _postFactor;

    private DecodedEntries(ColumnChunks.Column?[] byField, DatasetKeys keys, RowChecker rules)
    {
        _byField = byField;
        _keys = keys;
        _rules = rules;
        _code = new int[byField.Length][];
        _hash = new ulong[byField.Length][];
        _found = new int[byField.Length][];
        for (var f = 0; f < byField.Length; f++)
        {
            _code[f] = [];
            _hash[f] = [];
            _found[f] = [];
        }
        _preFactor = Factor(byField[ParticipationColumns.PreScore]);
        _postFactor = Factor(byField[ParticipationColumns.PostScore]);
    }

    /// <summary>
    /// For a file whose columns are of the documented schema's kinds (text by name, a DATE, a BOOLEAN, decimal scores of
    /// at most four places, integer ages), the decoded entries; otherwise <c>null</c>, and every row takes the text path.
    /// </summary>
    /// <param name="byField">Each participation field's column, or <c>null</c> when the file has none.</param>
    /// <param name="keys">The dataset's ids, by which each activity and school entry is resolved once.</param>
    /// <param name="rules">The dataset's row rules, whose entry for each activity entry is read once.</param>
    internal static DecodedEntries? For(ColumnChunks.Column?[] byField, DatasetKeys keys, RowChecker rules)
    {
        for (var f = 0; f < byField.Length; f++)
        {
            if (byField[f] is not { } column)
            {
                continue;
            }
            var fits = f switch
            {
                ParticipationColumns.Date => column.Kind == ColumnChunks.ValueKind.Date,
                ParticipationColumns.Completed => column.Kind == ColumnChunks.ValueKind.Boolean,
                ParticipationColumns.PreScore or ParticipationColumns.PostScore =>
                    column.Kind is ColumnChunks.ValueKind.Decimal or ColumnChunks.ValueKind.Integer && column.Scale <= ParticipationParquet.ScoreScale,
                ParticipationColumns.Age or ParticipationColumns.YearOfBirth => column.Kind == ColumnChunks.ValueKind.Integer,
                _ => column.Kind == ColumnChunks.ValueKind.Text,
            };
            if (!fits)
            {
                return null;
            }
        }
        return new DecodedEntries(byField, keys, rules);
    }

    /// <summary>Decodes the dictionary entries of one field's column for the row group just decoded (any thread; one field a thread); -1 for a column that fills no field.</summary>
    internal void Prepare(int field)
    {
        if (field < 0 || _byField[field] is not { Kind: ColumnChunks.ValueKind.Text } column)
        {
            return;
        }
        var entries = column.Entries;
        if (_code[field].Length < entries)
        {
            _code[field] = new int[Math.Max(entries, _code[field].Length * 2)];
            _hash[field] = new ulong[_code[field].Length];
            _found[field] = new int[_code[field].Length];
        }
        var code = _code[field];
        var hash = _hash[field];
        var found = _found[field];
        var ids = field switch
        {
            ParticipationColumns.Activity => _keys.Activities,
            ParticipationColumns.School => _keys.Schools,
            _ => null,
        };
        var keyed = field is ParticipationColumns.Beneficiary or ParticipationColumns.Activity or ParticipationColumns.School;
        for (var e = 0; e < entries; e++)
        {
            var text = column.EntryText(e);
            code[e] = text.IsEmpty ? Refer : Decode(field, text);
            if (keyed)
            {
                hash[e] = BeneficiaryHash.Of(text);
            }
        }
        if (ids is null)
        {
            return;
        }
        // In a store-order file nearly every row names an activity of its own, so its dictionary is as long as the row
        // group and each lookup misses the cache: the entries' slots are touched a group at a time, so the misses overlap.
        var touched = 0;
        for (var group = 0; group < entries; group += RowParser.TouchGroup)
        {
            var end = Math.Min(entries, group + RowParser.TouchGroup);
            touched += ids.Touch(hash.AsSpan(group, end - group));
            for (var e = group; e < end; e++)
            {
                found[e] = code[e] == Refer ? -1 : ids.Find(column.EntryText(e), hash[e]);
            }
        }
        if (field == ParticipationColumns.Activity)
        {
            JoinRules(entries);
        }
        Interlocked.Add(ref _touched, touched); // columns are prepared in parallel
    }

    /// <summary>An activity entry's number in the dataset (negative: none) and that activity's rule entry.</summary>
    private readonly record struct ActivityEntry(int Activity, ActivitySpan Span);

    /// <summary>Puts each activity entry's rule entry beside its number in the dataset.</summary>
    private void JoinRules(int entries)
    {
        if (_activity.Length < entries)
        {
            _activity = new ActivityEntry[Math.Max(entries, _activity.Length * 2)];
        }
        var found = _found[ParticipationColumns.Activity];
        var spans = _rules.Spans;
        for (var e = 0; e < entries; e++)
        {
            var activity = found[e];
            _activity[e] = new(activity, (uint)activity < (uint)spans.Length ? spans[activity] : default);
        }
    }

    // Keeps the touching loads observable, so that no compiler drops them.
    private int _touched;

    /// <summary>
    /// A non-empty entry's value by the one decoder's lookups: an enum's or answer's value, 0 for a key (a beneficiary key
    /// that is a key; any activity or school id, which resolving judges), or <see cref="Refer"/>.
    /// </summary>
    private static int Decode(int field, ReadOnlySpan<byte> text) => field switch
    {
        ParticipationColumns.Beneficiary => Identifiers.IsValid(text, BeneficiaryKey.MaxLength) ? 0 : Refer,
        ParticipationColumns.Activity or ParticipationColumns.School => 0,
        ParticipationColumns.Role => EnumNames<BeneficiaryRole>.Index(text),
        ParticipationColumns.Sex => EnumNames<Sex>.Index(text),
        ParticipationColumns.AgeBand => EnumNames<AgeBand>.Index(text),
        ParticipationColumns.Mode => EnumNames<DeliveryMode>.Index(text),
        >= ParticipationColumns.FirstFunctioning => ParticipationFields.AnswerIndex(Domains[field - ParticipationColumns.FirstFunctioning], text),
        _ => Refer,
    };

    /// <summary>
    /// Adds row <paramref name="row"/> of the row group with its decoded values, or leaves it (returns <c>false</c>) for
    /// the text path; <paramref name="error"/> is why an added row is refused by the rules that need no lookup.
    /// </summary>
    internal bool TryAdd(ParsedBatch batch, int lineEnds, int row, out RowError? error)
    {
        error = null;
        if (!TryDecode(row, out var v)
            || !TryKey(ParticipationColumns.Beneficiary, row, out var beneficiary, out var beneficiaryHash)
            || !TryKey(ParticipationColumns.Activity, row, out var activity, out var activityHash)
            || !TryKey(ParticipationColumns.School, row, out var school, out var schoolHash))
        {
            return false;
        }
        var keys = new RowKeys(beneficiary, beneficiaryHash, activity, activityHash, school, schoolHash);
        error = RowParser.Add(batch, lineEnds, keys, v.Day, v.Flags, v.Age, v.Pre, v.Post, v.Functioning);
        return true;
    }

    /// <summary>
    /// Adds rows <paramref name="start"/> to <paramref name="end"/> of the row group to an empty batch column by column,
    /// their activities and schools resolved by their entries, when every one of them decodes so and no row rule refuses
    /// it (<see cref="RowParser.Accepts(int, in ActivitySpan, int, int, long, long, out int)"/>), as in a file written from a store; otherwise <c>false</c>, with the batch part
    /// filled: the caller empties it and reads the rows one by one (<see cref="TryAdd"/>), so that each refusal is worded as CSV's.
    /// </summary>
    internal bool TryAddAll(ParsedBatch batch, int start, int end)
    {
        var count = end - start;
        var first = batch.Extend(count);
        var pre = batch.Pre.AsSpan(first, count);
        var post = batch.Post.AsSpan(first, count);
        if (!TryFields(start, batch.Flags.AsSpan(first, count), batch.Age.AsSpan(first, count), pre, post, batch.Functioning.AsSpan(first, count)))
        {
            return false;
        }
        var parser = batch.Parser;
        var days = _byField[ParticipationColumns.Date]!.NumbersOf(start, count);
        var activities = batch.Activity.AsSpan(first, count);
        var activityEntries = _byField[ParticipationColumns.Activity]!.EntriesOf(start, count);
        var personEntries = _byField[ParticipationColumns.Beneficiary]!.EntriesOf(start, count);
        var joined = _activity;
        var allSpans = parser.Rules.Spans;
        Span<ActivitySpan> spans = stackalloc ActivitySpan[RowParser.TouchGroup];
        for (var group = 0; group < count; group += RowParser.TouchGroup)
        {
            var last = Math.Min(count, group + RowParser.TouchGroup);
            // The group's activities and their rule entries first, then the checks: rows name activities at random, and
            // with the loads independent of one another their cache misses overlap.
            for (var i = group; i < last; i++)
            {
                var entry = activityEntries[i];
                int activity;
                if ((uint)entry < (uint)joined.Length)
                {
                    (activity, spans[i - group]) = joined[entry];
                }
                else
                {
                    // A plain value (or none): looked up here.
                    activity = Find(ParticipationColumns.Activity, start + i);
                    spans[i - group] = (uint)activity < (uint)allSpans.Length ? allSpans[activity] : default;
                }
                // An id the dataset lacks: the row-by-row read says so.
                if (activity < 0)
                {
                    return false;
                }
                activities[i] = activity;
            }
            for (var i = group; i < last; i++)
            {
                // A row with the row before's key entry repeats its key, which was judged a key there: it is not read again.
                var repeat = i > 0 && personEntries[i] >= 0 && personEntries[i] == personEntries[i - 1];
                ReadOnlySpan<byte> key = default;
                var hash = 0UL;
                // A school the dataset lacks, a key that is no key: the row-by-row read says so.
                if (Find(ParticipationColumns.School, start + i) is var named && named == NotFound
                    || (!repeat && !TryKey(ParticipationColumns.Beneficiary, start + i, out key, out hash)))
                {
                    return false;
                }
                var day = checked((int)days[i]) + ColumnChunks.UnixEpochDay;
                if (!parser.Accepts(activities[i], spans[i - group], named, day, pre[i], post[i], out var school))
                {
                    return false;
                }
                var row = first + i;
                batch.School[row] = school;
                batch.Day[row] = (ushort)(day - RowChecker.FirstDay);
                batch.LineEnds[row] = i;
                if (repeat)
                {
                    batch.Beneficiary.AddRepeat();
                }
                else
                {
                    batch.Beneficiary.Add(key, hash);
                }
            }
        }
        MarkRepeats(batch, start, first, count);
        batch.Columnar = first == 0;
        return true;
    }

    /// <summary>
    /// Marks each row whose beneficiary is the row before's (<see cref="ParsedBatch.Repeat"/>), here on a worker, so that
    /// the store's commit, which runs on one thread, looks up only the first row of each person's run: by their shared
    /// dictionary entry, or for plain values by equal keys. A separate pass, which keeps the loop above small.
    /// </summary>
    private void MarkRepeats(ParsedBatch batch, int start, int first, int count)
    {
        if (count == 0)
        {
            return;
        }
        var repeat = batch.Repeat.AsSpan(first, count);
        var entries = _byField[ParticipationColumns.Beneficiary]!.EntriesOf(start, count);
        var keys = batch.Beneficiary;
        var hashes = keys.Hashes;
        repeat[0] = 0;
        for (var i = 1; i < count; i++)
        {
            var entry = entries[i];
            var same = entry >= 0
                ? entry == entries[i - 1]
                : hashes[first + i] == hashes[first + i - 1] && keys[first + i].SequenceEqual(keys[first + i - 1]);
            repeat[i] = same ? (byte)1 : (byte)0;
        }
    }

    /// <summary>What <see cref="Find"/> gives for an id the dataset lacks (or no id where one is required).</summary>
    private const int NotFound = -2;

    /// <summary>
    /// A row's activity or school by its number in the dataset: by its dictionary entry, or (a plain value) looked up
    /// here; <see cref="ProgrammeIndex.None"/> for no school, <see cref="NotFound"/> for an id the dataset lacks or none.
    /// </summary>
    private int Find(int field, int row)
    {
        var column = _byField[field];
        var entry = column?.Entry(row) ?? ColumnChunks.Column.Null;
        if (entry >= 0)
        {
            return _found[field][entry] is var found and >= 0 ? found : NotFound;
        }
        if (entry == ColumnChunks.Column.Null)
        {
            return field == ParticipationColumns.School ? ProgrammeIndex.None : NotFound;
        }
        var id = column!.Text(row, default);
        var ids = field == ParticipationColumns.Activity ? _keys.Activities : _keys.Schools;
        return !id.IsEmpty && ids.Find(id, BeneficiaryHash.Of(id)) is var number and >= 0 ? number : NotFound;
    }

    /// <summary>
    /// Decodes the fields other than the keys of rows <paramref name="start"/> on (as many as the spans hold), when every
    /// one decodes by its entries: the one statement of which values each field takes on this path, for a batch
    /// (<see cref="TryAddAll"/>) and a row (<see cref="TryAdd"/>) alike; otherwise <c>false</c>, and the rows take the text path.
    /// </summary>
    private bool TryFields(int start, Span<byte> flags, Span<byte> age, Span<long> pre, Span<long> post, Span<ulong> functioning)
    {
        var count = flags.Length;
        // An age or a year of birth is checked against the date by the one decoder: such rows go through it (checked first, being cheap).
        return !Present(ParticipationColumns.Age, start, count) && !Present(ParticipationColumns.YearOfBirth, start, count)
            && !_byField[ParticipationColumns.Date]!.AnyNull(start, count)
            && TryFlags(start, count, flags, age)
            && TryScores(ParticipationColumns.PreScore, _preFactor, start, pre) && TryScores(ParticipationColumns.PostScore, _postFactor, start, post)
            && TryAnswers(start, functioning);
    }

    /// <summary>Packs the role, sex, mode and completion of rows into <paramref name="flags"/> and their age bands into <paramref name="age"/>, when each decodes.</summary>
    private bool TryFlags(int start, int count, Span<byte> flags, Span<byte> age)
    {
        var f = _byField;
        var role = f[ParticipationColumns.Role]!.EntriesOf(start, count);
        var sex = f[ParticipationColumns.Sex]!.EntriesOf(start, count);
        var mode = f[ParticipationColumns.Mode]!.EntriesOf(start, count);
        var band = f[ParticipationColumns.AgeBand]!.EntriesOf(start, count);
        var completed = f[ParticipationColumns.Completed]!;
        var completedEntries = completed.EntriesOf(start, count);
        var completedValues = completed.NumbersOf(start, count);
        var (roleCode, sexCode, modeCode, bandCode) = (_code[ParticipationColumns.Role], _code[ParticipationColumns.Sex], _code[ParticipationColumns.Mode], _code[ParticipationColumns.AgeBand]);
        var refused = 0;
        for (var i = 0; i < count; i++)
        {
            int r = CodeOf(roleCode, role[i]), s = CodeOf(sexCode, sex[i]), m = CodeOf(modeCode, mode[i]), b = CodeOf(bandCode, band[i]);
            refused |= r | s | m | b | (completedEntries[i] == ColumnChunks.Column.Null ? Refer : 0);
            flags[i] = RowParser.Flags(r, s, m, completedValues[i] != 0);
            age[i] = AgeCodes.Of(ParticipationFields.NoAge, b, false);
        }
        // Every negative code or null completion sets the sign bit.
        return refused >= 0;
    }

    /// <summary>An entry's decoded value, or <see cref="Refer"/> for a null or plain value.</summary>
    private static int CodeOf(int[] code, int entry) => (uint)entry < (uint)code.Length ? code[entry] : Refer;

    /// <summary>Whether any of the rows has a value in the field's column.</summary>
    private bool Present(int field, int start, int count) => _byField[field] is { } column && column.AnyValue(start, count);

    /// <summary>Rows' scores in ten-thousandths (<see cref="ParticipationFields.NoScore"/> for a null), when each would read as a number the store holds.</summary>
    private bool TryScores(int field, long factor, int start, Span<long> scaled)
    {
        if (_byField[field] is not { } column || column.IsAllNull)
        {
            scaled.Fill(ParticipationFields.NoScore);
            return true;
        }
        var entries = column.EntriesOf(start, scaled.Length);
        var stored = column.NumbersOf(start, scaled.Length);
        var max = ParticipationFields.MaxScaledScore / factor;
        for (var i = 0; i < scaled.Length; i++)
        {
            if (entries[i] == ColumnChunks.Column.Null)
            {
                scaled[i] = ParticipationFields.NoScore;
            }
            else if (Math.Abs(stored[i]) > max)
            {
                return false;
            }
            else
            {
                scaled[i] = stored[i] * factor;
            }
        }
        return true;
    }

    /// <summary>Rows' answers, packed, when every one given decodes: the answers of a domain are bits of their own.</summary>
    private bool TryAnswers(int start, Span<ulong> functioning)
    {
        functioning.Clear();
        for (var d = 0; d < Domains.Length; d++)
        {
            var field = ParticipationColumns.FirstFunctioning + d;
            if (_byField[field] is not { } column)
            {
                continue;
            }
            if (!column.AnyValue(start, functioning.Length))
            {
                continue; // a question not asked in these rows, as most are: one look, not a branch a row
            }
            var entries = column.EntriesOf(start, functioning.Length);
            var code = _code[field];
            for (var i = 0; i < functioning.Length; i++)
            {
                var entry = entries[i];
                if (entry == ColumnChunks.Column.Null)
                {
                    continue;
                }
                var answer = CodeOf(code, entry);
                if (answer < 0)
                {
                    return false;
                }
                functioning[i] = FunctioningAnswers.FromPacked(functioning[i]).WithAnswer(Domains[d], answer).Packed;
            }
        }
        return true;
    }

    /// <summary>A row's fields other than its keys, decoded: the role, sex, mode and completion packed (<see cref="RowParser.Flags"/>).</summary>
    private readonly record struct Decoded(int Day, byte Flags, byte Age, long Pre, long Post, ulong Functioning);

    /// <summary>Decodes a row's fields other than its keys by their entries (<see cref="TryFields"/>), or <c>false</c> when the row must take the text path.</summary>
    private bool TryDecode(int row, out Decoded decoded)
    {
        byte flags = 0, age = 0;
        long pre = 0, post = 0;
        ulong functioning = 0;
        if (!TryFields(row, new Span<byte>(ref flags), new Span<byte>(ref age), new Span<long>(ref pre), new Span<long>(ref post), new Span<ulong>(ref functioning)))
        {
            decoded = default;
            return false;
        }
        decoded = new(checked((int)_byField[ParticipationColumns.Date]!.Number(row)) + ColumnChunks.UnixEpochDay, flags, age, pre, post, functioning);
        return true;
    }

    /// <summary>
    /// A key field's text and hash: by its dictionary entry, or (a plain value, as a column of keys that hardly repeat is
    /// written) read and hashed here; <c>false</c> when the row must take the text path. No school is an empty key.
    /// </summary>
    private bool TryKey(int field, int row, out ReadOnlySpan<byte> key, out ulong hash)
    {
        key = default;
        hash = 0;
        var column = _byField[field];
        var entry = column?.Entry(row) ?? ColumnChunks.Column.Null;
        if (entry >= 0)
        {
            key = column!.EntryText(entry);
            hash = _hash[field][entry];
            return _code[field][entry] != Refer;
        }
        if (entry == ColumnChunks.Column.Null)
        {
            return field == ParticipationColumns.School;
        }
        key = column!.Text(row, default);
        hash = BeneficiaryHash.Of(key);
        return !key.IsEmpty && Decode(field, key) != Refer;
    }

    private static long Factor(ColumnChunks.Column? score)
    {
        var factor = 1L;
        for (var s = score?.Scale ?? 0; s < ParticipationParquet.ScoreScale; s++)
        {
            factor *= 10;
        }
        return factor;
    }
}
