import type pg from 'pg';

/**
 * The legacy service's SQL, statement by statement as ../shared/legacy/API.md lists it. Timestamps are never
 * set here: `created_at`, `updated_at` and `joined_at` come from the columns' `DEFAULT now()`.
 * Timestamps are formatted by PostgreSQL (all six fractional digits, as Python's isoformat gives them).
 */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')`;

const nbhdColumns = `n.id, n.name, n.description, n.created_by, ${iso('n.created_at')} AS created_at`;
const memberCount = '(SELECT count(*)::int FROM memberships m WHERE m.neighborhood_id = n.id) AS member_count';

export interface NbhdRow {
  id: number;
  name: string;
  description: string | null;
  created_by: string;
  created_at: string;
  member_count: number;
}

export interface MemberRow {
  id: number;
  user_id: string;
  joined_at: string;
}

type Db = Pick<pg.PoolClient, 'query'>;

export async function insertNeighborhood(
  db: Db,
  input: { name: string; description: string | null; createdBy: string },
): Promise<Omit<NbhdRow, 'member_count'>> {
  const { rows } = await db.query(
    `INSERT INTO neighborhoods (name, description, created_by) VALUES ($1, $2, $3)
     RETURNING id, name, description, created_by, ${iso('created_at')} AS created_at`,
    [input.name, input.description, input.createdBy],
  );
  return rows[0];
}

export async function insertMembership(db: Db, userId: string, nbhdId: number): Promise<void> {
  await db.query('INSERT INTO memberships (user_id, neighborhood_id) VALUES ($1, $2)', [userId, nbhdId]);
}

export async function selectNeighborhood(db: Db, nbhdId: number): Promise<NbhdRow | undefined> {
  const { rows } = await db.query(`SELECT ${nbhdColumns}, ${memberCount} FROM neighborhoods n WHERE n.id = $1`, [
    nbhdId,
  ]);
  return rows[0];
}

export async function selectMembership(db: Db, userId: string, nbhdId: number): Promise<{ id: number } | undefined> {
  const { rows } = await db.query('SELECT id FROM memberships WHERE user_id = $1 AND neighborhood_id = $2', [
    userId,
    nbhdId,
  ]);
  return rows[0];
}

export async function deleteMembership(db: Db, membershipId: number): Promise<void> {
  await db.query('DELETE FROM memberships WHERE id = $1', [membershipId]);
}

export async function selectNeighborhoodPage(db: Db, skip: number, limit: number): Promise<NbhdRow[]> {
  const { rows } = await db.query(
    `SELECT ${nbhdColumns}, ${memberCount} FROM neighborhoods n ORDER BY n.created_at DESC OFFSET $1 LIMIT $2`,
    [skip, limit],
  );
  return rows;
}

export async function selectMembers(db: Db, nbhdId: number): Promise<MemberRow[]> {
  const { rows } = await db.query(
    `SELECT id, user_id, ${iso('joined_at')} AS joined_at FROM memberships WHERE neighborhood_id = $1 ORDER BY id`,
    [nbhdId],
  );
  return rows;
}

export async function selectUserNeighborhoods(db: Db, userId: string): Promise<NbhdRow[]> {
  const { rows } = await db.query(
    `SELECT ${nbhdColumns}, ${memberCount} FROM neighborhoods n
     JOIN memberships mine ON mine.neighborhood_id = n.id AND mine.user_id = $1
     ORDER BY n.created_at DESC`,
    [userId],
  );
  return rows;
}
