import type pg from 'pg';
import { toNeighborhoodUuid } from '../../migration/ids.js';
import { sqlNames } from '../../migration/replication/postgres-side.js';
import type { FinalNbhd, ReplicationConflict } from './final-state.js';
import type { SideCall } from './side-client.js';

export interface IdMap {
  uuidOf(legacyId: number): string | undefined;
  legacyIdOf(uuid: string): number | undefined;
}

/**
 * The replication's id map (rows are never removed), and for an integer it lacks the UUIDv5 the forward direction
 * gives a neighborhood made on blue (as `findNeighborhoodUuid` does). `legacyIds`: every integer the run saw
 * (blue's acknowledgements, blue's rows), so a UUIDv5 maps back even after its row was deleted.
 */
export async function readIdMap(sql: pg.Pool, legacyIds: Iterable<number> = []): Promise<IdMap> {
  const { rows } = await sql.query<{ legacy_id: number; uuid: string }>(
    `SELECT legacy_id, uuid::text AS uuid FROM ${sqlNames.idMap} WHERE kind = 'neighborhood'`,
  );
  const byLegacy = new Map(rows.map((r) => [Number(r.legacy_id), r.uuid]));
  const byUuid = new Map(rows.map((r) => [r.uuid, Number(r.legacy_id)]));
  const rowIds = await sql.query<{ id: number }>('SELECT id FROM neighborhoods');
  for (const id of [...legacyIds, ...rowIds.rows.map((r) => Number(r.id))]) {
    if (byLegacy.has(id)) continue;
    byLegacy.set(id, toNeighborhoodUuid(id));
    byUuid.set(toNeighborhoodUuid(id), id);
  }
  return { uuidOf: (id) => byLegacy.get(id), legacyIdOf: (uuid) => byUuid.get(uuid) };
}

/** Blue's final state, read from its database (what its reads serve: rows and a count of memberships). */
export async function readBlueState(sql: pg.Pool, ids: IdMap): Promise<FinalNbhd[]> {
  const nbhds = await sql.query<{ id: number; name: string; description: string | null; created_by: string }>(
    'SELECT id, name, description, created_by FROM neighborhoods ORDER BY id',
  );
  const members = await sql.query<{ neighborhood_id: number; user_id: string }>(
    'SELECT neighborhood_id, user_id FROM memberships ORDER BY id',
  );
  const byNbhd = new Map<number, string[]>();
  for (const m of members.rows) {
    const id = Number(m.neighborhood_id);
    byNbhd.set(id, [...(byNbhd.get(id) ?? []), m.user_id]);
  }
  return nbhds.rows.map((n) => {
    const list = byNbhd.get(Number(n.id)) ?? [];
    return {
      uuid: ids.uuidOf(Number(n.id)),
      legacyId: Number(n.id),
      name: n.name,
      description: n.description,
      createdBy: n.created_by,
      memberCount: list.length,
      members: list,
    };
  });
}

interface GreenNbhd {
  id: string;
  name: string;
  description: string | null;
  created_by: string;
  member_count: number;
}
interface GreenDetail extends GreenNbhd {
  members: Array<{ user_id: string }>;
  members_next_cursor: string | null;
}

/** Green's final state through its API: every page of the list, each neighborhood's detail and member pages. */
export async function readGreenState(call: SideCall, ids: IdMap): Promise<FinalNbhd[]> {
  const listed: GreenNbhd[] = [];
  for (let skip = 0; ; skip += 100) {
    // skip/limit, the legacy paging green keeps: the newest-first order is stable once writes have stopped.
    const page = await call<GreenNbhd[]>('green', 'GET', `/api/nbhds?skip=${skip}&limit=100`);
    if (page.status !== 200) throw new Error(`green list answered ${page.status}`);
    // The same id twice in the list is kept: the checker reports it.
    listed.push(...page.body);
    if (page.body.length < 100) break;
  }
  const result: FinalNbhd[] = [];
  for (const n of listed) {
    const detail = await call<GreenDetail>('green', 'GET', `/api/nbhds/${n.id}`);
    if (detail.status !== 200) throw new Error(`green detail of ${n.id} answered ${detail.status}`);
    const members = detail.body.members.map((m) => m.user_id);
    for (let cursor = detail.body.members_next_cursor; cursor; ) {
      const page = await call<{ members: Array<{ user_id: string }>; next_cursor: string | null }>(
        'green',
        'GET',
        `/api/nbhds/${n.id}/members?cursor=${encodeURIComponent(cursor)}`,
      );
      if (page.status !== 200) throw new Error(`green members of ${n.id} answered ${page.status}`);
      members.push(...page.body.members.map((m) => m.user_id));
      cursor = page.body.next_cursor;
    }
    result.push({
      uuid: n.id,
      legacyId: ids.legacyIdOf(n.id),
      name: detail.body.name,
      description: detail.body.description,
      createdBy: detail.body.created_by,
      memberCount: detail.body.member_count,
      members,
    });
  }
  return result;
}

export async function readConflicts(sql: pg.Pool): Promise<ReplicationConflict[]> {
  const { rows } = await sql.query<ReplicationConflict & { detected_at: Date }>(
    `SELECT kind, key, detail, detected_at FROM ${sqlNames.conflicts} ORDER BY id`,
  );
  return rows.map((r) => ({ ...r, detected_at: r.detected_at.toISOString() }));
}
