-- 0002_orleans_persistence.sql
--
-- Orleans grain state storage for PostgreSQL (Microsoft.Orleans.Persistence.AdoNet 10.4.x,
-- Invariant "Npgsql"): the state table, its write function and the four storage queries.
-- Requires 0001 (which creates OrleansQuery). Safe to apply repeatedly.
--
-- Written for this project from the provider's parameter/column contract; it is not a copy
-- of the scripts shipped in the Orleans repository.
--
-- Contract notes:
--   * A grain is identified by (@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
--     @GrainIdExtensionString). N0/N1 hold a Guid or integer key (both 0 for string keys);
--     the extension holds the key extension or the whole string key, and is NULL otherwise.
--     @GrainIdHash / @GrainTypeHash are int32 hashes computed by the provider and are only
--     used to narrow index look-ups.
--   * The ETag is an integer version. A row is created with version 1; every write or clear
--     that matches @GrainStateVersion adds one. A write/clear whose version does not match
--     returns no version (NULL or no row), which the provider turns into an
--     InconsistentStateException.
--   * A cleared state keeps its row with PayloadBinary = NULL and a bumped version (the
--     default, DeleteStateOnClear = false). DeleteStorageKey, used when DeleteStateOnClear is
--     true, removes the row and returns version + 1.

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

CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id          text        NOT NULL,
    grain_type_hash     integer     NOT NULL,
    grain_type          text        NOT NULL,
    grain_id_hash       integer     NOT NULL,
    grain_id_n0         bigint      NOT NULL,
    grain_id_n1         bigint      NOT NULL,
    grain_id_extension  text        NULL,
    payload_binary      bytea       NULL,
    version             integer     NOT NULL,
    modified_at         timestamptz NOT NULL DEFAULT now()
);

-- One row per grain. The long strings go through md5() to keep index entries small, and
-- NULLS NOT DISTINCT (PostgreSQL 15+) makes a NULL extension count as a value, so two
-- concurrent first writes of the same grain cannot both insert.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_identity_uq
    ON orleans_grain_state
       (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1,
        service_id, md5(grain_type), md5(grain_id_extension))
    NULLS NOT DISTINCT;

-- Inserts (expected version NULL) or updates (expected version given) one grain's state.
-- Returns the new version, or NULL when the expected version does not match storage.
CREATE OR REPLACE FUNCTION orleans_grain_state_write(
    p_service_id         text,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_id_extension text,
    p_expected_version   integer,
    p_payload_binary     bytea)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_new integer;
BEGIN
    IF p_expected_version IS NULL THEN
        -- First write of this grain: only succeeds if no row exists yet.
        INSERT INTO orleans_grain_state
            (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0,
             grain_id_n1, grain_id_extension, payload_binary, version, modified_at)
        VALUES
            (p_service_id, p_grain_type_hash, p_grain_type, p_grain_id_hash, p_grain_id_n0,
             p_grain_id_n1, p_grain_id_extension, p_payload_binary, 1, now())
        ON CONFLICT DO NOTHING
        RETURNING version INTO v_new;
    ELSE
        UPDATE orleans_grain_state AS s
        SET payload_binary = p_payload_binary,
            version        = s.version + 1,
            modified_at    = now()
        WHERE s.grain_id_hash   = p_grain_id_hash
          AND s.grain_type_hash = p_grain_type_hash
          AND s.grain_id_n0     = p_grain_id_n0
          AND s.grain_id_n1     = p_grain_id_n1
          AND s.service_id      = p_service_id
          AND s.grain_type      = p_grain_type
          AND s.grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
          AND s.version         = p_expected_version
        RETURNING s.version INTO v_new;
    END IF;

    RETURN v_new;   -- NULL when nothing was written
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

('ReadFromStorageKey', $q$
SELECT
    s.payload_binary AS "PayloadBinary",
    s.version        AS "Version"
FROM orleans_grain_state AS s
WHERE s.grain_id_hash   = @GrainIdHash
  AND s.grain_type_hash = @GrainTypeHash
  AND s.grain_id_n0     = @GrainIdN0
  AND s.grain_id_n1     = @GrainIdN1
  AND s.service_id      = @ServiceId
  AND s.grain_type      = @GrainTypeString
  AND s.grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),

('WriteToStorageKey', $q$
SELECT orleans_grain_state_write(
    @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
    @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
    @GrainStateVersion, @PayloadBinary) AS "NewGrainStateVersion";
$q$),

-- Clear keeps the row (payload NULL) and returns the bumped version as the new ETag.
('ClearStorageKey', $q$
UPDATE orleans_grain_state AS s
SET payload_binary = NULL,
    version        = s.version + 1,
    modified_at    = now()
WHERE s.grain_id_hash   = @GrainIdHash
  AND s.grain_type_hash = @GrainTypeHash
  AND s.grain_id_n0     = @GrainIdN0
  AND s.grain_id_n1     = @GrainIdN1
  AND s.service_id      = @ServiceId
  AND s.grain_type      = @GrainTypeString
  AND s.grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
  AND s.version         = @GrainStateVersion
RETURNING s.version AS "NewGrainStateVersion";
$q$),

-- Delete-on-clear: removes the row; returns version + 1 so the provider sees a change.
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state AS s
WHERE s.grain_id_hash   = @GrainIdHash
  AND s.grain_type_hash = @GrainTypeHash
  AND s.grain_id_n0     = @GrainIdN0
  AND s.grain_id_n1     = @GrainIdN1
  AND s.service_id      = @ServiceId
  AND s.grain_type      = @GrainTypeString
  AND s.grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
  AND s.version         = @GrainStateVersion
RETURNING s.version + 1 AS "NewGrainStateVersion";
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

COMMIT;
