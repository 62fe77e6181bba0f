-- 0001_orleans_clustering.sql
--
-- Orleans cluster membership for PostgreSQL (Microsoft.Orleans.Clustering.AdoNet 10.4.x,
-- Invariant "Npgsql"). Creates the OrleansQuery catalogue that every Orleans ADO.NET
-- provider reads at start-up, the membership tables, and registers the membership queries.
--
-- Written for this project from the provider's parameter/column contract; it is not a copy
-- of the scripts shipped in the Orleans repository. Safe to apply repeatedly:
--   psql -v ON_ERROR_STOP=1 -h 127.0.0.1 -U webhooks -d <db> -f 0001_orleans_clustering.sql
--
-- Contract notes (see the Orleans provider sources):
--   * The providers run "SELECT QueryKey, QueryText FROM OrleansQuery" and then execute the
--     stored text with ADO.NET parameters named @DeploymentId, @Address, ... .
--   * Result columns are read by name; they are aliased in quotes to the exact names used
--     by the provider ("Address", "Version", ...).
--   * DateTime parameters arrive as timestamptz (UTC), so every time column is timestamptz.
--   * The membership "table version" is an integer ETag; a write succeeds only when the
--     caller's @Version equals the stored version, and then bumps it by one.
--   * SiloStatus values: 3 = Active, 6 = Dead.

BEGIN;

SET LOCAL client_min_messages = warning;   -- hide "already exists, skipping" notices

-- Serialise concurrent runs of the Orleans schema files.
DO $lock$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('orleans-schema-migrations')); END $lock$;

-- ---------------------------------------------------------------------------------------
-- Query catalogue shared by all Orleans ADO.NET providers (table and column names are
-- fixed by the providers; unquoted, so they fold to lower case).
-- ---------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey   varchar(64) NOT NULL,
    QueryText  text        NOT NULL,
    CONSTRAINT orleansquery_pkey PRIMARY KEY (QueryKey)
);

-- ---------------------------------------------------------------------------------------
-- Membership tables. One version row per cluster (DeploymentId = ClusterId) and one row
-- per silo incarnation (address, port, generation).
-- ---------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id  text        NOT NULL,
    version        integer     NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_membership_version_pkey PRIMARY KEY (deployment_id)
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text        NOT NULL,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT orleans_membership_pkey
        PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT orleans_membership_version_fkey
        FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id)
        ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------
