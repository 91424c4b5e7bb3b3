import { openScratchDb } from './scratch-db.js';

/**
 * The migration plan's scratch space (scratch-db.ts). Holding per-neighborhood names and counts in Maps made the
 * importer's memory grow with the data (~1.8 KB per neighborhood); here they live on disk, and the window query
 * that finds name collisions sorts on disk too.
 */
export function openPlanStore() {
  const scratch = openScratchDb('plan');
  const { db, write, commit } = scratch;
  db.exec(`
    CREATE TABLE nbhd (
      seq INTEGER NOT NULL, id INTEGER PRIMARY KEY, created_at TEXT NOT NULL,
      name TEXT NOT NULL, normalized TEXT NOT NULL
    );
    CREATE TABLE renamed (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE taken (normalized TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE member_count (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
    CREATE TABLE refused (id INTEGER PRIMARY KEY);
    CREATE TABLE issue (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, json TEXT NOT NULL);
  `);
  const statements = {
    addNbhd: db.prepare('INSERT INTO nbhd (seq, id, created_at, name, normalized) VALUES (?, ?, ?, ?, ?)'),
    addIssue: db.prepare('INSERT INTO issue (kind, json) VALUES (?, ?)'),
    countMember: db.prepare('INSERT INTO member_count (id, n) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1'),
    isTaken: db.prepare('SELECT 1 AS taken FROM taken WHERE normalized = ?'),
    take: db.prepare('INSERT INTO taken (normalized) VALUES (?)'),
    rename: db.prepare('INSERT INTO renamed (id, name) VALUES (?, ?)'),
    nameOf: db.prepare(
      'SELECT coalesce(renamed.name, nbhd.name) AS name FROM nbhd LEFT JOIN renamed USING (id) WHERE nbhd.id = ?',
    ),
    memberCountOf: db.prepare('SELECT n FROM member_count WHERE id = ?'),
    refuse: db.prepare('INSERT OR IGNORE INTO refused (id) VALUES (?)'),
    isRefused: db.prepare('SELECT 1 AS refused FROM refused WHERE id = ?'),
  };
  return {
    addNeighborhood(row: { seq: number; id: number; createdAt: string; name: string; normalized: string }) {
      write(() => statements.addNbhd.run(row.seq, row.id, row.createdAt, row.name, row.normalized));
    },
    addIssue(kind: string, issue: unknown) {
      write(() => statements.addIssue.run(kind, JSON.stringify(issue)));
    },
    /** A neighborhood the import does not write (and whose memberships it does not write either). */
    refuseNeighborhood(id: number) {
      write(() => statements.refuse.run(id));
    },
    isRefused: (id: number) => statements.isRefused.get(id) !== undefined,
    countMembership(neighborhoodId: number) {
      write(() => statements.countMember.run(neighborhoodId));
    },
    /**
     * Calls `resolve` for every neighborhood that is not the oldest (created_at, then id) of its normalized
     * name, in the order it was added, with the id of the one that keeps the name. Every legacy name is marked
     * taken first; `resolve` checks candidates with `isTaken` and records its choice with `rename`.
     */
    forEachCollision(resolve: (row: { id: number; name: string; owner: number }, names: NameRegistry) => void) {
      scratch.inOneTransaction(() => {
        db.exec('INSERT OR IGNORE INTO taken (normalized) SELECT normalized FROM nbhd');
        const query = db.prepare(`
        SELECT id, name, owner FROM (
          SELECT seq, id, name,
            row_number() OVER (PARTITION BY normalized ORDER BY created_at, id) AS rank,
            first_value(id) OVER (PARTITION BY normalized ORDER BY created_at, id) AS owner
          FROM nbhd
        ) WHERE rank > 1 ORDER BY seq`);
        const names: NameRegistry = {
          isTaken: (normalized) => statements.isTaken.get(normalized) !== undefined,
          rename(id, name, normalized) {
            statements.take.run(normalized);
            statements.rename.run(id, name);
          },
        };
        for (const row of query.iterate() as Iterable<{ id: number; name: string; owner: number }>) {
          resolve(row, names);
        }
      });
    },
    /** Ends the writing phase; lookups after this see everything. */
    finish: commit,
    nameOf: (id: number) => (statements.nameOf.get(id) as { name: string } | undefined)?.name,
    memberCountOf: (id: number) => (statements.memberCountOf.get(id) as { n: number } | undefined)?.n ?? 0,
    issueCounts(): Record<string, number> {
      const rows = db.prepare('SELECT kind, count(*) AS n FROM issue GROUP BY kind ORDER BY kind').all() as {
        kind: string;
        n: number;
      }[];
      return Object.fromEntries(rows.map((row) => [row.kind, row.n]));
    },
    *issues(): Generator<string> {
      for (const row of db.prepare('SELECT json FROM issue ORDER BY seq').iterate() as Iterable<{ json: string }>) {
        yield row.json;
      }
    },
    close: scratch.close,
  };
}

/** The names in use while collisions are resolved (every legacy name, plus each new suffixed one). */
export interface NameRegistry {
  isTaken(normalized: string): boolean;
  rename(id: number, name: string, normalized: string): void;
}

export type PlanStore = ReturnType<typeof openPlanStore>;
