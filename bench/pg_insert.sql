-- pgbench script of bench/pg.sh: one event-shaped row per transaction,
--   pgbench -n -M prepared -f bench/pg_insert.sql -c C -j T -T D \
--           -D n=0 -D nclients=C -D points=P  (database bench_ref,
--           tables from src/store/sql/pg/*.sql, events emptied before each run)
-- The INSERT is the server's own (src/store/events.c): same columns, same
-- ON CONFLICT clause of rule R3, RETURNING id.  Client k sends combination
-- c = k, k + C, k + 2C, ... = point (c % P) + 1 x procedure c / P, so no
-- (point, procedure) pair is registered twice, as in the wrk POST runs; a
-- client that ran past 4 x P combinations would fail on procedure NULL.
\set c :client_id + :n * :nclients
\set n :n + 1
\set p :c % :points + 1
\set k :c / :points + 1
BEGIN;
INSERT INTO events (number, point_id, procedure, requests, applications,
  scenario, cause, mass_failure_id, started_at, status, origin,
  manual_form_ref, description, registered_at, registered_by, reportable)
VALUES ('INOP-2026-' || :c, :p,
  (ARRAY['RECLAMOS', 'ALTAS', 'BAJAS', 'CONSULTAS'])[:k],
  (ARRAY['RECLAMO', 'CONTRATACION', 'BAJA_SERVICIO', 'MIGRACION_PLAN'])[:k],
  'SIAC_UNICO', 'EVENTO_NO_PREVISTO', 'CORTE_LUZ', NULL,
  extract(epoch FROM now())::bigint - 120, 'OPEN', 'SISTEMA',
  NULL, NULL, extract(epoch FROM now())::bigint, 1, 1)
ON CONFLICT (point_id, procedure) WHERE status = 'OPEN'
DO NOTHING RETURNING id;
COMMIT;
