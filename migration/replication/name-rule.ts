import type pg from 'pg';
import { normalizeName } from '../../server/data/neighborhood/keys.js';
import { toSuffixedName } from '../name-rules.js';
import {
  type CountingClient,
  findNeighborhoodLegacyId,
  inReplicatorTransaction,
  lockRow,
  mapId,
  recordConflict,
} from './postgres-side.js';
import type { NeighborhoodState, TableSide } from './table-side.js';

/** Instants compared as text need one form: PostgreSQL's has six fractional digits, the API's three. */
export function toComparableInstant(iso: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(6, '0').slice(0, 6)}Z` : iso;
}

/**
 * The import's collision rule, for names that meet across the two sides inside the lag window: the older
 * neighborhood (created_at, then the lower legacy id) keeps the name; the other becomes "{name} (#{legacy id})"
 * on both sides, so PostgreSQL and the table show the same name.
 */
export function keepsName(
  a: { created_at: string; legacyId: number | undefined },
  b: { created_at: string; legacyId: number | undefined },
): boolean {
  const ta = toComparableInstant(a.created_at);
  const tb = toComparableInstant(b.created_at);
  if (ta !== tb) return ta < tb;
  return (a.legacyId ?? Number.MAX_SAFE_INTEGER) <= (b.legacyId ?? Number.MAX_SAFE_INTEGER);
}

export function createNameRule(deps: {
  table: TableSide;
  pool: pg.Pool;
  countPostgres: () => void;
  detectedBy: 'forward' | 'reverse';
  onConflict?: () => void;
}) {
  const { table, pool, countPostgres, detectedBy } = deps;

  /** The first " (#n)", " (#n-2)"… form of `name` that no neighborhood claims in the table. */
  async function freeSuffixedName(name: string, legacyId: number): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      const candidate = toSuffixedName(name, legacyId, attempt);
      if (!(await table.readClaimHolder(candidate))) return candidate;
    }
  }

  async function record(client: CountingClient, loser: string, name: string, detail: Record<string, unknown>) {
    const recorded = await recordConflict(
      client,
      { kind: 'name-collision', key: `${normalizeName(name)}:${loser}`, detail },
      detectedBy,
    );
    if (recorded) deps.onConflict?.();
  }

  /** Renames a neighborhood in the table (claims swapped in one transaction) and, if it has a row, in PostgreSQL. */
  async function renameOnBothSides(
    client: CountingClient,
    nbhd: NeighborhoodState,
    legacyId: number | undefined,
    name: string,
  ) {
    await table.send({
      neighborhood: table.updateNeighborhood({ ...nbhd, name }, { name: nbhd.name }),
      oldNameClaim: table.deleteNameClaim(nbhd.name, nbhd.id),
      newNameClaim: table.putNameClaim(name, nbhd.id),
    });
    if (legacyId !== undefined)
      await client.query('UPDATE neighborhoods SET name = $2 WHERE id = $1', [legacyId, name]);
  }

  /**
   * Gives a neighborhood made on green its row in PostgreSQL (a new integer id, the id map, the table's
   * `LEGACY#NBHD#{n}` item), unless it has one. A row of exactly the same name (PostgreSQL's unique index) is
   * resolved by the collision rule first. Returns the legacy id.
   */
  async function land(client: CountingClient, nbhd: NeighborhoodState): Promise<number> {
    await lockRow(client, `nbhd:${nbhd.id}`);
    const known = await findNeighborhoodLegacyId(client, nbhd.id);
    if (known !== undefined) return known;
    const { rows: ids } = await client.query<{ id: string }>(
      `SELECT nextval(pg_get_serial_sequence('neighborhoods', 'id')) AS id`,
    );
    const legacyId = Number(ids[0]?.id);
    let name = nbhd.name;
    const { rows: same } = await client.query<{ id: number; name: string; created_at: string }>(
      `SELECT id, name, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at
       FROM neighborhoods WHERE name = $1 FOR UPDATE`,
      [name],
    );
    const rival = same[0];
    if (rival) {
      const greenKeeps = keepsName({ ...nbhd, legacyId }, { created_at: rival.created_at, legacyId: rival.id });
      if (greenKeeps) {
        const renamed = await freeSuffixedName(rival.name, rival.id);
        await client.query('UPDATE neighborhoods SET name = $2 WHERE id = $1', [rival.id, renamed]);
        await record(client, String(rival.id), name, { kept: nbhd.id, renamed: { legacy_id: rival.id, to: renamed } });
      } else {
        // The record's image may be old: renamed on green since, or by this rule before a kill stopped its
        // transaction (that rename's MODIFY is the replicator's own and never lands). The table's name then is
        // the one to land, unless PostgreSQL has it too; a rename against the old name would fail on every retry.
        const current = await table.readNeighborhood(nbhd.id);
        const open = current && !current.deleting_at ? current : undefined;
        const taken = async (n: string) =>
          Boolean((await client.query('SELECT 1 FROM neighborhoods WHERE name = $1', [n])).rowCount);
        if (open && open.name !== nbhd.name && !(await taken(open.name))) {
          name = open.name;
        } else {
          name = await freeSuffixedName(nbhd.name, legacyId);
          if (open?.name === nbhd.name) await renameOnBothSides(client, open, undefined, name);
        }
        await record(client, nbhd.id, nbhd.name, { kept: { legacy_id: rival.id }, renamed: { id: nbhd.id, to: name } });
      }
    }
    await client.query(
      `INSERT INTO neighborhoods (id, name, description, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [legacyId, name, nbhd.description ?? null, nbhd.created_by, nbhd.created_at, nbhd.updated_at ?? null],
    );
    await mapId(client, 'neighborhood', legacyId, nbhd.id);
    await table.send({ legacyId: table.putLegacyId(legacyId, nbhd.id) });
    return legacyId;
  }

  return {
    land,
    freeSuffixedName,

    /**
     * A neighborhood arriving from PostgreSQL wants `incoming.name`, which the table's claim gives another one:
     * the rule picks who keeps it. Returns the name to write the incoming one with (its own, once the holder is
     * renamed, or its suffixed form).
     */
    async resolveIncoming(incoming: NeighborhoodState, legacyId: number): Promise<string> {
      return inReplicatorTransaction(pool, countPostgres, async (client) => {
        await lockRow(client, `name:${normalizeName(incoming.name)}`);
        const holderId = await table.readClaimHolder(incoming.name);
        const holder = holderId && holderId !== incoming.id ? await table.readNeighborhood(holderId) : undefined;
        if (!holder) return incoming.name;
        const holderLegacyId = await findNeighborhoodLegacyId(client, holder.id);
        if (keepsName({ ...incoming, legacyId }, { created_at: holder.created_at, legacyId: holderLegacyId })) {
          const holderId2 = holderLegacyId ?? (await land(client, holder));
          const current = await table.readNeighborhood(holder.id);
          // Landing it just now may have renamed it already (or it went meanwhile): the name is free to claim.
          if (!current || current.deleting_at || normalizeName(current.name) !== normalizeName(incoming.name))
            return incoming.name;
          const renamed = await freeSuffixedName(holder.name, holderId2);
          await renameOnBothSides(client, current, holderId2, renamed);
          await record(client, holder.id, incoming.name, {
            kept: { legacy_id: legacyId },
            renamed: { id: holder.id, to: renamed },
          });
          return incoming.name;
        }
        const renamed = await freeSuffixedName(incoming.name, legacyId);
        await client.query('UPDATE neighborhoods SET name = $2 WHERE id = $1', [legacyId, renamed]);
        await record(client, incoming.id, incoming.name, {
          kept: holder.id,
          renamed: { legacy_id: legacyId, to: renamed },
        });
        return renamed;
      });
    },
  };
}
