import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** How far an import got: every input line up to `line` of `phase` is in the table. */
export interface Checkpoint {
  /** Identifies the export and table it belongs to, so a checkpoint is never applied to other data. */
  fingerprint: string;
  phase: 'neighborhoods' | 'memberships' | 'done';
  line: number;
  updated_at: string;
}

export function readCheckpoint(path: string): Checkpoint | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
}

/** Writes atomically (temp file + rename), so a crash mid-write leaves the previous checkpoint intact. */
export function writeCheckpoint(path: string, checkpoint: Omit<Checkpoint, 'updated_at'>): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, JSON.stringify({ ...checkpoint, updated_at: new Date().toISOString() }));
  renameSync(temp, path);
}

export function removeCheckpoint(path: string): void {
  rmSync(path, { force: true });
}

/**
 * Tracks batches that finish out of order (several are in flight) and reports the highest input line
 * below which every batch has finished: the only line it is safe to resume after.
 */
export function createWatermark(onAdvance: (line: number) => void) {
  let nextSequence = 0;
  let nextToSettle = 0;
  const settled = new Map<number, number>();
  return {
    /** Registers a batch ending at `line`; call the returned function when it is written. */
    register(line: number): () => void {
      const sequence = nextSequence++;
      return () => {
        settled.set(sequence, line);
        let advancedTo: number | undefined;
        while (settled.has(nextToSettle)) {
          advancedTo = settled.get(nextToSettle);
          settled.delete(nextToSettle);
          nextToSettle += 1;
        }
        if (advancedTo !== undefined) onAdvance(advancedTo);
      };
    },
  };
}
