using System.Runtime.CompilerServices;
using SafetyPrograms.Indexing;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Rows parsed and checked but not yet in the store: what a worker makes of one chunk, in columns. A worker first
/// parses every row, then resolves their activities and schools in one tight pass (<see cref="RowParser.Resolve"/>),
/// so that the cache misses of many lookups overlap. Only the store's shared dictionaries (beneficiaries, contexts,
/// scores) are left for <see cref="IRowSink.Commit"/>, which takes batches one at a time in file order.
/// </summary>
internal sealed class ParsedBatch(RowParser parser)
{
    private const int InitialCapacity = 4096;

    internal int[] LineEnds = new int[InitialCapacity];
    internal int[] Activity = new int[InitialCapacity];
    internal int[] School = new int[InitialCapacity];
    internal ushort[] Day = new ushort[InitialCapacity];
    internal byte[] Flags = new byte[InitialCapacity];
    internal byte[] Age = new byte[InitialCapacity];
    internal long[] Pre = new long[InitialCapacity];
    internal long[] Post = new long[InitialCapacity];
    internal ulong[] Functioning = new ulong[InitialCapacity];

    /// <summary>
    /// For a <see cref="Columnar"/> batch, 1 where the row's beneficiary is the row before's in this batch, as its filler
    /// knew by their shared dictionary entry or equal keys; 0 says nothing (the key is looked up).
    /// </summary>
    internal byte[] Repeat = new byte[InitialCapacity];

    /// <summary>Each row's beneficiary key.</summary>
    internal readonly KeyColumn Beneficiary = new(InitialCapacity);

    /// <summary>Each row's activity id, until <see cref="RowParser.Resolve"/> turns it into <see cref="Activity"/>.</summary>
    internal readonly KeyColumn ActivityId = new(InitialCapacity);

    /// <summary>Each row's school id (empty for the activity's own school), until resolved into <see cref="School"/>.</summary>
    internal readonly KeyColumn SchoolId = new(InitialCapacity);

    /// <summary>Refused rows: line ends before the row, and why; in line order once the batch is resolved.</summary>
    internal readonly List<(int LineEnds, RowError Error)> Rejects = [];

    /// <summary>The parser of the worker that fills this batch (its scratch buffers travel with the batch).</summary>
    internal RowParser Parser { get; } = parser;

    /// <summary>The rows held, refused ones included (their <see cref="Activity"/> is -1).</summary>
    internal int Count { get; private set; }

    /// <summary>Line ends in the whole chunk: where the next chunk's lines start.</summary>
    internal int ChunkLineEnds { get; set; }

    /// <summary>The chunk's size in bytes (0 when unknown), for estimating a file's record count.</summary>
    internal int Bytes { get; set; }

    /// <summary>
    /// Whether the batch was filled column by column, every row accepted by the row rules and <see cref="Repeat"/> set
    /// (<see cref="Extend"/>): the store then commits it a column at a time, unless a limit is near.
    /// </summary>
    internal bool Columnar { get; set; }

    /// <summary>Empties the batch for the next chunk.</summary>
    internal void Clear()
    {
        Count = 0;
        Columnar = false;
        ChunkLineEnds = 0;
        Bytes = 0;
        Rejects.Clear();
        Beneficiary.Clear();
        ActivityId.Clear();
        SchoolId.Clear();
    }

    /// <summary>Adds a parsed row whose activity and school are still to be resolved.</summary>
    internal void Add(int lineEnds, scoped in RowKeys keys, ushort day, byte flags, byte age, long pre, long post, ulong functioning)
    {
        var i = Count;
        if (i == LineEnds.Length)
        {
            Grow();
        }
        Beneficiary.Add(keys.Beneficiary, keys.KeyHash);
        ActivityId.Add(keys.Activity, keys.ActivityHash);
        SchoolId.Add(keys.School, keys.SchoolHash);
        LineEnds[i] = lineEnds;
        Day[i] = day;
        Flags[i] = flags;
        Age[i] = age;
        Pre[i] = pre;
        Post[i] = post;
        Functioning[i] = functioning;
        Count = i + 1;
    }

