using BenchmarkDotNet.Running;
using SafetyPrograms.Benchmarks.Aggregation;
using SafetyPrograms.Benchmarks.Orleans;

// Verbs for the side-by-side comparison (benchmarks/compare.sh): generate, run, ingest, query, scale, hll-error, convert, parquet. Anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] is "generate" or "run" or "ingest" or "query" or "scale" or "hll-error" or "convert" or "parquet")
{
    return SideBySide.Execute(args[0], args[1..]);
}
// The sharded figures: partial sizes, then the three silos against one store (Orleans/ShardedScale.cs).
if (args.Length > 0 && args[0] == "sharded")
{
    return ShardedScale.Run(args[1..]);
}
// Where a sharded query's time goes, phase by phase (Orleans/ShardedPhases.cs).
if (args.Length > 0 && args[0] == "sharded-phases")
{
    return await ShardedPhases.Run(args[1..]);
}
// The main job's exports, each format timed apart from the recount and audit (Exchange/ExportTiming.cs).
if (args.Length > 0 && args[0] == "export")
{
    return SafetyPrograms.Benchmarks.Exchange.ExportTiming.Run(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
