using System.Text.Json;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Aggregation;

/// <summary>The mergeable state of one group of an <see cref="AggregatePartial"/>. Immutable: merging makes a new group.</summary>
internal sealed class PartialGroup
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

    internal double Value(Measure m) => m switch
    {
        Measure.Participations => Participations,
        Measure.UniqueBeneficiaries => Beneficiaries!.Length,
        Measure.ApproximateUniqueBeneficiaries => Estimate(Hll!),
        Measure.Activities => Activities!.Length,
        Measure.Schools => Schools!.Length,
        Measure.Completions => Completions,
        Measure.CompletionRate => MeasureMath.Ratio(Completions, Participations),
        Measure.MeanPreScore => MeasureMath.MeanScore(PreSum, PreN),
        Measure.MeanPostScore => MeasureMath.MeanScore(PostSum, PostN),
        Measure.MeanGain => MeasureMath.MeanScore(GainSum, GainN),
        _ => MeasureMath.Ratio(Improved!.Length, Assessed!.Length),
    };

    private static double Estimate(byte[] registers)
    {
        var nonEmpty = 0;
        UInt128 weight = 0;
        foreach (var rank in registers)
        {
            if (rank != 0)
            {
                nonEmpty++;
                weight += HyperLogLog.Weight(rank);
            }
        }
        return HyperLogLog.Estimate(nonEmpty, weight);
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
        var result = new byte[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = Math.Max(a[i], b[i]);
        }
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
