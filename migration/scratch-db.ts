import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * A scratch SQLite database on disk (Node's built-in node:sqlite, so no native addon to build) for the
 * migration's per-row bookkeeping: the page cache is bounded and sorts spill to disk, so memory stays flat
 * however many rows there are. Scratch means no journal and no fsync; close() deletes the file.
 */
export function openScratchDb(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `nbhd-migrate-${name}-`));
  const db = new DatabaseSync(join(dir, `${name}.sqlite`));
  db.exec(`
    PRAGMA journal_mode = OFF;
    PRAGMA synchronous = OFF;
    PRAGMA temp_store = FILE;
    PRAGMA cache_size = -4096;
  `);
  let inTransaction = false;
  /** True while inOneTransaction runs: writes join its transaction. */
  let held = false;
  let pending = 0;
  const commit = () => {
    if (inTransaction) db.exec('COMMIT');
    inTransaction = false;
    pending = 0;
  };
  return {
    db,
    /** Runs a write inside a transaction of a few thousand rows: one per row would cost a commit each. */
    write(run: () => void) {
      if (held) return run();
      if (!inTransaction) {
        db.exec('BEGIN');
        inTransaction = true;
      }
      run();
      if (++pending >= 5_000) commit();
    },
    /** Ends the current write transaction; reads after this see every write. */
    commit,
    /** Runs `run` (reads and writes) in one transaction, rolled back if it throws. */
    inOneTransaction(run: () => void) {
      commit();
      db.exec('BEGIN');
      held = true;
      try {
        run();
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      } finally {
        held = false;
      }
    },
    close() {
      if (!db.isOpen) return;
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ScratchDb = ReturnType<typeof openScratchDb>;
