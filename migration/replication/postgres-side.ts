import pg from 'pg';
import { toMembershipUuid, toNeighborhoodUuid } from '../ids.js';
import { replicationNames } from './names.js';

const { schema, publication, slot } = replicationNames;

/** What the replication's PostgreSQL objects are called in SQL (quoted once here). */
export const sqlNames = {
  idMap: `${schema}.id_map`,
  reverseApplied: `${schema}.reverse_applied`,
  streamShards: `${schema}.stream_shards`,
  conflicts: `${schema}.conflicts`,
  progress: `${schema}.progress`,
} as const;

/**
 * The prefix of the logical decoding message that every transaction replication writes to PostgreSQL carries
 * (`pg_logical_emit_message(true, …)`, in the same WAL transaction as its rows): the forward direction drops
 * those transactions, so nothing the reverse applied is ever replayed back. A message, not a replication origin,
 * because an origin can be active in one session at a time and the reverse runs in as many Lambda containers as
 * the stream has shards.
 */
export const replicatorMessagePrefix = 'nbhd_replication';

export const sideSchemaSql = `
CREATE SCHEMA IF NOT EXISTS ${schema};
-- Ids that are not the UUIDv5 of the legacy integer: every neighborhood (so the reverse finds a row from a UUID)
-- and the memberships created on green or merged with one (kind 'membership').
CREATE TABLE IF NOT EXISTS ${sqlNames.idMap} (
  kind text NOT NULL CHECK (kind IN ('neighborhood', 'membership')),
  legacy_id integer NOT NULL,
  uuid uuid NOT NULL,
  PRIMARY KEY (kind, legacy_id),
  UNIQUE (kind, uuid)
);
-- The last stream record applied per table item: a record delivered twice (a Lambda retry, a CLI restart) is applied once.
CREATE TABLE IF NOT EXISTS ${sqlNames.reverseApplied} (
  item_key text PRIMARY KEY,
  sequence_number numeric NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
-- Where the CLI's stream reader is in each shard.
CREATE TABLE IF NOT EXISTS ${sqlNames.streamShards} (
  shard_id text PRIMARY KEY,
  parent_shard_id text,
  last_sequence_number text,
  closed boolean NOT NULL DEFAULT false,
  last_record_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Every conflict either direction resolved, once (kind + key is the same whichever side saw it first).
CREATE TABLE IF NOT EXISTS ${sqlNames.conflicts} (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  key text NOT NULL,
  detail jsonb NOT NULL,
  detected_by text NOT NULL,
  detected_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, key)
);
-- Counters of each running direction, written every few seconds, for \`replicate status\`.
CREATE TABLE IF NOT EXISTS ${sqlNames.progress} (
  direction text PRIMARY KEY,
  applied bigint NOT NULL DEFAULT 0,
  skipped bigint NOT NULL DEFAULT 0,
  conflicts bigint NOT NULL DEFAULT 0,
  dynamodb_operations bigint NOT NULL DEFAULT 0,
  postgres_operations bigint NOT NULL DEFAULT 0,
  lag_ms_p50 double precision,
  lag_ms_p95 double precision,
  lag_ms_max double precision,
  last_applied_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);`;

export class CaptureNotEnabledError extends Error {
  override readonly name = 'CaptureNotEnabledError';
}

export class ReplicationNotSetUpError extends Error {
  override readonly name = 'ReplicationNotSetUpError';
}

/** Refuses a database whose WAL cannot be decoded, with what to change (self-hosted and RDS). */
export async function assertCaptureEnabled(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ wal_level: string }>('SHOW wal_level');
  const level = rows[0]?.wal_level;
  if (level !== 'logical') {
    throw new CaptureNotEnabledError(
      `change capture is not enabled: wal_level is "${level}", it must be "logical". On RDS set ` +
        'rds.logical_replication = 1 in the DB parameter group and reboot; elsewhere set wal_level = logical in ' +
        'postgresql.conf and restart PostgreSQL.',
    );
  }
}

export interface SetupStep {
  what: string;
  done: 'created' | 'exists' | 'changed';
}

/**
 * Prepares PostgreSQL for replication, idempotently: full replica identity on both legacy tables (a delete's
 * change carries the whole row, so the forward knows which membership went), the publication, the logical slot,
 * the side schema, and the id map of every neighborhood.
 */
