import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type pg from 'pg';
import { normalizeName } from '../../server/data/neighborhood/keys.js';
import type { WriteTransaction } from '../../server/data/table/named-transaction.js';
import { explainInvalidDid } from '../did-rules.js';
import { toMembershipUuid, toNeighborhoodUuid } from '../ids.js';
import type { LegacyMembership, LegacyNeighborhood } from '../legacy-rows.js';
import { cleanDescription, cleanName } from '../name-rules.js';
import type { CapturedTransaction, LegacyChange } from './capture.js';
import { toLsnKey } from './capture.js';
import { createNameRule } from './name-rule.js';
import { forwardCheckpointKey } from './names.js';
import {
  type CountingClient,
  findMembershipUuid,
  findNeighborhoodUuid,
  findUuids,
  inReplicatorTransaction,
  lockRow,
  mapId,
  recordConflict,
  sqlNames,
} from './postgres-side.js';
import type { ReplicationCounters } from './progress.js';
import { createTableSide, type NeighborhoodState } from './table-side.js';

export interface ForwardApplierDeps {
  pool: pg.Pool;
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  counters: ReplicationCounters;
}

/** Newer wins; equal instants: PostgreSQL's (blue's) side wins, on both sides alike. */
export const isEarlierOrSame = (a: string, b: string) => a <= b;

/**
 * Applies committed PostgreSQL transactions (blue's writes) to the table, in commit order, exactly once: every
 * transaction it sends also moves a checkpoint item conditionally (`position < this one`), so a transaction
 * replayed after a kill finds the checkpoint past it and changes nothing. A PostgreSQL create (the neighborhood
 * and its creator's membership) is one table transaction. Conflicts with writes made on green inside the lag
 * window are resolved by the rules in docs/migration.md, on both sides, and recorded once.
 */
