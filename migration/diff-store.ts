import { openScratchDb } from './scratch-db.js';
import { type StoredItem, toKeyString } from './target-items.js';

/**
 * What diffTable must remember between reading the source and scanning the table, on disk (scratch-db.ts):
 * every item the table must hold, marked as the scan meets it, and the neighborhoods, membership counts and
 * name claims the scan finds, for the invariant checks. Memory stays flat however many rows there are.
 */
export function openDiffStore() {
  const scratch = openScratchDb('diff');
  const { db, write } = scratch;
  db.exec(`
    CREATE TABLE expected (key TEXT PRIMARY KEY, json TEXT NOT NULL, seen INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
    CREATE TABLE nbhd (id TEXT PRIMARY KEY, pk TEXT NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE members (pk TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE claim (seq INTEGER PRIMARY KEY, json TEXT NOT NULL);
  `);
  const statements = {
    expect: db.prepare('INSERT OR REPLACE INTO expected (key, json) VALUES (?, ?)'),
    take: db.prepare('UPDATE expected SET seen = 1 WHERE key = ? RETURNING json'),
    addNbhd: db.prepare('INSERT OR REPLACE INTO nbhd (id, pk, json) VALUES (?, ?, ?)'),
    countMember: db.prepare('INSERT INTO members (pk, n) VALUES (?, 1) ON CONFLICT (pk) DO UPDATE SET n = n + 1'),
    addClaim: db.prepare('INSERT INTO claim (json) VALUES (?)'),
    nbhdById: db.prepare('SELECT json FROM nbhd WHERE id = ?'),
    expects: db.prepare('SELECT 1 AS found FROM expected WHERE key = ?'),
    // Run only for the few legacy-id items the source does not expect: a scan is fine.
    legacyIdFor: db.prepare(
      "SELECT 1 AS found FROM expected WHERE json_extract(json, '$.PK') LIKE 'LEGACY#NBHD#%' AND json_extract(json, '$.nbhd_id') = ?",
    ),
  };
  const parse = (row: unknown) => JSON.parse((row as { json: string }).json) as StoredItem;
  return {
    expect(item: StoredItem) {
      write(() => statements.expect.run(toKeyString(item), JSON.stringify(item)));
    },
    /** The item the source says belongs under this key (marking it met), or undefined. */
    take(key: string): StoredItem | undefined {
      let row: unknown;
      write(() => {
        row = statements.take.get(key);
      });
      return row === undefined ? undefined : parse(row);
    },
    addNeighborhood(item: StoredItem) {
      write(() => statements.addNbhd.run(String(item.id), String(item.PK), JSON.stringify(item)));
    },
    countMembership(partition: string) {
      write(() => statements.countMember.run(partition));
    },
    addClaim(item: StoredItem) {
      write(() => statements.addClaim.run(JSON.stringify(item)));
    },
    /** Whether the scan met a neighborhood item of this id. */
    hasNeighborhood(id: string): boolean {
      scratch.commit();
      return statements.nbhdById.get(id) !== undefined;
    },
    /** Whether the source says the table must hold an item under this key. */
    expects(key: string): boolean {
      return statements.expects.get(key) !== undefined;
    },
    /** Whether the source gives this neighborhood a legacy id (a `LEGACY#NBHD#{n}` item it expects). */
    hasLegacyIdFor(id: string): boolean {
      return statements.legacyIdFor.get(id) !== undefined;
    },
    /** Expected items the scan never met, in key order. */
    *unseen(): Generator<StoredItem> {
      scratch.commit();
      for (const row of db.prepare('SELECT json FROM expected WHERE seen = 0 ORDER BY key').iterate()) {
        yield parse(row);
      }
    },
    /** Every neighborhood item with the number of membership items in its partition. */
    *neighborhoodsWithMembers(): Generator<{ nbhd: StoredItem; members: number }> {
      scratch.commit();
      const query = db.prepare(
        'SELECT nbhd.json AS json, coalesce(members.n, 0) AS n FROM nbhd LEFT JOIN members USING (pk) ORDER BY nbhd.pk',
      );
      for (const row of query.iterate()) yield { nbhd: parse(row), members: (row as { n: number }).n };
    },
    /** Membership partitions with no neighborhood item. */
    *orphanPartitions(): Generator<{ partition: string; members: number }> {
      scratch.commit();
      const query = db.prepare('SELECT pk, n FROM members WHERE pk NOT IN (SELECT pk FROM nbhd) ORDER BY pk');
      for (const row of query.iterate() as Iterable<{ pk: string; n: number }>) {
        yield { partition: row.pk, members: row.n };
      }
    },
    *claims(): Generator<{ claim: StoredItem; nbhd: StoredItem | undefined }> {
      scratch.commit();
      for (const row of db.prepare('SELECT json FROM claim ORDER BY seq').iterate()) {
        const claim = parse(row);
        const nbhd = statements.nbhdById.get(String(claim.nbhd_id));
        yield { claim, nbhd: nbhd === undefined ? undefined : parse(nbhd) };
      }
    },
    close: scratch.close,
  };
}

export type DiffStore = ReturnType<typeof openDiffStore>;