export async function setUpPostgres(client: pg.ClientBase): Promise<SetupStep[]> {
  await assertCaptureEnabled(client);
  const steps: SetupStep[] = [];
  for (const table of ['neighborhoods', 'memberships']) {
    const { rows } = await client.query<{ relreplident: string }>(
      'SELECT relreplident FROM pg_class WHERE oid = $1::regclass',
      [table],
    );
    if (rows[0]?.relreplident === 'f') steps.push({ what: `${table}: REPLICA IDENTITY FULL`, done: 'exists' });
    else {
      await client.query(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
      steps.push({ what: `${table}: REPLICA IDENTITY FULL`, done: 'changed' });
    }
  }
  const hasPublication = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
  if (hasPublication.rowCount) steps.push({ what: `publication ${publication}`, done: 'exists' });
  else {
    await client.query(`CREATE PUBLICATION ${publication} FOR TABLE neighborhoods, memberships`);
    steps.push({ what: `publication ${publication} (neighborhoods, memberships)`, done: 'created' });
  }
  // Created before the id map is filled: a neighborhood inserted in between is in both, never in neither.
  const hasSlot = await client.query<{ here: boolean; database: string }>(
    'SELECT database = current_database() AS here, database FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  if (hasSlot.rows[0] && !hasSlot.rows[0].here) {
    // Slot names are the server's, not a database's: another database on this server already replicates.
    throw new ReplicationNotSetUpError(
      `the replication slot ${slot} belongs to the database ${hasSlot.rows[0].database} on this server (slot names ` +
        'are server-wide): run `npm run migrate -- replicate teardown` against that database first',
    );
  }
  if (hasSlot.rowCount) steps.push({ what: `logical replication slot ${slot}`, done: 'exists' });
  else {
    await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
    steps.push({ what: `logical replication slot ${slot} (pgoutput)`, done: 'created' });
  }
  const hasSchema = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  await client.query(sideSchemaSql);
  steps.push({
    what: `schema ${schema} (id map, applied records, shard positions, conflicts)`,
    done: hasSchema.rowCount ? 'exists' : 'created',
  });
  const mapped = await fillNeighborhoodIdMap(client);
  steps.push({ what: `id map: ${mapped} neighborhoods added`, done: mapped > 0 ? 'changed' : 'exists' });
  return steps;
}

/** Adds every neighborhood not yet in the id map, a page at a time (its UUIDv5 is computed here, not in SQL). */
async function fillNeighborhoodIdMap(client: pg.ClientBase): Promise<number> {
  let added = 0;
  let last = 0;
  for (;;) {
    const { rows } = await client.query<{ id: number }>(
      `SELECT n.id FROM neighborhoods n
       WHERE n.id > $1 AND NOT EXISTS (SELECT 1 FROM ${sqlNames.idMap} m WHERE m.kind = 'neighborhood' AND m.legacy_id = n.id)
       ORDER BY n.id LIMIT 5000`,
      [last],
    );
    if (rows.length === 0) return added;
    const ids = rows.map((row) => row.id);
    const result = await client.query(
      `INSERT INTO ${sqlNames.idMap} (kind, legacy_id, uuid)
       SELECT 'neighborhood', id, uuid FROM unnest($1::int[], $2::uuid[]) AS t(id, uuid) ON CONFLICT DO NOTHING`,
      [ids, ids.map(toNeighborhoodUuid)],
    );
    added += result.rowCount ?? 0;
    last = ids.at(-1) as number;
  }
}

/** Removes what setUpPostgres added, after decommissioning; the legacy tables' rows are never touched. */
export async function tearDownPostgres(client: pg.ClientBase): Promise<SetupStep[]> {
  const steps: SetupStep[] = [];
  const hasSlot = await client.query<{ active: boolean }>(
    'SELECT active FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()',
    [slot],
  );
  if (hasSlot.rows[0]?.active) {
    throw new Error(`the replication slot ${slot} is in use: stop \`replicate\` first`);
  }
  if (hasSlot.rowCount) {
    await client.query('SELECT pg_drop_replication_slot($1)', [slot]);
    steps.push({ what: `logical replication slot ${slot}`, done: 'changed' });
  }
  const hasPublication = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
  if (hasPublication.rowCount) {
    await client.query(`DROP PUBLICATION ${publication}`);
    steps.push({ what: `publication ${publication}`, done: 'changed' });
  }
  const hasSchema = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (hasSchema.rowCount) {
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    steps.push({ what: `schema ${schema}`, done: 'changed' });
  }
  for (const table of ['neighborhoods', 'memberships']) {
    await client.query(`ALTER TABLE ${table} REPLICA IDENTITY DEFAULT`);
    steps.push({ what: `${table}: REPLICA IDENTITY DEFAULT`, done: 'changed' });
  }
  return steps;
}

/** True once `replicate setup` has run on this database. */
export async function isSetUp(client: pg.ClientBase): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  return (rowCount ?? 0) > 0;
}

