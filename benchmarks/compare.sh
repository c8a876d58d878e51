#!/usr/bin/env bash
# Side-by-side comparison of our aggregation engine, LINQ and DuckDB on the same seeded data.
# Usage: benchmarks/compare.sh [records=1000000] [runs=21] [linq-runs=3]
# Generates the data once (into $DATA_DIR, default /tmp/safetyprograms-bench/<records>), runs each peer with the
# data loaded before timing, checks every answer against DuckDB's (DuckDB's over the CSV and over the Parquet file our
# writer wrote) and prints a markdown table of medians and ratios, then file to first answer from CSV and from Parquet.
set -euo pipefail
records="${1:-1000000}"
runs="${2:-21}"
linq_runs="${3:-3}"
here="$(cd "$(dirname "$0")" && pwd)"
data="${DATA_DIR:-/tmp/safetyprograms-bench/$records}"
mkdir -p "$data"

dotnet build "$here/SafetyPrograms.Benchmarks" -c Release -v quiet -nologo > /dev/null
bench=(dotnet "$here/SafetyPrograms.Benchmarks/bin/Release/net10.0/SafetyPrograms.Benchmarks.dll")

if [[ ! -f "$data/participations.csv" || ! -f "$data/participations.parquet" ]]; then
  "${bench[@]}" generate --records "$records" --seed 42 --out "$data" --jsonl
fi
if [[ ! -d "$here/duckdb/node_modules" ]]; then
  # npm install, not npm ci: the registry copy here lacks the other platforms' optional DuckDB bindings, which the lock
  # file then cannot list in full and npm ci refuses; npm install still takes the pinned versions from the lock file.
  (cd "$here/duckdb" && npm install --no-audit --no-fund > /dev/null)
fi

"${bench[@]}" run --records "$records" --seed 42 --data "$data" --out "$data/engine.json" --runs "$runs" --linq-runs "$linq_runs"
node "$here/duckdb/run.mjs" "$data" "$data/duckdb.json" "$runs" 2
"${bench[@]}" hll-error --seeds 100 --distinct 100000 > "$data/hll-error.json"
node "$here/compare.mjs" "$data/engine.json" "$data/duckdb.json" "$data/hll-error.json"
