// DuckDB peer for the aggregation benchmark: loads the same generated CSV (and Parquet), runs Q1-Q6 N times,
// prints medians and writes the answers as JSON for benchmarks/compare.mjs to check against ours.
// Usage: node run.mjs <data-dir> <out.json> [runs] [threads]
import { DuckDBInstance, version } from '@duckdb/node-api';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, out, runsArg, threadsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 21);
const threads = String(threadsArg ?? 2);

const instance = await DuckDBInstance.create(':memory:', { threads });
const con = await instance.connect();
const path = (f) => join(dir, f).replaceAll("'", "''");

// Load and denormalise once, outside the query timings: effective school (the record's own, else the activity's), its
// geography, and a dense integer beneficiary id (our engine also dictionary-encodes at ingest). The load plus the first
// Q1 is "file to first answer", from the CSV and from the Parquet file our writer wrote.
const csvSource = `read_csv('${path('participations.csv')}', header = true, columns = {
  'beneficiary': 'VARCHAR', 'activity': 'VARCHAR', 'date': 'DATE', 'role': 'VARCHAR', 'sex': 'VARCHAR', 'ageBand': 'VARCHAR',
  'mode': 'VARCHAR', 'completed': 'BOOLEAN', 'school': 'VARCHAR', 'preScore': 'DECIMAL(14,4)', 'postScore': 'DECIMAL(14,4)'})`;
const parquetSource = `read_parquet('${path('participations.parquet')}')`;
const loadFrom = async (source) => {
  for (const t of ['f', 'b', 'a', 's', 'p']) await con.run(`DROP TABLE IF EXISTS ${t}`);
  await con.run(`CREATE TABLE p AS SELECT beneficiary, activity, date, role, mode, completed, school, preScore, postScore FROM ${source}`);
  await con.run(`CREATE TABLE s AS SELECT * FROM read_csv('${path('schools.csv')}', header = true, all_varchar = true)`);
  await con.run(`CREATE TABLE a AS SELECT * FROM read_csv('${path('activities.csv')}', header = true, all_varchar = true)`);
  await con.run(`CREATE TABLE b AS SELECT beneficiary, (row_number() OVER ()) - 1 AS ben FROM (SELECT DISTINCT beneficiary FROM p)`);
  await con.run(`CREATE TABLE f AS
    SELECT s.country, s.province, s.district, s.school, p.date, p.role, p.mode, p.completed, b.ben, p.preScore, p.postScore
    FROM p JOIN a USING (activity) JOIN s ON s.school = coalesce(p.school, a.school) JOIN b USING (beneficiary)`);
};
const firstAnswer = {};
const hasParquet = existsSync(join(dir, 'participations.parquet'));
// Each query in its cheapest form (timed), and a wrapper that labels its rows like ours (not timed).
const queries = {
  Q1: [`SELECT province, date_trunc('month', date) AS m, count(*) AS n FROM f GROUP BY ALL`,
    `SELECT province || '|' || strftime(m, '%Y-%m') AS k, [n] AS v FROM q`],
  Q2: [`SELECT school, year(date) AS y, quarter(date) AS qu, count(*) AS n, count(*) FILTER (WHERE completed) AS c,
          avg(postScore - preScore) AS g FROM f GROUP BY ALL`,
    `SELECT school || '|' || y || '-Q' || qu AS k, [n, c, g] AS v FROM q`],
  Q3: [`SELECT district, role, year(date - INTERVAL 6 MONTH) AS fy, count(DISTINCT ben) AS u FROM f GROUP BY ALL`,
    `SELECT district || '|' || role || '|FY' || fy || '-' || lpad(((fy + 1) % 100)::VARCHAR, 2, '0') AS k, [u] AS v FROM q`],
  Q4: [`SELECT school, approx_count_distinct(ben) AS u FROM f GROUP BY school`,
    `SELECT school AS k, [u] AS v FROM q`],
  Q5: [`SELECT country, province, district, school, count(DISTINCT ben) AS u FROM f GROUP BY ROLLUP (country, province, district, school)`,
    `SELECT coalesce(country, '*') || '|' || coalesce(province, '*') || '|' || coalesce(district, '*') || '|' || coalesce(school, '*') AS k, [u] AS v FROM q`],
  Q6: [`SELECT province, count(DISTINCT ben) AS u FROM f WHERE role = 'teacher' AND mode = 'hybrid' GROUP BY province`,
    `SELECT province AS k, [u] AS v FROM q`],
};

// File to first answer (load + Q1), from Parquet first (its answers checked below), then from CSV, which the timings use.
const answersParquet = {};
if (hasParquet) {
  const start = performance.now();
  await loadFrom(parquetSource);
  await con.runAndReadAll(queries.Q1[0]);
  firstAnswer.parquet = performance.now() - start;
  for (const [name, [sql, label]] of Object.entries(queries)) {
    const labelled = (await con.runAndReadAll(`WITH q AS (${sql}) ${label}`)).getRows();
    answersParquet[name] = Object.fromEntries(labelled.map(([k, v]) => [k, v.items.map((x) => (x === null ? null : Number(x)))]));
  }
}
const load = performance.now();
await loadFrom(csvSource);
await con.runAndReadAll(queries.Q1[0]);
firstAnswer.csv = performance.now() - load;
const rows = (await con.runAndReadAll('SELECT count(*) FROM f')).getRows()[0][0];
console.error(`duckdb ${version()}: loaded ${rows} records and answered Q1 in ${(firstAnswer.csv / 1000).toFixed(1)} s from CSV` +
  (hasParquet ? `, ${(firstAnswer.parquet / 1000).toFixed(1)} s from Parquet` : '') + `, threads=${threads}`);

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const times = {};
const cpu = {};
const answers = {};
for (const [name, [sql, label]] of Object.entries(queries)) {
  for (let w = 0; w < 3; w++) await con.runAndReadAll(sql);
  const t = [];
  const c = [];
  for (let r = 0; r < runs; r++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const reader = await con.runAndReadAll(sql); // every chunk of the result is read
    t.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    c.push((used.user + used.system) / 1000);
    if (reader.currentRowCount < 0) throw new Error('unreachable');
  }
  times[name] = t;
  cpu[name] = c;
  const labelled = (await con.runAndReadAll(`WITH q AS (${sql}) ${label}`)).getRows();
  const answer = {};
  for (const [k, v] of labelled) answer[k] = v.items.map((x) => (x === null ? null : Number(x)));
  answers[name] = answer;
  console.error(`duckdb ${name}: median ${median(t).toFixed(2)} ms (cpu ${median(c).toFixed(2)} ms), ${labelled.length} rows`);
}
writeFileSync(out, JSON.stringify({ version: version(), threads: Number(threads), records: Number(rows), times, cpu, answers, answersParquet, firstAnswer }));
