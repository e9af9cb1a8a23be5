#!/usr/bin/env node
/*
 * The reference of bench/imports.sh: DuckDB doing the work of
 * `inop import interactions` on the same CSV, on ONE thread -- count per
 * (punto, tipo_tramite, minute) into a table of a database file, then
 * CHECKPOINT so that it is on disk.
 *
 *   node bench/duckdb_import.mjs FILE.csv DB.duckdb
 * prints one JSON line {"seconds", "rows", "groups"}.
 */
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, dbPath] = process.argv.slice(2);
if (!csv || !dbPath) {
  console.error('usage: duckdb_import.mjs FILE.csv DB.duckdb');
  process.exit(2);
}
const t0 = process.hrtime.bigint();
const instance = await DuckDBInstance.create(dbPath, { threads: '1' });
const c = await instance.connect();
const lit = csv.replace(/'/g, "''");
await c.run(`CREATE TABLE minute_counts AS
  SELECT punto, tipo_tramite, date_trunc('minute', fecha_hora) AS minuto, count(*) AS n
  FROM read_csv('${lit}', header = true, timestampformat = '%Y-%m-%d %H:%M:%S')
  GROUP BY ALL`);
await c.run('CHECKPOINT');
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const r = await c.runAndReadAll('SELECT sum(n)::BIGINT, count(*)::BIGINT FROM minute_counts');
const [[rows, groups]] = r.getRows();
console.log(JSON.stringify({ seconds, rows: Number(rows), groups: Number(groups) }));
c.closeSync();