/** A PostgreSQL client that counts the statements it sends, for "operations per change". */
export interface CountingClient {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Runs `work` in one transaction marked as the replicator's (the forward drops it: no echo). A serialization or
 * deadlock failure is retried; anything else rolls back and is thrown.
 */
export async function inReplicatorTransaction<T>(
  pool: pg.Pool,
  countOperation: () => void,
  work: (client: CountingClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const connection = await pool.connect();
    const client: CountingClient = {
      query: (text, values) => {
        countOperation();
        return connection.query(text, values);
      },
    };
    try {
      await connection.query('BEGIN');
      await client.query('SELECT pg_logical_emit_message(true, $1, $2)', [replicatorMessagePrefix, 'replicator']);
      const result = await work(client);
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      const code = (error as { code?: string }).code;
      if ((code === '40001' || code === '40P01' || code === '23505') && attempt < 5) continue;
      throw error;
    } finally {
      connection.release();
    }
  }
}

/** Takes a transaction-scoped lock on one logical row, so the two directions never resolve it at the same time. */
export async function lockRow(client: CountingClient, key: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

/** The UUID of a legacy neighborhood: the id map's, else the UUIDv5 (a row not mapped yet was made on blue). */
export async function findNeighborhoodUuid(client: CountingClient, legacyId: number): Promise<string> {
  const { rows } = await client.query<{ uuid: string }>(
    `SELECT uuid FROM ${sqlNames.idMap} WHERE kind = 'neighborhood' AND legacy_id = $1`,
    [legacyId],
  );
  return rows[0]?.uuid ?? toNeighborhoodUuid(legacyId);
}

/** The legacy id of a neighborhood's UUID, when PostgreSQL has one. */
export async function findNeighborhoodLegacyId(client: CountingClient, uuid: string): Promise<number | undefined> {
  const { rows } = await client.query<{ legacy_id: number }>(
    `SELECT legacy_id FROM ${sqlNames.idMap} WHERE kind = 'neighborhood' AND uuid = $1`,
    [uuid],
  );
  return rows[0]?.legacy_id;
}

/** The UUID a legacy membership row stands for: merged or created on green (mapped), else its UUIDv5. */
export async function findMembershipUuid(client: CountingClient, legacyId: number): Promise<string> {
  const { rows } = await client.query<{ uuid: string }>(
    `SELECT uuid FROM ${sqlNames.idMap} WHERE kind = 'membership' AND legacy_id = $1`,
    [legacyId],
  );
  return rows[0]?.uuid ?? toMembershipUuid(legacyId);
}

/** The mapped UUIDs of many legacy ids in one query (ids not mapped are absent: their UUIDv5 stands). */
export async function findUuids(
  client: CountingClient,
  kind: 'neighborhood' | 'membership',
  legacyIds: number[],
): Promise<Map<number, string>> {
  if (legacyIds.length === 0) return new Map();
  const { rows } = await client.query<{ legacy_id: number; uuid: string }>(
    `SELECT legacy_id, uuid FROM ${sqlNames.idMap} WHERE kind = $1 AND legacy_id = ANY($2::int[])`,
    [kind, legacyIds],
  );
  return new Map(rows.map((r) => [Number(r.legacy_id), r.uuid]));
}

export async function mapId(
  client: CountingClient,
  kind: 'neighborhood' | 'membership',
  legacyId: number,
  uuid: string,
): Promise<void> {
  await client.query(
    `INSERT INTO ${sqlNames.idMap} (kind, legacy_id, uuid) VALUES ($1, $2, $3)
     ON CONFLICT (kind, legacy_id) DO UPDATE SET uuid = EXCLUDED.uuid`,
    [kind, legacyId, uuid],
  );
}

export type ConflictKind =
  | 'name-collision'
  | 'duplicate-join'
  | 'leave-vs-join'
  | 'delete-vs-join'
  | 'delete-vs-rename'
  | 'rename-vs-rename'
  | 'duplicate-leave';

export interface Conflict {
  kind: ConflictKind;
  /** The same for both directions' sight of one conflict, so it is recorded once. */
  key: string;
  detail: Record<string, unknown>;
}

/** Records a conflict once; true when this call recorded it (the other direction had not). */
export async function recordConflict(
  client: CountingClient,
  conflict: Conflict,
  detectedBy: 'forward' | 'reverse',
): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO ${sqlNames.conflicts} (kind, key, detail, detected_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind, key) DO NOTHING`,
    [conflict.kind, conflict.key, JSON.stringify(conflict.detail), detectedBy],
  );
  return (result.rowCount ?? 0) > 0;
}

export function createPool(databaseUrl: string, max = 4): pg.Pool {
  return new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 10_000 });
}
