// Compares our engine, LINQ and DuckDB on Q1-Q6: checks every answer against DuckDB's and prints a markdown table
// of medians and ratios. Usage: node compare.mjs <engine.json> <duckdb.json> [hll-error.json]
import { readFileSync } from 'node:fs';

const [enginePath, duckPath, hllPath] = process.argv.slice(2);
const engine = JSON.parse(readFileSync(enginePath, 'utf8'));
const duck = JSON.parse(readFileSync(duckPath, 'utf8'));
const hll = hllPath ? JSON.parse(readFileSync(hllPath, 'utf8')) : null;

const median = (xs) => {
  if (!xs || xs.length === 0) return NaN;
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const close = (a, b) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));

// Every key in both, every value equal (counts exactly, means to 1e-9).
function same(ours, theirs) {
  const k1 = Object.keys(ours).sort();
  const k2 = Object.keys(theirs).sort();
  if (k1.length !== k2.length) return `${k1.length} rows vs ${k2.length}`;
  for (let i = 0; i < k1.length; i++) {
    if (k1[i] !== k2[i]) return `key ${k1[i]} vs ${k2[i]}`;
    const a = ours[k1[i]];
    const b = theirs[k1[i]];
    for (let j = 0; j < a.length; j++) if (!close(a[j], b[j])) return `${k1[i]}[${j}]: ${a[j]} vs ${b[j]}`;
  }
  return 'ok';
}

// Approximate answers: same groups, and the error of each against the exact count.
function sketchError(answer, exact) {
  let sum = 0, max = 0, n = 0, total = 0, totalExact = 0;
  for (const [k, [e]] of Object.entries(exact)) {
    const a = answer[k]?.[0];
    if (a === undefined) return null;
    const err = Math.abs(a - e) / e;
    sum += err; max = Math.max(max, err); n++; total += a; totalExact += e;
  }
  return { mean: sum / n, max, n, sumError: Math.abs(total - totalExact) / totalExact };
}

const targets = { Q1: [3, 30], Q2: [3, 30], Q3: [10, null], Q4: [3, null], Q5: [10, null], Q6: [10, null] };
const names = {
  Q1: 'participations by province x month',
  Q2: 'participations, completions, mean gain by school x quarter',
  Q3: 'exact unique by district x role x fiscal year',
  Q4: 'approximate unique (HLL) by school',
  Q5: 'geographic rollup, exact unique at every level',
  Q6: 'exact unique by province, teachers in hybrid',
};
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const lines = [];
lines.push(`${engine.records.toLocaleString('en')} records, ${engine.beneficiaries.toLocaleString('en')} beneficiaries; ` +
  `DuckDB ${duck.version} (${duck.threads} threads); ${engine.processors} cores; medians of ${engine.engine.Q1.length} runs ` +
  `(LINQ: ${engine.linq.Q1?.length ?? 0}); load average ${engine.loadAverage} during our run (the machine is shared).`);
