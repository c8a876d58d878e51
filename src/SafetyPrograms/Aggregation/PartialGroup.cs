namespace SafetyPrograms.Aggregation;

/// <summary>
/// The mergeable state of one group of an <see cref="AggregatePartial"/>: the engine's additive cells of the group, and
/// its members where the engine keeps only counts. Immutable: merging makes a new group.
/// </summary>
internal sealed record PartialGroup
{
    internal string[] Keys { get; init; } = [];
    internal long Participations { get; init; }
    internal long Completions { get; init; }
    internal long PreSum { get; init; }
    internal long PreN { get; init; }
    internal long PostSum { get; init; }
    internal long PostN { get; init; }
    internal long GainSum { get; init; }
    internal long GainN { get; init; }

    /// <summary>Sorted (ordinal) beneficiary keys, or null when no measure needs them.</summary>
    internal string[]? Beneficiaries { get; init; }
    internal string[]? Assessed { get; init; }
    internal string[]? Improved { get; init; }
    internal string[]? Activities { get; init; }
    internal string[]? Schools { get; init; }

    /// <summary>The 2^14 HyperLogLog registers, sparse or dense, or null.</summary>
    internal HllRegisters? Hll { get; init; }

    /// <summary>The group's distinct people as counts, in a shard partial (which carries no keys); zero in a key-set partial.</summary>
    internal PersonCounts People { get; init; }

    internal static PartialGroup Merge(PartialGroup a, PartialGroup b) => Merge([a, b]);

    /// <summary>
    /// Groups of one key merged at once into one new group: sums and counts added, sets united, registers maximised
    /// (<see cref="HllRegisters.Max"/>).
    /// </summary>
    internal static PartialGroup Merge(IReadOnlyList<PartialGroup> groups)
    {
        var first = groups[0];
        if (groups.Count == 1)
        {
            return first;
        }
        Span<long> sums = stackalloc long[SumCount];
        var people = default(PersonCounts);
        var (beneficiaries, assessed, improved, activities, schools) = (first.Beneficiaries, first.Assessed, first.Improved, first.Activities, first.Schools);
        for (var i = 0; i < groups.Count; i++)
        {
            var b = groups[i];
            b.AddSumsTo(sums);
            people += b.People;
            if (i > 0)
            {
                beneficiaries = Union(beneficiaries, b.Beneficiaries);
                assessed = Union(assessed, b.Assessed);
                improved = Union(improved, b.Improved);
                activities = Union(activities, b.Activities);
                schools = Union(schools, b.Schools);
            }
        }
        return OfSums(first.Keys, sums, people, activities, schools, Max(groups), (beneficiaries, assessed, improved));
    }

    /// <summary>The number of sums a group carries (<see cref="OfSums"/>).</summary>
    internal const int SumCount = 8;

    /// <summary>
    /// A group with its keys, its sums in the order the wire and the documents list them (participations, completions,
    /// pre-score sum and count, post-score sum and count, gain sum and count), and its members and counts (a key-set
    /// partial's beneficiary keys: all, assessed, improved).
    /// </summary>
    internal static PartialGroup OfSums(
        string[] keys,
        ReadOnlySpan<long> sums,
        PersonCounts people = default,
        string[]? activities = null,
        string[]? schools = null,
        HllRegisters? hll = null,
        (string[]? All, string[]? Assessed, string[]? Improved) beneficiaries = default) => new()
    {
        Keys = keys,
        Participations = sums[0],
        Completions = sums[1],
        PreSum = sums[2],
        PreN = sums[3],
        PostSum = sums[4],
        PostN = sums[5],
        GainSum = sums[6],
        GainN = sums[7],
        People = people,
        Activities = activities,
        Schools = schools,
        Hll = hll,
        Beneficiaries = beneficiaries.All,
        Assessed = beneficiaries.Assessed,
        Improved = beneficiaries.Improved,
    };

    /// <summary>Adds this group's sums to <paramref name="sums"/>, in <see cref="OfSums"/>'s order.</summary>
    private void AddSumsTo(Span<long> sums)
    {
        sums[0] += Participations;
        sums[1] += Completions;
        sums[2] += PreSum;
        sums[3] += PreN;
        sums[4] += PostSum;
        sums[5] += PostN;
        sums[6] += GainSum;
        sums[7] += GainN;
    }