-- Functions for the version-checked writes. The version row is locked FOR UPDATE, so the
-- check, the row change and the version bump happen atomically; on a mismatch nothing is
-- changed and FALSE is returned (Orleans then re-reads the table and retries).
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION orleans_membership_insert_row(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_silo_name        text,
    p_host_name        text,
    p_status           integer,
    p_proxy_port       integer,
    p_start_time       timestamptz,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_current integer;
BEGIN
    IF p_deployment_id IS NULL OR p_expected_version IS NULL THEN
        RETURN false;
    END IF;

    SELECT mv.version INTO v_current
    FROM orleans_membership_version AS mv
    WHERE mv.deployment_id = p_deployment_id
    FOR UPDATE;

    IF NOT FOUND OR v_current <> p_expected_version THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership AS m
        (deployment_id, address, port, generation, silo_name, host_name,
         status, proxy_port, suspect_times, start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, coalesce(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time)
    ON CONFLICT ON CONSTRAINT orleans_membership_pkey DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;   -- this silo incarnation is already registered
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN true;
END
$fn$;

CREATE OR REPLACE FUNCTION orleans_membership_update_row(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_status           integer,
    p_suspect_times    text,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_current integer;
BEGIN
    IF p_deployment_id IS NULL OR p_expected_version IS NULL THEN
        RETURN false;
    END IF;

    SELECT mv.version INTO v_current
    FROM orleans_membership_version AS mv
    WHERE mv.deployment_id = p_deployment_id
    FOR UPDATE;

    IF NOT FOUND OR v_current <> p_expected_version THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership AS m
    SET status          = p_status,
        suspect_times   = nullif(p_suspect_times, ''),
        i_am_alive_time = p_i_am_alive_time
    WHERE m.deployment_id = p_deployment_id
      AND m.address       = p_address
      AND m.port          = p_port
      AND m.generation    = p_generation;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN true;
END
$fn$;

-- ---------------------------------------------------------------------------------------
-- Registered queries.
-- ---------------------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Creates the cluster's version row if missing. Returns one value: 1 = created, 0 = existed.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT ON CONSTRAINT orleans_membership_version_pkey DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer AS "Inserted" FROM created;
$q$),

-- Registers a silo and bumps the table version if @Version still matches. Returns a boolean.
('InsertMembershipKey', $q$
SELECT orleans_membership_insert_row(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS "Succeeded";
$q$),

-- Updates a silo's status/suspicions/heartbeat and bumps the version if @Version matches.
('UpdateMembershipKey', $q$
SELECT orleans_membership_update_row(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version) AS "Succeeded";
$q$),

-- Heartbeat; not version-checked and its result is ignored.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address       = @Address
  AND port          = @Port
  AND generation    = @Generation;
$q$),

-- One silo row plus the table version. Always yields the version row (LEFT JOIN) so the
-- provider gets the ETag even when the silo is unknown.
('MembershipReadRowKey', $q$
SELECT
    m.address         AS "Address",
    m.port            AS "Port",
    m.generation      AS "Generation",
    m.silo_name       AS "SiloName",
    m.host_name       AS "HostName",
    m.status          AS "Status",
    m.proxy_port      AS "ProxyPort",
    m.suspect_times   AS "SuspectTimes",
    m.start_time      AS "StartTime",
    m.i_am_alive_time AS "IAmAliveTime",
    v.version         AS "Version"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
       ON m.deployment_id = v.deployment_id
      AND m.address       = @Address
      AND m.port          = @Port
      AND m.generation    = @Generation
WHERE v.deployment_id = @DeploymentId;
$q$),

-- All silo rows plus the table version (one row with NULL silo columns when empty).
('MembershipReadAllKey', $q$
SELECT
    m.address         AS "Address",
    m.port            AS "Port",
    m.generation      AS "Generation",
    m.silo_name       AS "SiloName",
    m.host_name       AS "HostName",
    m.status          AS "Status",
    m.proxy_port      AS "ProxyPort",
    m.suspect_times   AS "SuspectTimes",
    m.start_time      AS "StartTime",
    m.i_am_alive_time AS "IAmAliveTime",
    v.version         AS "Version"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
       ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId;
$q$),

-- Removes a whole cluster (silo rows cascade from the version row).
('DeleteMembershipTableEntriesKey', $q$
WITH gone_silos AS (
    DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId
)
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
$q$),

-- Gateways for clients: active silos that expose a gateway port. @Status is 3 (Active).
('GatewaysQueryKey', $q$
SELECT
    address    AS "Address",
    proxy_port AS "ProxyPort",
    generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status        = @Status
  AND proxy_port    > 0;
$q$),

-- Bulk cleanup (required key; used by 10.4.x only when CleanupDefunctSiloEntryKey is absent):
-- drops non-active silos whose last heartbeat is older than @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id   = @DeploymentId
  AND i_am_alive_time < @IAmAliveTime
  AND status         <> 3;
$q$),

-- Per-row cleanup (optional key, preferred by 10.4.x): the provider reads the table, picks
-- Dead silos older than the cutoff and deletes each one only if the row still holds the
-- values it saw (status, start time, heartbeat and suspicions), so a row that changed in
-- the meantime is left alone.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id   = @DeploymentId
  AND address         = @Address
  AND port            = @Port
  AND generation      = @Generation
  AND status          = 6
  AND start_time      = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '');
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

COMMIT;
