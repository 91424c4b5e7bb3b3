import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type pg from 'pg';
import { toMembershipUuid } from '../ids.js';
import { createNameRule, keepsName, toComparableInstant } from './name-rule.js';
import { replicationMarkerAttribute } from './names.js';
import {
  type CountingClient,
  findMembershipUuid,
  findNeighborhoodLegacyId,
  inReplicatorTransaction,
  lockRow,
  mapId,
  recordConflict,
  sqlNames,
} from './postgres-side.js';
import { createReplicationCounters, type ReplicationCounters } from './progress.js';
import type { ApplyRecordsResult, StreamRecord } from './stream-record.js';
import { createTableSide, type MembershipState, type NeighborhoodState } from './table-side.js';

export interface ReverseApplierDeps {
  pool: pg.Pool;
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  log?: (event: Record<string, unknown>) => void;
  counters?: ReplicationCounters;
}

/** The attributes of a neighborhood that PostgreSQL holds (member_count is its memberships' count there). */
/**
 * Neighborhoods whose membership records are applied at once (each on its own connection: the pool's size
 * bounds it too, e.g. the Lambda function's one or two).
 */
const reverseParallelism = 3;

const replicatedFields = ['name', 'description', 'updated_at', 'created_by', 'created_at'] as const;

/** UUIDv5 ids come from PostgreSQL (the import or the forward direction); the API makes random (v4) ones. */
export const isFromPostgres = (uuid: unknown) => typeof uuid === 'string' && uuid[14] === '5';

type Image = Record<string, unknown>;

const toImage = (image: Record<string, AttributeValue> | undefined): Image | undefined =>
  image ? (unmarshall(image as never) as Image) : undefined;

/**
 * Applies DynamoDB Streams records (green's writes) to PostgreSQL in the legacy schema, so the legacy service
 * serves them as its own: the same code runs in `npm run migrate -- replicate` and in the stream's Lambda. Each
 * record is one PostgreSQL transaction that also records the record's sequence number for its item, so a record
 * delivered twice is applied once; each carries the replicator's logical message, so the forward direction never
 * sees it (no echo). Records of the forward's own writes (marked, or of UUIDv5 rows) and of items PostgreSQL does
 * not hold are skipped without touching PostgreSQL.
 */
