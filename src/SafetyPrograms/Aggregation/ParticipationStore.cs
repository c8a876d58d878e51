using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;
using SafetyPrograms.Ingest;
using SafetyPrograms.Validation;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// Participation records held in narrow columns (16 bytes a record) for fast grouping, unique counts and rollups.
/// </summary>
/// <remarks>
/// <para>Every dimension is dictionary-encoded to a small integer at ingest: beneficiary (4 bytes), the pair
/// activity + effective school (4), the day (2), role + sex + mode + completed in one byte, the age (1: the age in years
/// at the record's date where the age or year of birth is recorded, else the band recorded), and the pre and post scores
/// as 2-byte codes into a dictionary of distinct score values (4). Scores are kept exactly to four decimal places.
/// Attributes of a person are held once per beneficiary beside the columns: the answers to the Washington Group
/// questions, the first set recorded for the beneficiary (a later, different set is a validation finding, SP8017).</para>
/// <para>Records are appended from CSV, JSON Lines or in-memory records. A row is refused for exactly the reasons
/// <see cref="Validation.ParticipationValidator"/> refuses it under its default options (the row rules SP8001 to SP8005,
/// SP8007 and SP8011 to SP8016 of <see cref="ValidationRules"/>: among them a broken quote, the record limit, a date outside 2000-01-01..2179-06-06, a
/// score with more than four decimal places or over 1e9, and a 65,536th distinct score value); refused rows are counted
/// by code in the <see cref="IngestReport"/>, and warnings never keep a row out. Before the first query after an append, the store orders its
/// records by a hash of the beneficiary key so that exact and approximate unique counts need only "last value seen"
/// per group, never a hash set.</para>
/// <para>Thread safety: queries may run concurrently with each other, but not with appends.</para>
/// </remarks>
public sealed partial class ParticipationStore : IRowSink
{
    /// <summary>Bytes held per record in the columns.</summary>
    internal const int BytesPerRecord = 16;

    internal static readonly int DayBase = RowChecker.FirstDay;
    internal const long ScoreScale = RowChecker.ScoreScale;
    internal const long MaxScaledScore = RowChecker.MaxScaledScore;

    private readonly KeyTable _beneficiaries = new();
    private readonly Dictionary<long, int> _contextIndex = [];
    private readonly Dictionary<long, ushort> _scoreIndex = [];
    private readonly Lock _sortLock = new();
    // Each activity's last context and its school, side by side (school in the high half), so that the common case
    // reads one place; -1 when the activity has none yet.
    private readonly long[] _activityContext;
    private int[] _contextActivity = new int[256];
    private int[] _contextSchool = new int[256];
    private long[] _scoreValues = new long[256];

    // Score values met lately and their codes, one place per value's hash, so that most rows skip the dictionary; a
    // code never changes once given, so a place is right whenever its value matches. Empty places hold NoScore, which
    // is never looked up here.
    private readonly (long Value, ushort Code)[] _recentScores = NewRecentScores();

    private int[] _beneficiary = [];
    private int[] _context = [];
    private ushort[] _day = [];
    private byte[] _flags = [];
    private byte[] _age = [];
    private ushort[] _pre = [];
    private ushort[] _post = [];
    private volatile bool _sorted = true;

    // Once per beneficiary, by beneficiary number: the answers recorded first, and their summary for the engine.
    private ulong[] _personAnswers = new ulong[256];
    private byte[] _personSummary = new byte[256];

    // The beneficiaries whose answers were first kept since the last mark of a whole-or-nothing append (null outside
    // one): an undone append forgets their answers too, or a person known before it would keep answers it brought.
    private List<int>? _answeredSinceMark;

    /// <summary>Creates an empty store whose records refer to <paramref name="dataset"/>'s activities and schools.</summary>
    /// <param name="dataset">The reference data: partnerships, phases, organisations, schools and activities.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    public ParticipationStore(ProgrammeDataset dataset)
    {
        Preconditions.CheckNotNull(dataset);
        Lookup = ProgrammeIndex.For(dataset);
        Rules = RowChecker.For(dataset);
        Keys = DatasetKeys.For(Lookup);
        _activityContext = new long[Lookup.ActivityIds.Length];
        Array.Fill(_activityContext, -1L);
        ScoreCount = 1; // code 0 means "no score"
    }

    /// <summary>The number of records held.</summary>
    public int Count { get; private set; }

