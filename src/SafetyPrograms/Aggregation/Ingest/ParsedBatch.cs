namespace SafetyPrograms.Aggregation.Ingest;

/// <summary>
/// Rows parsed and checked against the dataset but not yet in the store: what a worker makes of one chunk, in
/// columns. Only the store's shared dictionaries (beneficiaries, contexts, scores) are left for
/// <see cref="ParticipationStore.Commit"/>, which takes batches one at a time in file order.
/// </summary>
internal sealed class ParsedBatch
{
    private const int InitialCapacity = 4096;

    internal int[] LineEnds = new int[InitialCapacity];
    internal ulong[] Hash = new ulong[InitialCapacity];
    internal int[] KeyEnd = new int[InitialCapacity];
    internal int[] Activity = new int[InitialCapacity];
    internal int[] School = new int[InitialCapacity];
    internal ushort[] Day = new ushort[InitialCapacity];
    internal byte[] Flags = new byte[InitialCapacity];
    internal byte[] Age = new byte[InitialCapacity];
    internal long[] Pre = new long[InitialCapacity];
    internal long[] Post = new long[InitialCapacity];
    internal byte[] Keys = new byte[InitialCapacity * 16];

    /// <summary>Refused rows: line ends before the row, and why.</summary>
    internal readonly List<(int LineEnds, ParticipationStore.RowError Error)> Rejects = [];

    /// <summary>The parser of the worker that fills this batch (its scratch buffers travel with the batch).</summary>
    internal RowParser? Parser;

    /// <summary>The rows held.</summary>
    internal int Count { get; private set; }

    /// <summary>Line ends in the whole chunk: where the next chunk's lines start.</summary>
    internal int ChunkLineEnds { get; set; }

    /// <summary>The bytes of row <paramref name="row"/>'s beneficiary key.</summary>
    internal ReadOnlySpan<byte> Key(int row)
    {
        var start = row == 0 ? 0 : KeyEnd[row - 1];
        return Keys.AsSpan(start, KeyEnd[row] - start);
    }

    /// <summary>Empties the batch for the next chunk.</summary>
    internal void Clear()
    {
        Count = 0;
        ChunkLineEnds = 0;
        Rejects.Clear();
    }

    /// <summary>Adds a row that passed every check a worker can make.</summary>
    internal void Add(
        int lineEnds, ReadOnlySpan<char> key, ulong hash, int activity, int school, ushort day, byte flags, byte age, long pre, long post)
    {
        var i = Count;
        if (i == LineEnds.Length)
        {
            Grow();
        }
        var start = i == 0 ? 0 : KeyEnd[i - 1];
        if (start + key.Length > Keys.Length)
        {
            Array.Resize(ref Keys, Math.Max(Keys.Length * 2, start + key.Length));
        }
        var destination = Keys.AsSpan(start, key.Length);
        for (var c = 0; c < key.Length; c++)
        {
            destination[c] = (byte)key[c]; // keys are ASCII, checked by the caller
        }
        KeyEnd[i] = start + key.Length;
        LineEnds[i] = lineEnds;
        Hash[i] = hash;
        Activity[i] = activity;
        School[i] = school;
        Day[i] = day;
        Flags[i] = flags;
        Age[i] = age;
        Pre[i] = pre;
        Post[i] = post;
        Count = i + 1;
    }

    private void Grow()
    {
        var size = LineEnds.Length * 2;
        Array.Resize(ref LineEnds, size);
        Array.Resize(ref Hash, size);
        Array.Resize(ref KeyEnd, size);
        Array.Resize(ref Activity, size);
        Array.Resize(ref School, size);
        Array.Resize(ref Day, size);
        Array.Resize(ref Flags, size);
        Array.Resize(ref Age, size);
        Array.Resize(ref Pre, size);
        Array.Resize(ref Post, size);
    }
}
