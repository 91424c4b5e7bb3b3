/** Which deployment answered: blue is the legacy stand-in on PostgreSQL, green the new API on DynamoDB. */
export type Side = 'blue' | 'green';

export type WriteKind = 'create' | 'join' | 'leave' | 'rename' | 'describe' | 'delete';

/**
 * One write a side acknowledged (2xx), as the client saw it. `nbhd` is the id in the answering side's terms: an
 * integer on blue, a UUID on green; the checker maps both to the UUID.
 */
export interface AckedWrite {
  seq: number;
  side: Side;
  step: number;
  kind: WriteKind;
  user: string;
  nbhd: number | string;
  /** create and rename: the name sent; create and describe: the description sent. */
  name?: string;
  description?: string | null;
  /** Epoch milliseconds when the request was sent and when its answer arrived (one process clock). */
  sentAt: number;
  ackAt: number;
}

/** The acknowledged writes of a run, in the order their answers arrived. */
export function createLedger() {
  const writes: AckedWrite[] = [];
  return {
    writes,
    record(write: Omit<AckedWrite, 'seq'>): AckedWrite {
      const entry = { ...write, seq: writes.length };
      writes.push(entry);
      return entry;
    },
    countBySide(): Record<Side, number> {
      return {
        blue: writes.filter((w) => w.side === 'blue').length,
        green: writes.filter((w) => w.side === 'green').length,
      };
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