    /// <summary>The most records one append reads and this store holds (SP8016); smaller only in tests.</summary>
    internal long MaxRecords { get; init; } = RowChecker.MaxRecords;

    /// <summary>
    /// The most bytes the columns and dictionaries may take (SP8016): three quarters of the memory available to the
    /// process (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>), checked before the columns grow, so that an endless
    /// stream ends with a finding, never an out-of-memory crash. Smaller only in tests.
    /// </summary>
    internal long MemoryBound { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3;

    /// <summary>The number of distinct beneficiaries held.</summary>
    public int BeneficiaryCount => _beneficiaries.Count;

    /// <summary>Bytes in the record columns: <see cref="Count"/> × <see cref="BytesPerRecord"/>.</summary>
    internal long ColumnBytes => (long)Count * BytesPerRecord;

    /// <summary>An estimate of the bytes in the dictionaries (beneficiary keys and hashes, contexts, scores).</summary>
    internal long DictionaryBytes =>
        _beneficiaries.Bytes + ((long)_personAnswers.Length * (8 + 1)) + ((long)ContextCount * (8 + 24)) + ((long)ScoreCount * (8 + 24));

    /// <summary>The dataset, indexed once and shared with every store, validator and report over it.</summary>
    internal ProgrammeIndex Lookup { get; }

    /// <summary>The row rules every append applies.</summary>
    internal RowChecker Rules { get; }

    /// <summary>The dataset's activity and school ids by their bytes, for ingest.</summary>
    internal DatasetKeys Keys { get; }

    internal int ContextCount { get; private set; }

    internal int ScoreCount { get; private set; }

    internal int MinDay { get; private set; } = ushort.MaxValue;

    internal int MaxDay { get; private set; } = -1;

    /// <summary>Starts a query over the records held.</summary>
    /// <returns>A query builder; nothing runs until <see cref="AggregationQuery.Run"/>.</returns>
    public AggregationQuery Query() => new(this);

    /// <summary>Appends in-memory records.</summary>
    /// <param name="records">The records; a null item is a rejected record.</param>
    /// <returns>What was accepted and rejected; "line" numbers are 1-based positions in the sequence.</returns>
    /// <param name="cancellationToken">Checked between batches of 4,096 records; the batches added before it stay.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IngestReport Append(IEnumerable<ParticipationRecord> records, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(records);
        var report = new IngestReportBuilder(null);
        var parser = new RowParser(this);
        var batch = new ParsedBatch(parser);
        var line = 1L; // the line the batch starts on
        var lineEnds = 0;
        foreach (var r in records)
        {
            var error = r is null ? NullRecord : parser.Add(batch, lineEnds, r);
            if (error is not null)
            {
                batch.Rejects.Add((lineEnds, error));
            }
            lineEnds++;
            if (lineEnds == 4096)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch.ChunkLineEnds = lineEnds;
                parser.Resolve(batch);
                Commit(batch, line, report);
                line += lineEnds;
                lineEnds = 0;
                batch.Clear();
                if (report.StoppedEarly)
                {
                    return report.Build();
                }
            }
        }
        batch.ChunkLineEnds = lineEnds;
        parser.Resolve(batch);
        Commit(batch, line, report);
        return report.Build();
    }

    /// <summary>Appends participation CSV: a header row naming the columns in any order, then one record per line.</summary>
    /// <remarks>
    /// Records are parsed in parallel, in chunks of about 1 MiB, and added in file order. Reading stops, with the
    /// report's <see cref="IngestReport.StoppedEarly"/> set, at a record longer than 1 MiB (SP8001; it is not read to its
    /// end) or past the ingest limits (SP8016: <see cref="RowChecker.MaxRecords"/> records, or the memory bound).
    /// </remarks>
    /// <param name="stream">UTF-8 text; columns <c>beneficiary,activity,date,role,sex,ageBand,mode,completed</c> required,
    /// <c>school,preScore,postScore</c> optional; values exactly as in JSON; an empty cell is null.</param>
    /// <param name="fileName">The file name, for messages.</param>
    /// <returns>What was accepted and rejected; line numbers are physical lines (the header is line 1).</returns>
    /// <param name="cancellationToken">Checked between chunks; the chunks added before it stay.</param>
    /// <exception cref="Serialization.DataFormatException">The header is missing, names an unknown column, repeats one or lacks a
    /// required one (the same rule and message as <see cref="Serialization.ParticipationCsv.Read"/>), the file is UTF-16 or
    /// UTF-32, or it is not text (gzip, zip or Parquet, or NUL bytes in its first line).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IngestReport AppendCsv(Stream stream, string? fileName = null, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(stream);
        return CsvIngest.Append(this, stream, fileName, cancellationToken: cancellationToken);
    }

    /// <summary>Appends participation JSON Lines: one ParticipationRecord object per line.</summary>
    /// <param name="stream">UTF-8 text.</param>
    /// <param name="fileName">The file name, for messages.</param>
    /// <returns>What was accepted and rejected; line numbers are physical lines. Blank lines are skipped, as the typed reader skips them.</returns>
    /// <param name="cancellationToken">Checked between chunks; the chunks added before it stay.</param>
    /// <remarks>Reading stops as for <see cref="AppendCsv"/>: at a line longer than 1 MiB, or past the ingest limits (SP8016).</remarks>
    /// <exception cref="Serialization.DataFormatException">The file is UTF-16 or UTF-32 (line 1), or not text (gzip, zip or
    /// Parquet, or NUL bytes in its first line).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IngestReport AppendJsonLines(Stream stream, string? fileName = null, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(stream);
        return JsonLinesIngest.Append(this, stream, fileName, cancellationToken: cancellationToken);
    }

    internal const long NoScore = RowChecker.NoScore;
    internal const long BadScore = RowChecker.BadScore;

    private static readonly RowError NullRecord = RowError.Unreadable("The record is null.", "$");
    private static readonly RowError TooManyScores = RowParser.Refusal(RowFaults.TooManyScores);

    /// <summary>
    /// Adds a batch of checked rows in order, numbering new beneficiaries, contexts and scores; a row whose scores would
    /// overflow the score dictionary is refused here, before any change. Rejects and rows are reported in line order.
    /// </summary>
    /// <param name="batch">The rows and rejects of one chunk.</param>
    /// <param name="firstLine">The line number the chunk starts on.</param>
    /// <param name="report">Where accepted and refused lines are counted.</param>
    internal void Commit(ParsedBatch batch, long firstLine, IngestReportBuilder report)
    {
        if (report.StoppedEarly)
        {
            return;
        }
        var rejects = batch.Rejects;
        var keys = batch.Beneficiary;
        var hashes = keys.Hashes;
        var next = 0;
        var (last, lastBen) = (-1, -1);
        // The limits are checked line by line only for a batch that could reach one: no line of a batch that cannot
        // is past them, and the per-line check would cost every row of every other batch.
        var limited = report.Read + batch.Count + rejects.Count >= MaxRecords || (long)Count + batch.Count >= MaxRecords
            || (long)Count + batch.Count >= Capacity;
        // No row of a batch checked whole can be refused here when no limit is near and the score dictionary has room
        // for two new values a row: its columns are appended as blocks. Any other batch takes the row path below.
        if (batch.Columnar && rejects.Count == 0 && !limited && ScoreCount - 1 + (2L * batch.Count) <= RowChecker.MaxDistinctScores)
        {
            CommitColumns(batch, report);
            return;
        }
        for (var row = 0; row < batch.Count; row++)
        {
            if (row % RowParser.TouchGroup == 0)
            {
                var end = Math.Min(batch.Count, row + RowParser.TouchGroup);
                _touched += _beneficiaries.Touch(hashes[row..end]) + TouchContexts(batch.Activity.AsSpan(row, end - row));
            }
            var lineEnds = batch.LineEnds[row];
            for (; next < rejects.Count && rejects[next].LineEnds < lineEnds; next++)
            {
                if (limited && Full(firstLine + rejects[next].LineEnds, report))
                {
                    return;
                }
                report.Reject(firstLine + rejects[next].LineEnds, rejects[next].Error);
            }
            if (batch.Activity[row] < 0)
            {
                continue; // refused when resolved: its reject is in the list
            }
            if (limited && Full(firstLine + lineEnds, report))
            {
                return;
            }
            if (!TryScoreCodes(batch.Pre[row], batch.Post[row], out var pre, out var post))
            {
                report.Reject(firstLine + lineEnds, TooManyScores);
                continue;
            }
            // Rows in query order come a person at a time: a row with the last row's key is that person's, unlooked-up.
            var key = keys[row];
            var ben = last >= 0 && hashes[row] == hashes[last] && key.SequenceEqual(keys[last]) ? lastBen : _beneficiaries.GetOrAdd(key, hashes[row]);
            (last, lastBen) = (row, ben);
            NotePerson(ben, batch.Functioning[row]);
            AppendResolved(ben, ContextOf(batch.Activity[row], batch.School[row]), batch.Day[row], batch.Flags[row], batch.Age[row], pre, post);
            report.Read++;
            report.Accepted++;
        }
        for (; next < rejects.Count; next++)
        {
            if (limited && Full(firstLine + rejects[next].LineEnds, report))
            {
                return;
            }
            report.Reject(firstLine + rejects[next].LineEnds, rejects[next].Error);
        }
    }

    /// <summary>
    /// Appends a <see cref="ParsedBatch.Columnar"/> batch none of whose rows can be refused, with the room its rows need
    /// (the caller checked both): the same store as <see cref="AppendResolved"/> row by row, but the dictionaries are
    /// asked only what a row adds (a beneficiary once for each run of its rows, as the filler marked them), and the
    /// columns the rows give as they are (the day, flags and age band) are copied a block at a time.
    /// </summary>
    private void CommitColumns(ParsedBatch batch, IngestReportBuilder report)
    {
        var count = batch.Count;
        var at = Count;
        var keys = batch.Beneficiary;
        var hashes = keys.Hashes;
        var repeat = batch.Repeat.AsSpan(0, count);
        var activity = batch.Activity.AsSpan(0, count);
        var school = batch.School.AsSpan(0, count);
        var preScores = batch.Pre.AsSpan(0, count);
        var postScores = batch.Post.AsSpan(0, count);
        var functioning = batch.Functioning.AsSpan(0, count);
        var beneficiaries = _beneficiary.AsSpan(at, count);
        var contexts = _context.AsSpan(at, count);
        var pre = _pre.AsSpan(at, count);
        var post = _post.AsSpan(at, count);
        var previous = at > 0 ? _beneficiary[at - 1] : -1;
        var sorted = _sorted;
        var ben = previous;
        Span<ulong> runs = stackalloc ulong[RowParser.TouchGroup];
        var untouched = 0;
        for (var row = 0; row < count; row++)
        {
            if (row % RowParser.TouchGroup == 0)
            {
                var end = Math.Min(count, row + RowParser.TouchGroup);
                _touched += TouchContexts(activity[row..end]);
            }
            if (row == untouched)
            {
                untouched = TouchRuns(hashes, repeat, row, runs);
            }
            if (repeat[row] == 0 || row == 0)
            {
                ben = _beneficiaries.GetOrAdd(keys[row], hashes[row]);
                // The order check of AppendResolved, needed only where the beneficiary may change.
                if (sorted && previous >= 0 && !InQueryOrder(previous, ben))
                {
                    sorted = false;
                }
                previous = ben;
            }
            beneficiaries[row] = ben;
            if (repeat[row] == 0 || row == 0 || functioning[row] != 0)
            {
                NotePerson(ben, functioning[row]); // also sizes the person columns for a new beneficiary
            }
            contexts[row] = ContextOf(activity[row], school[row]);
            if (!TryScoreCodes(preScores[row], postScores[row], out pre[row], out post[row]))
            {
                throw new InvalidOperationException("The score dictionary was checked to have room for the batch.");
            }
        }
        var days = batch.Day.AsSpan(0, count);
        days.CopyTo(_day.AsSpan(at));
        batch.Flags.AsSpan(0, count).CopyTo(_flags.AsSpan(at));
        batch.Age.AsSpan(0, count).CopyTo(_age.AsSpan(at));
        var (min, max) = (MinDay, MaxDay);
        foreach (var day in days)
        {
            min = Math.Min(min, day);
            max = Math.Max(max, day);
        }
        (MinDay, MaxDay) = (min, max);
        _sorted = sorted;
        Count = at + count;
        report.Read += count;
        report.Accepted += count;
    }

    /// <summary>
    /// Reads the beneficiary slots that the next runs of rows from <paramref name="row"/> on will look up (as many runs as
    /// <paramref name="runs"/> holds; a run's first row is looked up, the others repeat its person), as
    /// <see cref="KeyTable.Touch"/> does: in query order a person has many rows, so touching the next sixteen rows would
    /// overlap a miss or two, where touching the next sixteen runs overlaps sixteen.
    /// </summary>
    /// <returns>The row after the last run touched: where to touch again.</returns>
    private int TouchRuns(ReadOnlySpan<ulong> hashes, ReadOnlySpan<byte> repeat, int row, Span<ulong> runs)
    {
        var n = 0;
        for (; row < repeat.Length && n < runs.Length; row++)
        {
            if (repeat[row] == 0 || row == 0)
            {
                runs[n++] = hashes[row];
            }
        }
        _touched += _beneficiaries.Touch(runs[..n]);
        return row;
    }

    /// <summary>
    /// SP8016: whether the line is past the ingest limits (the records one append reads or the store holds, or the
    /// memory bound when the columns would have to grow); if so it is refused and reading stops.
    /// </summary>
    private bool Full(long line, IngestReportBuilder report)
    {
        string? why = report.Read >= MaxRecords || Count >= MaxRecords
            ? $"The input has more than {MaxRecords:N0} records, the most one store holds: this one is refused and reading stopped here."
            : Count == Capacity && GrownBytes() > MemoryBound
                ? $"The store would need more than its memory bound of {MemoryBound / (1 << 20):N0} MiB for more records: this one is refused and reading stopped here."
                : null;
        if (why is null)
        {
            return false;
        }
        report.Reject(line, new RowError(ValidationRules.RecordBeyondLimit.Code, why, "$"));
        report.StoppedEarly = true;
        return true;
    }

    /// <summary>The bytes the columns and dictionaries would take once the columns grow.</summary>
    private long GrownBytes() => (NextCapacity() * (long)BytesPerRecord) + DictionaryBytes;

    ProgrammeIndex IRowSink.Index => Lookup;

    RowChecker IRowSink.Rules => Rules;

    DatasetKeys IRowSink.Keys => Keys;

    int IRowSink.Count => Count;

    void IRowSink.Reserve(long records) => Reserve(records);

    void IRowSink.Commit(ParsedBatch batch, long firstLine, IngestReportBuilder report) => Commit(batch, firstLine, report);

    // Keeps the touching loads of Commit observable.
    private int _touched;

    /// <summary>
    /// Reads the context entries that <see cref="ContextOf"/> will read for these rows' activities, and nothing else: rows
    /// in query order name activities at random, and the loads do not depend on each other, so their misses overlap.
    /// </summary>
    private int TouchContexts(ReadOnlySpan<int> activities)
    {
        var contexts = _activityContext;
        var sum = 0L;
        foreach (var activity in activities)
        {
            if ((uint)activity < (uint)contexts.Length)
            {
                sum += contexts[activity];
            }
        }
        return (int)sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // one call a row, whose common case is one load and a compare
    private int ContextOf(int activity, int school)
    {
        // Most activities are held at one school: remember each activity's last context and skip the dictionary.
        var last = _activityContext[activity];
        if ((int)last >= 0 && (int)(last >> 32) == school)
        {
            return (int)last;
        }
        var key = ((long)activity << 32) | (uint)(school + 1);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_contextIndex, key, out var exists);
        if (!exists)
        {
            var id = ContextCount;
            if (id == _contextActivity.Length)
            {
                Array.Resize(ref _contextActivity, id * 2);
                Array.Resize(ref _contextSchool, id * 2);
            }
            _contextActivity[id] = activity;
            _contextSchool[id] = school;
            ContextCount = id + 1;
            slot = id;
        }
        _activityContext[activity] = ((long)school << 32) | (uint)slot;
        return slot;
    }

    /// <summary>
    /// The codes of a row's scores, numbering new values; when they would take the dictionary past
    /// <see cref="RowChecker.MaxDistinctScores"/> values, neither is added and the row is refused (SP8013).
    /// </summary>
    private bool TryScoreCodes(long preScaled, long postScaled, out ushort pre, out ushort post)
    {
        var preKnown = Known(preScaled, out pre);
        var postKnown = Known(postScaled, out post);
        if (preKnown && postKnown)
        {
            return true;
        }
        var added = (preKnown ? 0 : 1) + (postKnown || postScaled == preScaled ? 0 : 1);
        if (ScoreCount - 1 + added > RowChecker.MaxDistinctScores)
        {
            return false;
        }
        if (!preKnown)
        {
            pre = NewScore(preScaled);
        }
        if (!postKnown)
        {
            post = postScaled == preScaled ? pre : NewScore(postScaled);
        }
        return true;
    }

    private bool Known(long scaled, out ushort code)
    {
        if (scaled == NoScore)
        {
            code = 0;
            return true;
        }
        ref var recent = ref _recentScores[(int)(((ulong)scaled * 0x9E3779B97F4A7C15UL) >> (64 - RecentScoreBits))];
        if (recent.Value == scaled)
        {
            code = recent.Code;
            return true;
        }
        if (!_scoreIndex.TryGetValue(scaled, out code))
        {
            return false;
        }
        recent = (scaled, code);
        return true;
    }

    private const int RecentScoreBits = 8;

    private static (long Value, ushort Code)[] NewRecentScores()
    {
        var recent = new (long Value, ushort Code)[1 << RecentScoreBits];
        recent.AsSpan().Fill((NoScore, 0));
        return recent;
    }

    private ushort NewScore(long scaled)
    {
        var code = (ushort)ScoreCount;
        if (code == _scoreValues.Length)
        {
            Array.Resize(ref _scoreValues, code * 2);
        }
        _scoreValues[code] = scaled;
        _scoreIndex.Add(scaled, code);
        ScoreCount++;
        return code;
    }

    /// <summary>Keeps a beneficiary's answers, once: the first set recorded stays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NotePerson(int ben, ulong answers)
    {
        if (ben >= _personAnswers.Length)
        {
            var size = Math.Max(ben + 1, _personAnswers.Length * 2);
            Array.Resize(ref _personAnswers, size);
            Array.Resize(ref _personSummary, size);
        }
        if (answers != 0 && _personAnswers[ben] == 0)
        {
            _personAnswers[ben] = answers;
            _personSummary[ben] = (byte)FunctioningAnswers.FromPacked(answers).Summary;
            _answeredSinceMark?.Add(ben);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AppendResolved(int ben, int ctx, ushort day, byte flags, byte age, ushort pre, ushort post)
    {
        var i = Count;
        if (i == _beneficiary.Length)
        {
            Grow();
        }
        _beneficiary[i] = ben;
        _context[i] = ctx;
        _day[i] = day;
        _flags[i] = flags;
        _age[i] = age;
        _pre[i] = pre;
        _post[i] = post;
        Count = i + 1;
        if (day < MinDay)
        {
            MinDay = day;
        }
        if (day > MaxDay)
        {
            MaxDay = day;
        }
        // Rows that arrive in query order (as a store writes them out) keep the store sorted: its first query then
        // skips the sort. The check is the order itself, never what a source claims.
        if (_sorted && i > 0 && !InQueryOrder(_beneficiary[i - 1], ben))
        {
            _sorted = false;
        }
    }

    /// <summary>Whether a record of <paramref name="ben"/> may follow one of <paramref name="previous"/> in query order:
    /// the same beneficiary, or one whose key hash is greater (equal hashes of two beneficiaries are left to the sort).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool InQueryOrder(int previous, int ben) =>
        previous == ben || _beneficiaries.Hashes[previous] < _beneficiaries.Hashes[ben];

    /// <summary>Whether the records are in query order already, so that the next query need not sort them.</summary>
    internal bool IsSorted => _sorted;

    private void Grow() => Reserve(NextCapacity());

    /// <summary>The columns' next size: double, at most <see cref="Array.MaxLength"/> (no <c>int</c> overflow past 2^30).</summary>
    private long NextCapacity() => Math.Clamp(_beneficiary.LongLength * 2, 1024, Array.MaxLength);

    /// <summary>Records the columns have room for.</summary>
    internal int Capacity => _beneficiary.Length;

    /// <summary>
    /// Makes room for <paramref name="records"/> records in all, before an append whose size can be estimated: growing by
    /// doubling copies every column several times, and each new array is fresh memory, slow to touch on virtual machines.
    /// </summary>
    internal void Reserve(long records)
    {
        // An estimate beyond the memory bound reserves only what the bound allows; Full decides when it is reached.
        var size = (int)Math.Min(Math.Min(records, Array.MaxLength), Math.Max(MemoryBound - DictionaryBytes, 0) / BytesPerRecord);
        if (size <= _beneficiary.Length)
        {
            return;
        }
        Array.Resize(ref _beneficiary, size);
        Array.Resize(ref _context, size);
        Array.Resize(ref _day, size);
        Array.Resize(ref _flags, size);
        Array.Resize(ref _age, size);
        Array.Resize(ref _pre, size);
        Array.Resize(ref _post, size);
    }

    /// <summary>
    /// Orders records by (hash of beneficiary key, beneficiary) with a counting sort: each beneficiary's records become
    /// contiguous (exact unique needs only "last beneficiary seen"), and HyperLogLog registers are visited in order with
    /// the largest rank first (approximate unique needs only "last register seen").
    /// </summary>
    internal Columns Sorted()
    {
        if (!_sorted)
        {
            lock (_sortLock)
            {
                if (!_sorted)
                {
                    SortByBeneficiaryHash();
                    _sorted = true;
                }
            }
        }
        return new Columns(this);
    }

    private void SortByBeneficiaryHash()
    {
        var n = Count;
        var b = BeneficiaryCount;
        var order = new int[b];
        var keys = new ulong[b];
        for (var i = 0; i < b; i++)
        {
            order[i] = i;
            keys[i] = _beneficiaries.Hashes[i];
        }
        Array.Sort(keys, order);
        var rank = new int[b];
        for (var r = 0; r < b; r++)
        {
            rank[order[r]] = r;
        }

        // A stable counting sort by rank: a beneficiary's records stay in their order of arrival.
        var start = new int[b + 1];
        var beneficiary = _beneficiary;
        for (var i = 0; i < n; i++)
        {
            start[rank[beneficiary[i]] + 1]++;
        }
        for (var r = 0; r < b; r++)
        {
            start[r + 1] += start[r];
        }
        var perm = GC.AllocateUninitializedArray<int>(n);
        for (var i = 0; i < n; i++)
        {
            perm[start[rank[beneficiary[i]]]++] = i;
        }

        // Each column is gathered into one scratch buffer and copied back, column after column, instead of into seven new
        // arrays: on the virtual machines this runs on, first touches of fresh memory (page faults) cost more than the
        // random reads of the gather, four times more at ten million records.
        var scratch = GC.AllocateUninitializedArray<int>(n);
        Gather(_beneficiary, perm, scratch.AsSpan());
        Gather(_context, perm, scratch.AsSpan());
        Gather(_day, perm, MemoryMarshal.Cast<int, ushort>(scratch.AsSpan()));
        Gather(_flags, perm, MemoryMarshal.Cast<int, byte>(scratch.AsSpan()));
        Gather(_age, perm, MemoryMarshal.Cast<int, byte>(scratch.AsSpan()));
        Gather(_pre, perm, MemoryMarshal.Cast<int, ushort>(scratch.AsSpan()));
        Gather(_post, perm, MemoryMarshal.Cast<int, ushort>(scratch.AsSpan()));
    }

    /// <summary>Reorders the first <c>perm.Length</c> values of <paramref name="column"/> by <paramref name="perm"/>, through <paramref name="scratch"/>.</summary>
    private static void Gather<T>(T[] column, int[] perm, Span<T> scratch)
    {
        scratch = scratch[..perm.Length];
        for (var i = 0; i < perm.Length; i++)
        {
            scratch[i] = column[perm[i]];
        }
        scratch.CopyTo(column);
    }

    /// <summary>A consistent view of the sorted columns for one query.</summary>
    internal readonly struct Columns(ParticipationStore store, byte[]? age = null)
    {
        internal readonly int Count = store.Count;
        internal readonly int[] Beneficiary = store._beneficiary;
        internal readonly int[] Context = store._context;
        internal readonly ushort[] Day = store._day;
        internal readonly byte[] Flags = store._flags;
        /// <summary>Each record's age code: the store's, or a query's own reading of it (<see cref="AgeAtFirstParticipation"/>).</summary>
        internal readonly byte[] Age = age ?? store._age;
        internal readonly ushort[] Pre = store._pre;
        internal readonly ushort[] Post = store._post;
        internal readonly ulong[] BeneficiaryHash = store._beneficiaries.Hashes;
        internal readonly KeyTable Beneficiaries = store._beneficiaries;
        internal readonly int[] ContextActivity = store._contextActivity;
        internal readonly int[] ContextSchool = store._contextSchool;
        internal readonly int ContextCount = store.ContextCount;
        internal readonly long[] ScoreValues = store._scoreValues;

        /// <summary>Per beneficiary number, the summary of the answers (<see cref="FunctioningAnswers.Summary"/>); 0 when none.</summary>
        internal readonly byte[] PersonSummary = store._personSummary;

        /// <summary>Per beneficiary number, the answers kept (<see cref="FunctioningAnswers.Packed"/>); 0 when none.</summary>
        internal readonly ulong[] PersonAnswers = store._personAnswers;
    }
}
