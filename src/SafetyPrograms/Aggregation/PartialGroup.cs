using System.Text.Json;
using SafetyPrograms.Serialization;

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

    /// <summary>The 2^14 HyperLogLog registers (rank per register, 0 = empty), or null.</summary>
    internal byte[]? Hll { get; init; }

    internal static PartialGroup Merge(PartialGroup a, PartialGroup b) => new()
    {
        Keys = a.Keys,
        Participations = a.Participations + b.Participations,
        Completions = a.Completions + b.Completions,
        PreSum = a.PreSum + b.PreSum,
        PreN = a.PreN + b.PreN,
        PostSum = a.PostSum + b.PostSum,
        PostN = a.PostN + b.PostN,
        GainSum = a.GainSum + b.GainSum,
        GainN = a.GainN + b.GainN,
        Beneficiaries = Union(a.Beneficiaries, b.Beneficiaries),
        Assessed = Union(a.Assessed, b.Assessed),
        Improved = Union(a.Improved, b.Improved),
        Activities = Union(a.Activities, b.Activities),
        Schools = Union(a.Schools, b.Schools),
        Hll = Max(a.Hll, b.Hll),
    };

    /// <summary>A group with the additive cells of slot <paramref name="slot"/> of the engine's state, which keeps every sum.</summary>
    internal static PartialGroup FromCells(string[] keys, GroupState g, int slot)
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

    private static byte[]? Max(byte[]? a, byte[]? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }
        var result = (byte[])a.Clone();
        HyperLogLog.MaxInto(result, b);
        return result;
    }

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartArray("key");
        foreach (var k in Keys)
        {
            w.WriteStringValue(k);
        }
        w.WriteEndArray();
        w.WriteNumber("participations", Participations);
        w.WriteNumber("completions", Completions);
        w.WriteNumber("preScoreSum", PreSum);
        w.WriteNumber("preScoreCount", PreN);
        w.WriteNumber("postScoreSum", PostSum);
        w.WriteNumber("postScoreCount", PostN);
        w.WriteNumber("gainSum", GainSum);
        w.WriteNumber("gainCount", GainN);
        WriteSet(w, "beneficiaries", Beneficiaries);
        WriteSet(w, "assessed", Assessed);
        WriteSet(w, "improved", Improved);
        WriteSet(w, "activities", Activities);
        WriteSet(w, "schools", Schools);
        if (Hll is { } hll)
        {
            w.WriteStartArray("hll");
            for (var r = 0; r < hll.Length; r++)
            {
                if (hll[r] != 0)
                {
                    w.WriteNumberValue((r * 64) + hll[r]);
                }
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteSet(Utf8JsonWriter w, string name, string[]? set)
    {
        if (set is null)
        {
            return;
        }
        w.WriteStartArray(name);
        foreach (var s in set)
        {
            w.WriteStringValue(s);
        }
        w.WriteEndArray();
    }

    internal static PartialGroup Read(JsonElement e, string path, int termCount)
    {
        var keys = AggregatePartial.Req(e, "key", path).EnumerateArray().Select(k => k.GetString() ?? string.Empty).ToArray();
        if (keys.Length != termCount)
        {
            throw new DataFormatException($"The key has {keys.Length} labels; the grouping has {termCount} terms.", null, path + ".key", null, null);
        }
        byte[]? hll = null;
        if (e.TryGetProperty("hll", out var h))
        {
            hll = new byte[HyperLogLog.RegisterCount];
            var i = 0;
            foreach (var v in h.EnumerateArray())
            {
                var packed = v.GetInt32();
                var register = packed / 64;
                var rank = packed % 64;
                if (register is < 0 or >= HyperLogLog.RegisterCount || rank is < 1 or > 51)
                {
                    throw new DataFormatException("A HyperLogLog entry is out of range.", null, $"{path}.hll[{i}]", null, null);
                }
                hll[register] = (byte)rank;
                i++;
            }
        }
        return new PartialGroup
        {
            Keys = keys,
            Participations = Num(e, "participations", path),
            Completions = Num(e, "completions", path),
            PreSum = Num(e, "preScoreSum", path),
            PreN = Num(e, "preScoreCount", path),
            PostSum = Num(e, "postScoreSum", path),
            PostN = Num(e, "postScoreCount", path),
            GainSum = Num(e, "gainSum", path),
            GainN = Num(e, "gainCount", path),
            Beneficiaries = Set(e, "beneficiaries"),
            Assessed = Set(e, "assessed"),
            Improved = Set(e, "improved"),
            Activities = Set(e, "activities"),
            Schools = Set(e, "schools"),
            Hll = hll,
        };
    }

    private static long Num(JsonElement e, string name, string path) => AggregatePartial.Req(e, name, path).GetInt64();

    private static string[]? Set(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }
        var items = v.EnumerateArray().Select(x => x.GetString() ?? string.Empty).Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(items, StringComparer.Ordinal);
        return items;
    }
}