    /// <summary>
    /// Counts in <paramref name="rows"/> more rows, their columns to be written in place by a source that decodes and
    /// checks whole batches column by column (<see cref="RowParser.Accepts"/>), their activities and schools resolved:
    /// such a batch is committed without <see cref="RowParser.Resolve"/>, and holds no <see cref="ActivityId"/> or <see cref="SchoolId"/>.
    /// </summary>
    /// <returns>The first of the rows.</returns>
    internal int Extend(int rows)
    {
        var first = Count;
        while (LineEnds.Length < first + rows)
        {
            Grow();
        }
        Count = first + rows;
        return first;
    }

    private void Grow()
    {
        var size = LineEnds.Length * 2;
        Array.Resize(ref LineEnds, size);
        Array.Resize(ref Activity, size);
        Array.Resize(ref School, size);
        Array.Resize(ref Day, size);
        Array.Resize(ref Flags, size);
        Array.Resize(ref Age, size);
        Array.Resize(ref Pre, size);
        Array.Resize(ref Post, size);
        Array.Resize(ref Functioning, size);
        Array.Resize(ref Repeat, size);
    }
}

/// <summary>A row's beneficiary key, activity id and school id (empty: none), each with its <see cref="BeneficiaryHash"/> (0 for no school).</summary>
internal readonly ref struct RowKeys(
    ReadOnlySpan<byte> beneficiary, ulong beneficiaryHash, ReadOnlySpan<byte> activity, ulong activityHash, ReadOnlySpan<byte> school, ulong schoolHash)
{
    internal readonly ReadOnlySpan<byte> Beneficiary = beneficiary;
    internal readonly ulong KeyHash = beneficiaryHash;
    internal readonly ReadOnlySpan<byte> Activity = activity;
    internal readonly ulong ActivityHash = activityHash;
    internal readonly ReadOnlySpan<byte> School = school;
    internal readonly ulong SchoolHash = schoolHash;
}

/// <summary>Variable-length ASCII keys of a batch's rows, back to back, each with its <see cref="BeneficiaryHash"/>.</summary>
internal sealed class KeyColumn(int capacity)
{
    private byte[] _bytes = new byte[capacity * 16];
    private int[] _start = new int[capacity];
    private int[] _end = new int[capacity];
    private ulong[] _hash = new ulong[capacity];
    private int _count;

    /// <summary>The hash of each row's key.</summary>
    internal ReadOnlySpan<ulong> Hashes => _hash.AsSpan(0, _count);

    /// <summary>Row <paramref name="row"/>'s key.</summary>
    internal ReadOnlySpan<byte> this[int row]
    {
        get
        {
            var start = _start[row];
            return _bytes.AsSpan(start, _end[row] - start);
        }
    }

    /// <summary>The hash of row <paramref name="row"/>'s key.</summary>
    internal ulong Hash(int row) => _hash[row];

    /// <summary>Whether every row's key is empty (no row of the batch names a school, as in most files).</summary>
    internal bool AllEmpty => _count == 0 || _end[_count - 1] == 0;

    internal void Clear() => _count = 0;

    /// <summary>Appends the next row's key.</summary>
    internal void Add(ReadOnlySpan<byte> key, ulong hash)
    {
        var i = Next();
        var start = i == 0 ? 0 : _end[i - 1];
        if (start + key.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, start + key.Length));
        }
        key.CopyTo(_bytes.AsSpan(start));
        _start[i] = start;
        _end[i] = start + key.Length;
        _hash[i] = hash;
        _count = i + 1;
    }

    /// <summary>Appends the next row's key as the same key as the row before's, its bytes not copied again; never for a first row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // one call a row of a person's run
    internal void AddRepeat()
    {
        var i = Next();
        _start[i] = _start[i - 1];
        _end[i] = _end[i - 1];
        _hash[i] = _hash[i - 1];
        _count = i + 1;
    }

    /// <summary>The next row's number, with room for it.</summary>
    private int Next()
    {
        var i = _count;
        if (i == _end.Length)
        {
            Array.Resize(ref _start, i * 2);
            Array.Resize(ref _end, i * 2);
            Array.Resize(ref _hash, i * 2);
        }
        return i;
    }
}