export function createForwardApplier({ pool, documentClient, tableName, counters }: ForwardApplierDeps) {
  const table = createTableSide(documentClient, tableName, () => counters.dynamodb('forward'));
  const countPostgres = () => counters.postgres('forward');
  const inTransaction = <T>(work: (client: CountingClient) => Promise<T>) =>
    inReplicatorTransaction(pool, countPostgres, work);
  const pgClient: CountingClient = {
    query: (text, values) => {
      countPostgres();
      return pool.query(text, values);
    },
  };
  const names = createNameRule({ table, pool, countPostgres, detectedBy: 'forward' });

  /** Moves the checkpoint to `position`, on condition that it is before `after` (the first change sent). */
  const checkpoint = (position: string, after = position) => ({
    Update: {
      TableName: tableName,
      Key: forwardCheckpointKey,
      UpdateExpression: 'SET #position = :position, #at = :at',
      ConditionExpression: 'attribute_not_exists(#position) OR #position < :after',
      ExpressionAttributeNames: { '#position': 'position', '#at': 'updated_at' },
      ExpressionAttributeValues: { ':position': position, ':after': after, ':at': new Date().toISOString() },
    },
  });

  /** Only the checkpoint: the change needs nothing in the table (or is already there). */
  async function advance(position: string): Promise<void> {
    try {
      await table.send({ checkpoint: checkpoint(position) });
    } catch (error) {
      if (
        !table
          .buildNamedTransaction({ checkpoint: checkpoint(position) })
          .findFailedConditions(error)
          .has('checkpoint')
      )
        throw error;
    }
  }

  const conflict = (kind: Parameters<typeof recordConflict>[1]['kind'], key: string, detail: Record<string, unknown>) =>
    inTransaction(async (client) => {
      if (await recordConflict(client, { kind, key, detail }, 'forward')) counters.conflict('forward');
    });

  async function toState(row: LegacyNeighborhood, id: string): Promise<NeighborhoodState> {
    return {
      id,
      name: cleanName(row.name, row.id).value,
      description: row.description === null ? undefined : cleanDescription(row.description).value,
      created_by: row.created_by,
      created_at: row.created_at,
      updated_at: row.updated_at ?? undefined,
    };
  }

  /** A neighborhood made on blue, with the memberships its transaction made (the creator's). */
  async function insertNeighborhood(row: LegacyNeighborhood, members: LegacyMembership[], position: string) {
    if (explainInvalidDid(row.created_by) !== undefined) return advance(position); // refused, as the import does
    const id = toNeighborhoodUuid(row.id);
    await mapId(pgClient, 'neighborhood', row.id, id);
    const valid = members.filter((m) => explainInvalidDid(m.user_id) === undefined);
    // The legacy service never renames: a row whose name differs now was renamed by the collision rule, in a
    // transaction that committed before a kill stopped the write below. Its replay writes the name PostgreSQL holds,
    // not the WAL's (whose claim may be free again by now).
    const { rows: now } = await pgClient.query<{ name: string }>('SELECT name FROM neighborhoods WHERE id = $1', [
      row.id,
    ]);
    let state = await toState(now[0] ? { ...row, name: now[0].name } : row, id);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const items = {
        neighborhood: table.putNeighborhood(state, valid.length),
        nameClaim: table.putNameClaim(state.name, id),
        legacyId: table.putLegacyId(row.id, id),
        memberships: await Promise.all(
          valid.map(async (m) =>
            table.putMembership({
              nbhd_id: id,
              user_id: m.user_id,
              id: await findMembershipUuid(pgClient, m.id),
              joined_at: m.joined_at,
            }),
          ),
        ),
        checkpoint: checkpoint(position),
      };
      const transaction = table.buildNamedTransaction(items);
      try {
        table.countOperation();
        await transaction.send();
        return;
      } catch (error) {
        const failed = transaction.findFailedConditions(error);
        if (failed.has('checkpoint') || failed.has('neighborhood')) return advance(position); // applied already
        if (!failed.has('nameClaim')) throw error;
        // The name is held (case/Unicode-insensitively) by another neighborhood: the collision rule decides.
        state = { ...state, name: await names.resolveIncoming(state, row.id) };
      }
    }
    throw new Error(`forward: could not claim a name for legacy neighborhood ${row.id}`);
  }

  async function updateNeighborhood(old: LegacyNeighborhood, row: LegacyNeighborhood, position: string) {
    if (explainInvalidDid(row.created_by) !== undefined) return advance(position);
    const id = await findNeighborhoodUuid(pgClient, row.id);
    const next = await toState(row, id);
    const current = await table.readNeighborhood(id);
    if (!current || current.deleting_at) {
      await conflict('delete-vs-rename', `${id}:${position}`, {
        neighborhood: id,
        legacy_id: row.id,
        rule: 'the delete made on green wins over the change made in PostgreSQL',
      });
      return advance(position);
    }
    const before = await toState(old, id);
    // A change on green since the old row (its updated_at moved): the later updated_at wins.
    if ((current.updated_at ?? null) !== (before.updated_at ?? null) || current.name !== before.name) {
      const greenWins = (current.updated_at ?? '') > (next.updated_at ?? '');
      await conflict('rename-vs-rename', `${id}:${position}`, {
        neighborhood: id,
        postgres: { name: next.name, updated_at: next.updated_at ?? null },
        table: { name: current.name, updated_at: current.updated_at ?? null },
        rule: 'the later updated_at wins',
        kept: greenWins ? 'table' : 'postgres',
      });
      if (greenWins) return advance(position);
    }
    const renamed = normalizeName(next.name) !== normalizeName(current.name);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const transaction = table.buildNamedTransaction({
        neighborhood: table.updateNeighborhood(next, { name: current.name }),
        oldNameClaim: renamed ? table.deleteNameClaim(current.name, id) : undefined,
        newNameClaim: renamed ? table.putNameClaim(next.name, id) : undefined,
        checkpoint: checkpoint(position),
      });
      try {
        table.countOperation();
        await transaction.send();
        return;
      } catch (error) {
        const failed = transaction.findFailedConditions(error);
        if (failed.has('checkpoint')) return;
        if (failed.has('newNameClaim')) {
          next.name = await names.resolveIncoming(next, row.id);
          continue;
        }
        if (failed.has('neighborhood')) return updateNeighborhood(old, row, position);
        throw error;
      }
    }
  }

  /** An operator's delete in PostgreSQL: its memberships went first (the foreign key); what is left was joined on green. */
  async function deleteNeighborhood(old: LegacyNeighborhood, position: string) {
    const id = await findNeighborhoodUuid(pgClient, old.id);
    const current = await table.readNeighborhood(id);
    if (current && !current.deleting_at) {
      const { deleteNeighborhood: remove } = await import('../../server/data/neighborhood/admin-repo.js').then((m) =>
        m.createNeighborhoodAdminRepo({
          entities: table.entities,
          now: () => new Date(),
          generateId: () => crypto.randomUUID(),
          cursors: undefined as never,
        }),
      );
      if ((current.member_count ?? 0) > 0) {
        await conflict('delete-vs-join', `${id}:deleted-in-postgres`, {
          neighborhood: id,
          members_joined_on_green: current.member_count,
          rule: 'the delete wins: the memberships joined on green go with the neighborhood',
        });
      }
      table.countOperation();
      await remove(id, current.created_by).catch((error: unknown) => {
        if ((error as { code?: string }).code !== 'not-found') throw error;
      });
    }
    return advance(position);
  }

  async function insertMembership(row: LegacyMembership, position: string) {
    if (explainInvalidDid(row.user_id) !== undefined) return advance(position);
    // A join in the id map was merged with green's already, by the reverse (and may have been left on green since,
    // a delete that is the replicator's own and never comes back): applying it again would bring back a membership
    // both sides have left. (A join whose row is merely gone is applied: blue's delete, or green's neighborhood
    // delete and its delete-vs-join conflict, follow.)
    const merged = await pgClient.query(
      `SELECT 1 FROM ${sqlNames.idMap} WHERE kind = 'membership' AND legacy_id = $1`,
      [row.id],
    );
    if (merged.rowCount) return advance(position);
    const nbhdId = await findNeighborhoodUuid(pgClient, row.neighborhood_id);
    const id = await findMembershipUuid(pgClient, row.id);
    const transaction = table.buildNamedTransaction({
      membership: table.putMembership({ nbhd_id: nbhdId, user_id: row.user_id, id, joined_at: row.joined_at }),
      neighborhood: table.countMembers(nbhdId, 1, true),
      checkpoint: checkpoint(position),
    });
    try {
      table.countOperation();
      await transaction.send();
      return;
    } catch (error) {
      const failed = transaction.findFailedConditions(error);
      if (failed.has('checkpoint')) return;
      if (failed.has('membership')) {
        const existing = await table.readMembership(nbhdId, row.user_id);
        if (existing && existing.id !== id) await mergeDuplicateJoin(row, nbhdId, id, existing);
        return advance(position);
      }
      if (failed.has('neighborhood')) {
        const nbhd = await table.readNeighborhood(nbhdId);
        const refused = !nbhd && (await isRefusedNeighborhood(row.neighborhood_id));
        if (!refused) {
          // Deleted on green inside the lag window: the delete wins, on both sides.
          await inTransaction(async (client) => {
            await lockRow(client, `member:${nbhdId}:${row.user_id}`);
            await client.query('DELETE FROM memberships WHERE id = $1', [row.id]);
            if (
              await recordConflict(
                client,
                {
                  kind: 'delete-vs-join',
                  key: `${nbhdId}:${row.user_id}:${id}`,
                  detail: {
                    neighborhood: nbhdId,
                    user_id: row.user_id,
                    joined_on: 'blue',
                    rule: 'the delete made on green wins',
                  },
                },
                'forward',
              )
            )
              counters.conflict('forward');
          });
        }
        return advance(position);
      }
      throw error;
    }
  }

  async function isRefusedNeighborhood(legacyId: number): Promise<boolean> {
    const { rows } = await pgClient.query<{ created_by: string }>(
      'SELECT created_by FROM neighborhoods WHERE id = $1',
      [legacyId],
    );
    const createdBy = rows[0]?.created_by;
    return createdBy !== undefined && explainInvalidDid(createdBy) !== undefined;
  }

  /**
   * The same user joined on both sides inside the lag window: one membership stays, the earlier join (blue's on
   * a tie), under the one id both sides then share.
   */
  async function mergeDuplicateJoin(
    row: LegacyMembership,
    nbhdId: string,
    blueId: string,
    green: { id: string; joined_at: string },
  ) {
    const blueWins = isEarlierOrSame(row.joined_at, green.joined_at);
    await inTransaction(async (client) => {
      await lockRow(client, `member:${nbhdId}:${row.user_id}`);
      // Blue's row gone already: that join was left since (its delete follows in the slot), so it is no rival to
      // green's later join. Merging would make that delete remove green's membership.
      const stillThere = await client.query('SELECT 1 FROM memberships WHERE id = $1 FOR UPDATE', [row.id]);
      if (!stillThere.rowCount) return;
      if (blueWins) {
        await table
          .send({
            membership: table.putMembership(
              { nbhd_id: nbhdId, user_id: row.user_id, id: blueId, joined_at: row.joined_at },
              green.id,
            ),
          })
          .catch(() => undefined); // the reverse resolved it first
        await mapId(client, 'membership', row.id, blueId);
      } else {
        await client.query('UPDATE memberships SET joined_at = $2 WHERE id = $1', [row.id, green.joined_at]);
        await mapId(client, 'membership', row.id, green.id);
      }
      if (
        await recordConflict(
          client,
          {
            kind: 'duplicate-join',
            key: `${nbhdId}:${row.user_id}:${green.id}`,
            detail: {
              neighborhood: nbhdId,
              user_id: row.user_id,
              blue: { legacy_id: row.id, joined_at: row.joined_at },
              green: { id: green.id, joined_at: green.joined_at },
              kept: blueWins ? 'blue' : 'green',
              rule: 'one membership: the earlier join',
            },
          },
          'forward',
        )
      )
        counters.conflict('forward');
    });
  }

  async function deleteMembership(old: LegacyMembership, position: string) {
    const nbhdId = await findNeighborhoodUuid(pgClient, old.neighborhood_id);
    const id = await findMembershipUuid(pgClient, old.id);
    const transaction = table.buildNamedTransaction({
      membership: table.deleteMembership(nbhdId, old.user_id, id),
      neighborhood: table.countMembers(nbhdId, -1, false),
      checkpoint: checkpoint(position),
    });
    try {
      table.countOperation();
      await transaction.send();
    } catch (error) {
      const failed = transaction.findFailedConditions(error);
      if (failed.has('checkpoint')) return;
      if (!failed.has('membership') && !failed.has('neighborhood')) throw error;
      if (explainInvalidDid(old.user_id) === undefined) {
        const existing = await table.readMembership(nbhdId, old.user_id);
        if (existing) {
          await conflict('leave-vs-join', `${nbhdId}:${old.user_id}:${existing.id}`, {
            neighborhood: nbhdId,
            user_id: old.user_id,
            left_on: 'blue',
            joined_again_on: 'green',
            rule: 'the new join stands',
          });
        } else {
          await conflict('duplicate-leave', `${nbhdId}:${old.user_id}:${id}`, {
            neighborhood: nbhdId,
            user_id: old.user_id,
            rule: 'left on both sides: one leave',
          });
        }
      }
      return advance(position);
    }
  }

  /**
   * Joins and leaves of existing neighborhoods, from many PostgreSQL transactions, in one table transaction:
   * the memberships, one member_count update per neighborhood (the net change), and the checkpoint moved from
   * before the first change to the last. The checkpoint's condition (`position < first`) makes the group all or
   * nothing against a replay: any failed condition (a conflict, a change applied before a kill) cancels it, and
   * its transactions are then applied one by one by the rules above. Returns false when it was cancelled.
   */
  async function applyGroup(group: CapturedTransaction[]): Promise<boolean> {
    const changes = group.flatMap((t) => t.changes) as Array<Extract<LegacyChange, { table: 'memberships' }>>;
    const nbhdIds = [...new Set(changes.map((c) => (c.op === 'delete' ? c.old : c.new).neighborhood_id))];
    const memberIds = changes.map((c) => (c.op === 'delete' ? c.old : c.new).id);
    const [nbhdUuids, memberUuids] = await Promise.all([
      findUuids(pgClient, 'neighborhood', nbhdIds),
      findUuids(pgClient, 'membership', memberIds),
    ]);
    // A join already in the id map was merged with green's by the reverse: the one-by-one rules decide it.
    if (changes.some((c) => c.op === 'insert' && memberUuids.has(c.new.id))) return false;
    const delta = new Map<string, { n: number; joins: boolean }>();
    const memberships: WriteTransaction[] = [];
    for (const change of changes) {
      const row = change.op === 'delete' ? change.old : change.new;
      const nbhdId = nbhdUuids.get(row.neighborhood_id) ?? toNeighborhoodUuid(row.neighborhood_id);
      const id = memberUuids.get(row.id) ?? toMembershipUuid(row.id);
      const entry = delta.get(nbhdId) ?? { n: 0, joins: false };
      if (change.op === 'insert') {
        memberships.push(
          table.putMembership({ nbhd_id: nbhdId, user_id: row.user_id, id, joined_at: change.new.joined_at }),
        );
        delta.set(nbhdId, { n: entry.n + 1, joins: true });
      } else {
        memberships.push(table.deleteMembership(nbhdId, row.user_id, id));
        delta.set(nbhdId, { n: entry.n - 1, joins: entry.joins });
      }
    }
    const first = toLsnKey(group[0]?.endLsn as string);
    const last = toLsnKey(group.at(-1)?.endLsn as string);
    const transaction = table.buildNamedTransaction({
      memberships,
      neighborhoods: [...delta].map(([nbhdId, d]) => table.countMembers(nbhdId, d.n, d.joins)),
      // Past every unit of the last transaction; applied only if the checkpoint is before the first one's.
      checkpoint: checkpoint(`${last}:999999`, `${first}:000000`),
    });
    try {
      table.countOperation();
      await transaction.send();
      return true;
    } catch (error) {
      if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error;
      return false;
    }
  }

  /** A transaction the group path takes: joins and leaves only, of valid DIDs, none of a neighborhood it creates. */
  const isGroupable = (t: CapturedTransaction) =>
    t.changes.length > 0 &&
    t.changes.every(
      (c) =>
        c.table === 'memberships' &&
        c.op !== 'update' &&
        explainInvalidDid((c.op === 'delete' ? c.old : c.new).user_id) === undefined,
    );
  const membershipKey = (c: LegacyChange) => {
    const row = (c.op === 'delete' ? c.old : c.new) as LegacyMembership;
    return `${row.neighborhood_id}:${row.user_id}`;
  };
  /** At most this many items a group sends (TransactWriteItems takes 100: memberships, counts, the checkpoint). */
  const groupItemLimit = 90;

  const applier = {
    /**
     * Applies committed transactions in commit order; `onApplied` after each. Runs of joins and leaves go to the
     * table in groups (one call for many transactions); anything else, and a group a condition cancels, one
     * transaction at a time.
     */
    async applyAll(transactions: CapturedTransaction[], onApplied: (t: CapturedTransaction) => void): Promise<void> {
      let group: CapturedTransaction[] = [];
      let keys = new Set<string>();
      let items = 1;
      const flush = async () => {
        if (group.length === 0) return;
        const pending = group;
        group = [];
        keys = new Set();
        items = 1;
        if (pending.length > 1 && (await applyGroup(pending))) {
          for (const t of pending) {
            for (const _ of t.changes) counters.applied('forward');
            onApplied(t);
          }
          return;
        }
        for (const t of pending) {
          await applier.apply(t);
          onApplied(t);
        }
      };
      for (const transaction of transactions) {
        if (!isGroupable(transaction)) {
          await flush();
          await applier.apply(transaction);
          onApplied(transaction);
          continue;
        }
        const its = transaction.changes.map(membershipKey);
        // One item once per table transaction: a second change of the same membership starts a new group.
        if (its.some((k) => keys.has(k)) || items + transaction.changes.length * 2 > groupItemLimit) await flush();
        for (const k of its) keys.add(k);
        items += transaction.changes.length * 2;
        group.push(transaction);
      }
      await flush();
    },

    /** Applies one committed PostgreSQL transaction. */
    async apply(transaction: CapturedTransaction): Promise<void> {
      const lsn = toLsnKey(transaction.endLsn);
      const changes = transaction.changes;
      const created = new Set(
        changes.flatMap((c) => (c.table === 'neighborhoods' && c.op === 'insert' ? [c.new.id] : [])),
      );
      let unit = 0;
      for (const change of changes) {
        const position = `${lsn}:${String(unit++).padStart(6, '0')}`;
        if (change.table === 'neighborhoods' && change.op === 'insert') {
          const members = changes.flatMap((c) =>
            c.table === 'memberships' && c.op === 'insert' && c.new.neighborhood_id === change.new.id ? [c.new] : [],
          );
          await insertNeighborhood(change.new, members, position);
        } else if (
          change.table === 'memberships' &&
          change.op === 'insert' &&
          created.has(change.new.neighborhood_id)
        ) {
          // Written with its neighborhood, in the same table transaction.
        } else {
          await applyChange(change, position);
        }
        counters.applied('forward');
      }
    },
  };
  return applier;

  async function applyChange(change: LegacyChange, position: string): Promise<void> {
    if (change.table === 'neighborhoods') {
      if (change.op === 'update') return updateNeighborhood(change.old, change.new, position);
      if (change.op === 'delete') return deleteNeighborhood(change.old, position);
      return;
    }
    if (change.op === 'insert') return insertMembership(change.new, position);
    if (change.op === 'delete') return deleteMembership(change.old, position);
    // The legacy service never updates a membership; an operator's update is a leave and a join.
    await deleteMembership(change.old, `${position}a`);
    await insertMembership(change.new, `${position}b`);
  }
}

export type ForwardApplier = ReturnType<typeof createForwardApplier>;
