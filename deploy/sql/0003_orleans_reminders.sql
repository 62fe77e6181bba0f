-- 0003_orleans_reminders.sql
--
-- Orleans reminder table for PostgreSQL (Microsoft.Orleans.Reminders.AdoNet 10.4.x,
-- Invariant "Npgsql"): the reminder table and the seven reminder queries.
-- Requires 0001 (which creates OrleansQuery). Safe to apply repeatedly.
--
-- Written for this project from the provider's parameter/column contract; it is not a copy
-- of the scripts shipped in the Orleans repository.
--
-- Contract notes:
--   * @GrainId is the grain id's string form ("type/key"); @GrainHash, @BeginHash and
--     @EndHash are the uint32 ring hashes cast to int32 (so they may be negative).
--     10.4.x picks ReadRangeRows1Key when (int)begin < (int)end and ReadRangeRows2Key
--     otherwise (wrapping range, or the whole ring when begin = end); both compare as int32.
--   * @Period is milliseconds, sent as int32 or int64; it is read back with GetInt64, so
--     the column is bigint.
--   * The ETag is an integer version: 1 on insert, +1 on every upsert; delete requires it.
--   * StartTime is sent as a UTC timestamptz (Kind=Unspecified is relabelled UTC by the
--     provider; a Kind=Local value makes Npgsql throw).

BEGIN;

SET LOCAL client_min_messages = warning;   -- hide "already exists, skipping" notices

-- Serialise concurrent runs of the Orleans schema files.
DO $lock$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('orleans-schema-migrations')); END $lock$;

DO $check$
BEGIN
    IF to_regclass('orleansquery') IS NULL THEN
        RAISE EXCEPTION 'OrleansQuery table is missing: apply 0001_orleans_clustering.sql first';
    END IF;
END
$check$;

CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id     text        NOT NULL,
    grain_id       text        NOT NULL,
    reminder_name  text        NOT NULL,
    grain_hash     integer     NOT NULL,
    start_time     timestamptz NOT NULL,
    period_ms      bigint      NOT NULL,
    version        integer     NOT NULL DEFAULT 1,
    CONSTRAINT orleans_reminder_pkey PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Range scans by the reminder service (each silo reads its slice of the hash ring).
CREATE INDEX IF NOT EXISTS orleans_reminder_ring_ix
    ON orleans_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- All reminders of one grain.
('ReadReminderRowsKey', $q$
SELECT
    r.grain_id      AS "GrainId",
    r.reminder_name AS "ReminderName",
    r.start_time    AS "StartTime",
    r.period_ms     AS "Period",
    r.version       AS "Version"
FROM orleans_reminder AS r
WHERE r.service_id = @ServiceId
  AND r.grain_id   = @GrainId;
$q$),

-- One reminder of one grain (zero or one row).
('ReadReminderRowKey', $q$
SELECT
    r.grain_id      AS "GrainId",
    r.reminder_name AS "ReminderName",
    r.start_time    AS "StartTime",
    r.period_ms     AS "Period",
    r.version       AS "Version"
FROM orleans_reminder AS r
WHERE r.service_id    = @ServiceId
  AND r.grain_id      = @GrainId
  AND r.reminder_name = @ReminderName;
$q$),

-- Ring slice that does not wrap: (BeginHash, EndHash].
('ReadRangeRows1Key', $q$
SELECT
    r.grain_id      AS "GrainId",
    r.reminder_name AS "ReminderName",
    r.start_time    AS "StartTime",
    r.period_ms     AS "Period",
    r.version       AS "Version"
FROM orleans_reminder AS r
WHERE r.service_id = @ServiceId
  AND r.grain_hash > @BeginHash
  AND r.grain_hash <= @EndHash;
$q$),

-- Ring slice that wraps around (or the full ring): (BeginHash, max] + [min, EndHash].
('ReadRangeRows2Key', $q$
SELECT
    r.grain_id      AS "GrainId",
    r.reminder_name AS "ReminderName",
    r.start_time    AS "StartTime",
    r.period_ms     AS "Period",
    r.version       AS "Version"
FROM orleans_reminder AS r
WHERE r.service_id = @ServiceId
  AND (r.grain_hash > @BeginHash OR r.grain_hash <= @EndHash);
$q$),

-- Insert or replace; returns the new version as the ETag.
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminder AS r
    (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 1)
ON CONFLICT ON CONSTRAINT orleans_reminder_pkey DO UPDATE
SET grain_hash = EXCLUDED.grain_hash,
    start_time = EXCLUDED.start_time,
    period_ms  = EXCLUDED.period_ms,
    version    = r.version + 1
RETURNING r.version AS "Version";
$q$),

-- Deletes one reminder if its ETag still matches; returns TRUE when a row was removed.
('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM orleans_reminder
    WHERE service_id    = @ServiceId
      AND grain_id      = @GrainId
      AND reminder_name = @ReminderName
      AND version       = @Version
    RETURNING 1
)
SELECT count(*) > 0 AS "Deleted" FROM removed;
$q$),

-- Removes every reminder of the service (used by tests / TestOnlyClearTable).
('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminder
WHERE service_id = @ServiceId;
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

COMMIT;