export function createReverseApplier(deps: ReverseApplierDeps) {
  const counters = deps.counters ?? createReplicationCounters();
  const table = createTableSide(deps.documentClient, deps.tableName, () => counters.dynamodb('reverse'));
  const countPostgres = () => counters.postgres('reverse');
  const et = table.entityAttribute;
  const names = createNameRule({
    table,
    pool: deps.pool,
    countPostgres,
    detectedBy: 'reverse',
    onConflict: () => counters.conflict('reverse'),
  });
  const conflict = async (
    client: CountingClient,
    kind: Parameters<typeof recordConflict>[1]['kind'],
    key: string,
    detail: Record<string, unknown>,
  ) => {
    if (await recordConflict(client, { kind, key, detail }, 'reverse')) counters.conflict('reverse');
  };

  /** What a record asks of PostgreSQL, or undefined when it asks nothing (decided without a query). */
  function classify(record: StreamRecord) {
    const newImage = toImage(record.dynamodb?.NewImage);
    const oldImage = toImage(record.dynamodb?.OldImage);
    const image = newImage ?? oldImage;
    const entity = image?.[et];
    const event = record.eventName;
    if (entity === table.entityNames.neighborhood) {
      if (
        event !== 'REMOVE' &&
        newImage?.[replicationMarkerAttribute] !== undefined &&
        newImage[replicationMarkerAttribute] !== oldImage?.[replicationMarkerAttribute]
      )
        return undefined; // echo
      if (event === 'INSERT' && isFromPostgres(newImage?.id)) return undefined;
      if (event === 'MODIFY') {
        if (newImage?.deleting_at !== undefined) return undefined; // a delete in progress: its REMOVE follows
        if (replicatedFields.every((f) => newImage?.[f] === oldImage?.[f])) return undefined; // member_count only
      }
      return { kind: 'neighborhood' as const, event, newImage, oldImage };
    }
    if (entity === table.entityNames.membership) {
      if (event === 'MODIFY') return undefined; // only replication replaces a membership (a merged duplicate join)
      if (event === 'INSERT' && isFromPostgres(newImage?.id)) return undefined;
      return { kind: 'membership' as const, event, newImage, oldImage };
    }
    return undefined;
  }

  async function applyNeighborhood(
    client: CountingClient,
    event: string | undefined,
    image: Image,
    old: Image | undefined,
  ) {
    const nbhd = image as unknown as NeighborhoodState;
    if (event === 'INSERT') {
      await names.land(client, nbhd);
      return;
    }
    const legacyId = await findNeighborhoodLegacyId(client, nbhd.id);
    if (event === 'REMOVE') {
      if (legacyId === undefined) return;
      // The legacy foreign key has no cascade: memberships first.
      await client.query('DELETE FROM memberships WHERE neighborhood_id = $1', [legacyId]);
      await client.query('DELETE FROM neighborhoods WHERE id = $1', [legacyId]);
      return;
    }
    const id = legacyId ?? (isFromPostgres(nbhd.id) ? undefined : await names.land(client, nbhd));
    if (id === undefined) return;
    const { rows } = await client.query<{ name: string; description: string | null; updated_at: string | null }>(
      `SELECT name, description, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at
       FROM neighborhoods WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (!row) {
      await conflict(client, 'delete-vs-rename', `${nbhd.id}:${String(nbhd.updated_at)}`, {
        neighborhood: nbhd.id,
        rule: 'the delete made in PostgreSQL wins over the change made on green',
      });
      return;
    }
    const expected = toComparableInstant(String(old?.updated_at ?? ''));
    if (old && (row.updated_at ?? '') !== (old.updated_at === undefined ? '' : expected)) {
      // PostgreSQL changed the row since the image green changed: the later updated_at wins.
      const greenWins = toComparableInstant(String(nbhd.updated_at ?? '')) > (row.updated_at ?? '');
      await conflict(client, 'rename-vs-rename', `${nbhd.id}:${String(nbhd.updated_at)}`, {
        neighborhood: nbhd.id,
        kept: greenWins ? 'table' : 'postgres',
        rule: 'the later updated_at wins',
      });
      if (!greenWins) return;
    }
    let name = nbhd.name;
    const { rows: same } = await client.query<{ id: number; name: string; created_at: string }>(
      `SELECT id, name, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at
       FROM neighborhoods WHERE name = $1 AND id <> $2 FOR UPDATE`,
      [name, id],
    );
    const rival = same[0];
    if (rival) {
      // A rename on green to a name blue created inside the lag window (exactly: PostgreSQL's index).
      if (
        keepsName({ created_at: nbhd.created_at, legacyId: id }, { created_at: rival.created_at, legacyId: rival.id })
      ) {
        await client.query('UPDATE neighborhoods SET name = $2 WHERE id = $1', [
          rival.id,
          await names.freeSuffixedName(rival.name, rival.id),
        ]);
      } else {
        name = await names.freeSuffixedName(nbhd.name, id);
        const current = (await table.readNeighborhood(nbhd.id)) ?? nbhd;
        await table.send({
          neighborhood: table.updateNeighborhood({ ...current, name }, { name: current.name }),
          oldNameClaim: table.deleteNameClaim(current.name, nbhd.id),
          newNameClaim: table.putNameClaim(name, nbhd.id),
        });
      }
      await conflict(client, 'name-collision', `${nbhd.name.normalize('NFKC').toLowerCase()}:${rival.id}`, {
        neighborhood: nbhd.id,
        rival: rival.id,
        rule: 'the older neighborhood keeps the name',
      });
    }
    await client.query('UPDATE neighborhoods SET name = $2, description = $3, updated_at = $4 WHERE id = $1', [
      id,
      name,
      nbhd.description ?? null,
      nbhd.updated_at ?? null,
    ]);
  }

  async function applyMembership(client: CountingClient, event: string | undefined, image: Image) {
    const member = image as unknown as MembershipState;
    await lockRow(client, `member:${member.nbhd_id}:${member.user_id}`);
    let legacyNbhd = await findNeighborhoodLegacyId(client, member.nbhd_id);
    if (event === 'REMOVE') {
      if (legacyNbhd === undefined) return;
      const { rows } = await client.query<{ id: number }>(
        'SELECT id FROM memberships WHERE user_id = $1 AND neighborhood_id = $2 FOR UPDATE',
        [member.user_id, legacyNbhd],
      );
      const row = rows[0];
      if (!row) return; // left on both sides, or the forward's own delete
      if ((await findMembershipUuid(client, row.id)) === member.id) {
        await client.query('DELETE FROM memberships WHERE id = $1', [row.id]);
      } else {
        await conflict(client, 'leave-vs-join', `${member.nbhd_id}:${member.user_id}:${toMembershipUuid(row.id)}`, {
          neighborhood: member.nbhd_id,
          user_id: member.user_id,
          left_on: 'green',
          joined_again_on: 'blue',
          rule: 'the new join stands',
        });
      }
      return;
    }
    // INSERT: a join (or a create's creator) made on green.
    if (legacyNbhd === undefined) {
      const nbhd = await table.readNeighborhood(member.nbhd_id);
      if (!nbhd || nbhd.deleting_at) return; // deleted again before it reached PostgreSQL
      legacyNbhd = await names.land(client, nbhd);
    }
    const known = await client.query(`SELECT 1 FROM ${sqlNames.idMap} WHERE kind = 'membership' AND uuid = $1`, [
      member.id,
    ]);
    if (known.rowCount) return; // landed already (merged with blue's, and maybe left since)
    const exists = await client.query('SELECT 1 FROM neighborhoods WHERE id = $1 FOR SHARE', [legacyNbhd]);
    if (!exists.rowCount) {
      await conflict(client, 'delete-vs-join', `${member.nbhd_id}:${member.user_id}:${member.id}`, {
        neighborhood: member.nbhd_id,
        user_id: member.user_id,
        joined_on: 'green',
        rule: 'the delete made in PostgreSQL wins',
      });
      return;
    }
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO memberships (user_id, neighborhood_id, joined_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, neighborhood_id) DO NOTHING RETURNING id`,
      [member.user_id, legacyNbhd, member.joined_at],
    );
    const landed = inserted.rows[0];
    if (landed) {
      await mapId(client, 'membership', landed.id, member.id);
      return;
    }
    // Joined on both sides inside the lag window: one membership, the earlier join (blue's on a tie).
    const { rows } = await client.query<{ id: number; joined_at: string }>(
      `SELECT id, to_char(joined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS joined_at
       FROM memberships WHERE user_id = $1 AND neighborhood_id = $2 FOR UPDATE`,
      [member.user_id, legacyNbhd],
    );
    const blue = rows[0];
    if (!blue) throw new Error('membership vanished during a duplicate join');
    const blueId = await findMembershipUuid(client, blue.id);
    if (blueId === member.id) return;
    // Green's membership gone (or replaced) already: that join was left since (its REMOVE follows in the stream),
    // so it is no rival to blue's join. Merging would make that REMOVE delete blue's row.
    if ((await table.readMembership(member.nbhd_id, member.user_id))?.id !== member.id) return;
    const blueWins = blue.joined_at <= toComparableInstant(member.joined_at);
    if (blueWins) {
      await table
        .send({
          membership: table.putMembership({ ...member, id: blueId, joined_at: blue.joined_at }, member.id),
        })
        .catch(() => undefined); // resolved by the forward already, or left since
      // Marks blue's join as applied: the forward, reaching it later, must not put it back once green leaves.
      await mapId(client, 'membership', blue.id, blueId);
    } else {
      await client.query('UPDATE memberships SET joined_at = $2 WHERE id = $1', [blue.id, member.joined_at]);
      await mapId(client, 'membership', blue.id, member.id);
    }
    await conflict(client, 'duplicate-join', `${member.nbhd_id}:${member.user_id}:${member.id}`, {
      neighborhood: member.nbhd_id,
      user_id: member.user_id,
      blue: { legacy_id: blue.id, joined_at: blue.joined_at },
      green: { id: member.id, joined_at: member.joined_at },
      kept: blueWins ? 'blue' : 'green',
      rule: 'one membership: the earlier join',
    });
  }

  return {
    counters,
    /**
     * Applies one shard's records in order per neighborhood; stops at the first that fails and names its
     * SequenceNumber (everything before it is applied). A run of membership records is applied a neighborhood at
     * a time in parallel (a neighborhood's records, its memberships included, share one partition key and stay in
     * order); a neighborhood record (a create, rename or delete can free or take a name another one needs) waits
     * for everything before it and runs alone. A record applied again after a failure is skipped by its sequence
     * number per item.
     */
    async applyRecords(records: readonly StreamRecord[]): Promise<ApplyRecordsResult> {
      let applied = 0;
      let skipped = 0;
      const applyOne = async (record: StreamRecord, work: ReturnType<typeof classify>) => {
        if (!work) {
          skipped += 1;
          counters.skipped('reverse');
          return;
        }
        const sequenceNumber = record.dynamodb?.SequenceNumber ?? '0';
        const image = (work.newImage ?? work.oldImage) as Image;
        const itemKey = `${String(image.PK)} ${String(image.SK)}`;
        const done = await inReplicatorTransaction(deps.pool, countPostgres, async (client) => {
          const fresh = await client.query(
            `INSERT INTO ${sqlNames.reverseApplied} (item_key, sequence_number) VALUES ($1, $2)
             ON CONFLICT (item_key) DO UPDATE SET sequence_number = EXCLUDED.sequence_number, applied_at = now()
             WHERE ${sqlNames.reverseApplied}.sequence_number < EXCLUDED.sequence_number RETURNING 1`,
            [itemKey, sequenceNumber],
          );
          if (!fresh.rowCount) return false; // delivered before: applied once already
          if (work.kind === 'neighborhood') await applyNeighborhood(client, work.event, image, work.oldImage);
          else await applyMembership(client, work.event, image);
          return true;
        });
        if (done) {
          applied += 1;
          counters.applied('reverse', lagOf(record));
        } else {
          skipped += 1;
          counters.skipped('reverse');
        }
      };
      const works = records.map((record, index) => ({ record, index, work: classify(record) }));
      const partitionOf = (w: (typeof works)[number]) => {
        const image = w.work?.newImage ?? w.work?.oldImage;
        return image ? String(image.PK) : '';
      };
      for (let i = 0; i < works.length; ) {
        let end = i;
        while (end < works.length && works[end]?.work?.kind !== 'neighborhood') end += 1;
        const run = end > i ? works.slice(i, end) : works.slice(i, i + 1);
        const byPartition = new Map<string, typeof works>();
        for (const w of run) {
          const list = byPartition.get(partitionOf(w));
          if (list) list.push(w);
          else byPartition.set(partitionOf(w), [w]);
        }
        const failures: Array<{ index: number; error: unknown }> = [];
        const queue = [...byPartition.values()];
        const worker = async () => {
          for (let list = queue.shift(); list; list = queue.shift()) {
            for (const w of list) {
              try {
                await applyOne(w.record, w.work);
              } catch (error) {
                failures.push({ index: w.index, error });
                break;
              }
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(reverseParallelism, queue.length) }, worker));
        if (failures.length > 0) {
          const first = failures.reduce((a, b) => (b.index < a.index ? b : a));
          const sequenceNumber = works[first.index]?.record.dynamodb?.SequenceNumber ?? '0';
          deps.log?.({
            level: 'error',
            message: 'reverse apply failed',
            sequence_number: sequenceNumber,
            error: String(first.error),
          });
          return { applied, skipped, failed: { sequenceNumber, error: first.error } };
        }
        i += run.length;
      }
      return { applied, skipped };
    },
  };
}

/** Milliseconds from the write (the item's own timestamp) to now; undefined for a removal. */
function lagOf(record: StreamRecord): number | undefined {
  // A removal carries no time of its own, and the record's is rounded (to the second; the minute locally).
  const image = toImage(record.dynamodb?.NewImage);
  const stamp = image?.updated_at ?? image?.joined_at ?? image?.created_at;
  const at = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
  return Number.isFinite(at) ? Math.max(0, Date.now() - at) : undefined;
}

export type ReverseApplier = ReturnType<typeof createReverseApplier>;
