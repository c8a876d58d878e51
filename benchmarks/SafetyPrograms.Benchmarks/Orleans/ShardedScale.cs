using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Benchmarks.Aggregation;
using SafetyPrograms.Indexing;

namespace SafetyPrograms.Benchmarks.Orleans;

/// <summary>
/// The sharded figures in one command: <c>sharded --records N [BenchmarkDotNet options such as --job short]</c> (or
/// <c>SP_SHARDED_RECORDS=N</c>; default 1,000,000) prints,
/// for Q3 and Q5, the bytes the shards' partials take as JSON (shard partials, counts only, against key-set partials,
/// which carry keys), then runs <see cref="ShardedQueryBenchmarks"/> at N records: each question on three in-process
/// silos against one store, the ratio being the fan-out and merge overhead.
/// </summary>
internal static class ShardedScale
{
    internal const string RecordsVariable = "SP_SHARDED_RECORDS";

    internal const int Seed = 42;

    internal const int Shards = 12;

    /// <summary>The questions whose partials are sized: Q3 (exact unique by district × role × fiscal year) and Q5 (the geographic rollup).</summary>
    private static readonly int[] Sized = [2, 4];

    internal static int Run(string[] args)
    {
        var records = int.Parse(Environment.GetEnvironmentVariable(RecordsVariable) ?? "1000000", CultureInfo.InvariantCulture);
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--records" && i + 1 < args.Length)
            {
                records = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        // The benchmark processes BenchmarkDotNet starts inherit the count.
        Environment.SetEnvironmentVariable(RecordsVariable, records.ToString(CultureInfo.InvariantCulture));
        PrintPartialSizes(records);
        // The generated benchmark project builds the Orleans code generator's output too: more than the default two minutes on a busy machine.
        var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
        var summary = BenchmarkRunner.Run<ShardedQueryBenchmarks>(config, [.. rest]);
        return summary.Reports.Length > 0 && summary.Reports.All(r => r.Success) ? 0 : 1;
    }

    /// <summary>
    /// The seeded records routed to <see cref="Shards"/> stores by beneficiary-key hash, as the cluster routes them; per
    /// question, the sum over the shards of each kind of partial's JSON bytes (what the shards would send), and the largest.
    /// </summary>
    private static void PrintPartialSizes(int records)
    {
        var generator = new ProgrammeGenerator(Seed, records);
        var ranges = ShardRange.Split(Shards);
        var stores = Route(generator, ranges);
        Print($"partials of {records:N0} records in {Shards} shards (JSON bytes, summed over the shards; the largest shard's in brackets)");
        foreach (var q in Sized)
        {
            long shardBytes = 0, keySetBytes = 0, shardMax = 0, keySetMax = 0;
            for (var s = 0; s < Shards; s++)
            {
                var query = BenchmarkQueries.Build(stores[s].Query(), q);
                var shard = Encoding.UTF8.GetByteCount(query.RunShardPartial(ranges[s]).ToJson());
                var keySet = Encoding.UTF8.GetByteCount(query.RunPartial().ToJson());
                (shardBytes, keySetBytes) = (shardBytes + shard, keySetBytes + keySet);
                (shardMax, keySetMax) = (Math.Max(shardMax, shard), Math.Max(keySetMax, keySet));
            }
            Print($"{BenchmarkQueries.Names[q]} ({BenchmarkQueries.Descriptions[q]}): shard partials {shardBytes:N0} B ({shardMax:N0}), key-set partials {keySetBytes:N0} B ({keySetMax:N0}), key-set / shard {(double)keySetBytes / shardBytes:F1}");
        }
    }

    /// <summary>The seeded records routed to one store per range by beneficiary-key hash, as the cluster routes them.</summary>
    internal static ParticipationStore[] Route(ProgrammeGenerator generator, IReadOnlyList<ShardRange> ranges)
    {
        var stores = ranges.Select(_ => new ParticipationStore(generator.Dataset)).ToArray();
        foreach (var chunk in generator.ParticipationRecords().Chunk(1_000_000))
        {
            foreach (var shard in chunk.GroupBy(r => ShardOf(ranges, r.Beneficiary.Value)))
            {
                stores[shard.Key].Append(shard);
            }
        }
        return stores;
    }

    private static int ShardOf(IReadOnlyList<ShardRange> ranges, string key)
    {
        var hash = BeneficiaryHash.Of(key);
        for (var s = 0; ; s++)
        {
            if (ranges[s].ContainsHash(hash))
            {
                return s;
            }
        }
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