lines.push('');
lines.push('| query | ours (ms) | DuckDB (ms) | LINQ (ms) | DuckDB / ours | LINQ / ours | target | CPU ms ours / DuckDB | answers vs DuckDB |');
lines.push('|---|---:|---:|---:|---:|---:|---|---:|---|');
let failures = 0;
for (const q of Object.keys(names)) {
  const ours = median(engine.engine[q]);
  const theirs = median(duck.times[q]);
  const linq = median(engine.linq[q]);
  const vsDuck = theirs / ours;
  const vsLinq = linq / ours;
  const [tDuck, tLinq] = targets[q];
  const met = vsDuck >= tDuck && (tLinq === null || !Number.isFinite(vsLinq) || vsLinq >= tLinq);
  let check;
  if (q === 'Q4') {
    const exact = engine.answers.exactBySchool;
    const e1 = sketchError(engine.answers.engine.Q4, exact);
    const e2 = sketchError(duck.answers.Q4, exact);
    check = e1 && e2
      ? `same ${e1.n} groups; mean error ours ${fmt(100 * e1.mean)}%, DuckDB ${fmt(100 * e2.mean)}%`
      : 'groups differ';
    if (!e1 || !e2) failures++;
  } else {
    check = same(engine.answers.engine[q], duck.answers[q]);
    if (check !== 'ok') failures++;
    check = check === 'ok' ? `identical (${Object.keys(duck.answers[q]).length} rows)` : `DIFFER: ${check}`;
  }
  const target = `≥${tDuck}x DuckDB${tLinq ? `, ≥${tLinq}x LINQ` : ''}: ${met ? 'met' : 'MISSED'}`;
  const cpu = `${fmt(median(engine.engineCpu?.[q]), 1)} / ${fmt(median(duck.cpu?.[q]), 1)}`;
  lines.push(`| ${q} ${names[q]} | ${fmt(ours)} | ${fmt(theirs)} | ${fmt(linq, 0)} | ${fmt(vsDuck, 1)}x | ${fmt(vsLinq, 0)}x | ${target} | ${cpu} | ${check} |`);
}
lines.push('');
lines.push(`Storage: ${engine.bytesPerRecord} B/record in columns (+ ${fmt(engine.dictionaryBytesPerRecord, 1)} B/record of dictionaries). ` +
  `Ingest: CSV ${Math.round(engine.csvRecordsPerSecond).toLocaleString('en')} records/s ` +
  `(${Math.round(engine.csvRecordsPerCpuSecond).toLocaleString('en')} per CPU-second), ` +
  (engine.jsonlRecordsPerSecond > 0
    ? `JSON Lines ${Math.round(engine.jsonlRecordsPerSecond).toLocaleString('en')} records/s ` +
      `(${Math.round(engine.jsonlRecordsPerCpuSecond).toLocaleString('en')} per CPU-second).`
    : 'JSON Lines not measured (no .jsonl generated).') +
  ` First query after load (sort by beneficiary): ${fmt(engine.firstQuerySortMs, 0)} ms.`);
if (hll) {
  lines.push(`HyperLogLog over ${hll.seeds} seeds of ${hll.distinct.toLocaleString('en')} keys: RMS relative error ${fmt(100 * hll.rmsRelativeError)}% ` +
    `(documented ${fmt(100 * hll.documentedRelativeError)}%, bound x2 = ${fmt(200 * hll.documentedRelativeError)}%), ` +
    `max ${fmt(100 * hll.maxAbsRelativeError)}%, ${hll.withinTwiceBound}/${hll.seeds} seeds within twice the bound.`);
}
// DuckDB over the Parquet file our writer wrote: the same answers as ours (Q4 is each engine's own sketch: same groups).
if (duck.answersParquet && Object.keys(duck.answersParquet).length > 0) {
  for (const q of Object.keys(names)) {
    const check = q === 'Q4'
      ? (sketchError(duck.answersParquet.Q4, engine.answers.exactBySchool) ? 'ok' : 'groups differ')
      : same(engine.answers.engine[q], duck.answersParquet[q]);
    if (check !== 'ok') { lines.push(`DuckDB over Parquet ${q} differs: ${check}`); failures++; }
  }
  lines.push('DuckDB over our Parquet file: Q1-Q6 answers identical to ours (Q4: the same groups).');
} else {
  lines.push('DuckDB over Parquet not run (no participations.parquet).');
}
const first = engine.firstAnswerMs ?? {};
const duckFirst = duck.firstAnswer ?? {};
lines.push('');
lines.push('File to first answer (ingest or load, the first query\'s sort, Q1), ms:');
lines.push('');
lines.push('| from | ours | DuckDB | DuckDB / ours |');
lines.push('|---|---|---|---|');
for (const [from, label] of [['csv', 'CSV'], ['parquet', 'Parquet']]) {
  lines.push(`| ${label} | ${fmt(first[from], 0)} | ${fmt(duckFirst[from], 0)} | ${fmt(duckFirst[from] / first[from], 1)}x |`);
}
lines.push('');
lines.push(`Parquet: ${fmt(engine.parquetBytes / engine.csvBytes, 2)} of the CSV's size; ingest ` +
  `${Math.round(engine.parquetRecordsPerSecond ?? 0).toLocaleString('en')} records/s.`);
// LINQ answers must agree too (its Q4 is exact).
for (const q of Object.keys(engine.answers.linq)) {
  const expected = q === 'Q4' ? engine.answers.exactBySchool : engine.answers.engine[q];
  const check = same(expected, engine.answers.linq[q]);
  if (check !== 'ok') { lines.push(`LINQ ${q} differs: ${check}`); failures++; }
}
console.log(lines.join('\n'));
process.exitCode = failures ? 1 : 0;
