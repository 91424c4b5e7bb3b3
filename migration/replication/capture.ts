import type pg from 'pg';
import { PgoutputPlugin } from 'pg-logical-replication';
import type { LegacyMembership, LegacyNeighborhood } from '../legacy-rows.js';
import { toUtcIso } from '../timestamps.js';
import { replicationNames } from './names.js';
import { replicatorMessagePrefix } from './postgres-side.js';

/** One committed row change of a legacy table, values as the legacy rows the export reads. */
export type LegacyChange =
  | { table: 'neighborhoods'; op: 'insert'; new: LegacyNeighborhood }
  | { table: 'neighborhoods'; op: 'update'; old: LegacyNeighborhood; new: LegacyNeighborhood }
  | { table: 'neighborhoods'; op: 'delete'; old: LegacyNeighborhood }
  | { table: 'memberships'; op: 'insert'; new: LegacyMembership }
  | { table: 'memberships'; op: 'update'; old: LegacyMembership; new: LegacyMembership }
  | { table: 'memberships'; op: 'delete'; old: LegacyMembership };

/** One committed PostgreSQL transaction of the legacy tables, in commit order. */
export interface CapturedTransaction {
  /** The commit's end LSN: where the slot is advanced once the transaction is applied. */
  endLsn: string;
  /** Commit time, epoch milliseconds (PostgreSQL's is microseconds; lag needs no more). */
  committedAtMs: number;
  changes: LegacyChange[];
  /** True when the replicator itself wrote it (it carries the replicator's message): not to be applied. */
  fromReplicator: boolean;
}

type Tuple = Record<string, string | null>;

const toNeighborhood = (t: Tuple): LegacyNeighborhood => ({
  id: Number(t.id),
  name: String(t.name),
  description: t.description ?? null,
  created_by: String(t.created_by),
  created_at: toUtcIso(String(t.created_at)),
  updated_at: t.updated_at === null || t.updated_at === undefined ? null : toUtcIso(t.updated_at),
});

const toMembership = (t: Tuple): LegacyMembership => ({
  id: Number(t.id),
  user_id: String(t.user_id),
  neighborhood_id: Number(t.neighborhood_id),
  joined_at: toUtcIso(String(t.joined_at)),
});

/** LSNs as text compare wrongly ('0/9' > '0/10'); this form sorts as text. */
export function toLsnKey(lsn: string): string {
  const [high = '0', low = '0'] = lsn.split('/');
  return `${high.padStart(8, '0')}${low.padStart(8, '0')}`.toUpperCase();
}

/**
 * Reads the slot through PostgreSQL's SQL interface (`pg_logical_slot_peek_binary_changes` with pgoutput),
 * parsed by pg-logical-replication's pgoutput parser. Peek does not consume: the slot moves only when
 * `confirm` is called after the transaction is applied, so a crash or kill at any moment replays from the last
 * applied transaction and loses nothing. Values are kept as PostgreSQL's text (a Date would drop microseconds).
 */
export function createSlotReader(pool: pg.Pool) {
  const options = [
    `'proto_version', '1'`,
    `'publication_names', '${replicationNames.publication}'`,
    `'messages', 'true'`,
  ].join(', ');
  return {
    /** Up to about `maxChanges` changes' worth of whole committed transactions, oldest first. */
    async peek(maxChanges: number): Promise<CapturedTransaction[]> {
      const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [replicationNames.publication] });
      const { rows } = await pool.query<{ lsn: string; data: Buffer }>(
        `SELECT lsn::text, data FROM pg_logical_slot_peek_binary_changes($1, NULL, $2, ${options})`,
        [replicationNames.slot, maxChanges],
      );
      const transactions: CapturedTransaction[] = [];
      let open: CapturedTransaction | undefined;
      for (const row of rows) {
        const message = plugin.parse(row.data) as unknown as Record<string, unknown> & { tag: string };
        switch (message.tag) {
          case 'relation':
            // Keep the text PostgreSQL sent; the row builders above parse it.
            for (const column of message.columns as Array<{ parser: (text: string) => unknown }>) {
              column.parser = (text) => text;
            }
            break;
          case 'begin':
            open = { endLsn: '', committedAtMs: 0, changes: [], fromReplicator: false };
            break;
          case 'message':
            if (open && message.prefix === replicatorMessagePrefix) open.fromReplicator = true;
            break;
          case 'insert':
          case 'update':
          case 'delete': {
            const relation = message.relation as { name: string };
            const change = toChange(relation.name, message.tag, message.old as Tuple, message.new as Tuple);
            if (open && change) open.changes.push(change);
            break;
          }
          case 'commit':
            if (open) {
              open.endLsn = row.lsn;
              open.committedAtMs = Number((message.commitTime as bigint) / 1000n);
              transactions.push(open);
              open = undefined;
            }
            break;
          default:
        }
      }
      return transactions;
    },
    /** Moves the slot past an applied transaction: PostgreSQL may then recycle its WAL. */
    async confirm(lsn: string): Promise<void> {
      await pool.query('SELECT pg_replication_slot_advance($1, $2::pg_lsn)', [replicationNames.slot, lsn]);
    },
  };
}

export type SlotReader = ReturnType<typeof createSlotReader>;

function toChange(table: string, op: string, old: Tuple, row: Tuple): LegacyChange | undefined {
  if (table === 'neighborhoods') {
    if (op === 'insert') return { table, op, new: toNeighborhood(row) };
    if (op === 'update') return { table, op, old: toNeighborhood(old), new: toNeighborhood(row) };
    return { table, op: 'delete', old: toNeighborhood(old) };
  }
  if (table === 'memberships') {
    if (op === 'insert') return { table, op, new: toMembership(row) };
    if (op === 'update') return { table, op, old: toMembership(old), new: toMembership(row) };
    return { table, op: 'delete', old: toMembership(old) };
  }
  return undefined;
}