    /// <summary>
    /// A group with the additive cells of slot <paramref name="slot"/> of the engine's state, which keeps every sum, and
    /// the members and counts given: one object, as partials are built group by group.
    /// </summary>
    internal static PartialGroup FromCells(
        string[] keys,
        GroupState g,
        int slot,
        string[]? activities = null,
        string[]? schools = null,
        HllRegisters? hll = null,
        PersonCounts people = default)
    {
        var cells = g.Cells.AsSpan(slot * g.Width, g.Width);
        return new()
        {
            Keys = keys,
            Participations = cells[0],
            Completions = cells[g.CompletedAt],
            PreSum = cells[g.PreAt],
            PreN = cells[g.PreAt + 1],
            PostSum = cells[g.PostAt],
            PostN = cells[g.PostAt + 1],
            GainSum = cells[g.GainAt],
            GainN = cells[g.GainAt + 1],
            Activities = activities,
            Schools = schools,
            Hll = hll,
            People = people,
        };
    }

    /// <summary>Writes this group's sums into slot <paramref name="slot"/> of the engine's state, into the cells it has.</summary>
    internal void CopyCells(GroupState g, int slot)
    {
        var cells = g.Cells.AsSpan(slot * g.Width, g.Width);
        cells[0] = Participations;
        if (g.CompletedAt != GroupState.Absent)
        {
            cells[g.CompletedAt] = Completions;
        }
        if (g.PreAt != GroupState.Absent)
        {
            (cells[g.PreAt], cells[g.PreAt + 1]) = (PreSum, PreN);
        }
        if (g.PostAt != GroupState.Absent)
        {
            (cells[g.PostAt], cells[g.PostAt + 1]) = (PostSum, PostN);
        }
        if (g.GainAt != GroupState.Absent)
        {
            (cells[g.GainAt], cells[g.GainAt + 1]) = (GainSum, GainN);
        }
    }

    private static string[]? Union(string[]? a, string[]? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }
        var result = new List<string>(a.Length + b.Length);
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var c = i == a.Length ? 1 : j == b.Length ? -1 : string.CompareOrdinal(a[i], b[j]);
            if (c <= 0)
            {
                result.Add(a[i++]);
                j += c == 0 ? 1 : 0;
            }
            else
            {
                result.Add(b[j++]);
            }
        }
        return [.. result];
    }

    private static HllRegisters? Max(IReadOnlyList<PartialGroup> groups)
    {
        List<HllRegisters>? sets = null;
        foreach (var g in groups)
        {
            if (g.Hll is { } hll)
            {
                (sets ??= new(groups.Count)).Add(hll);
            }
        }
        return sets is null ? null : HllRegisters.Max(sets);
    }
}

/// <summary>
/// The distinct people of one group as counts (unique beneficiaries; those assessed before and after; those improved).
/// Counts of shards that own disjoint beneficiaries add: this is all a shard partial says about people.
/// </summary>
internal readonly record struct PersonCounts(int Unique, int Assessed, int Improved)
{
    public static PersonCounts operator +(PersonCounts a, PersonCounts b) =>
        new(checked(a.Unique + b.Unique), checked(a.Assessed + b.Assessed), checked(a.Improved + b.Improved));

    /// <summary>The counts of shards owning disjoint beneficiaries, added.</summary>
    internal static PersonCounts Sum(IReadOnlyList<PersonCounts> counts)
    {
        var sum = default(PersonCounts);
        foreach (var c in counts)
        {
            sum += c;
        }
        return sum;
    }

    /// <summary>The counts the engine's pass left in slot <paramref name="slot"/> of a level (zero where not asked for).</summary>
    internal static PersonCounts Of(LevelState level, int slot) => new(
        level.Unique is null ? 0 : level.UniqueCount(slot),
        level.Improved is null ? 0 : level.AssessedCount(slot),
        level.Improved is null ? 0 : level.ImprovedCount(slot));

    /// <summary>Puts the counts where the engine's result builder reads them, in the (last seen, count) pairs of a level.</summary>
    internal void WriteTo(LevelState level, int slot)
    {
        if (level.Unique is { } unique)
        {
            unique[(2 * slot) + 1] = Unique;
        }
        if (level.Improved is { } improved)
        {
            (improved[(4 * slot) + 1], improved[(4 * slot) + 3]) = (Assessed, Improved);
        }
    }
}
