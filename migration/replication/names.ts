/**
 * The names replication puts on both sides, in one place: what `replicate setup` creates and `replicate teardown`
 * removes on PostgreSQL, and the bookkeeping it keeps there and in the table.
 */
export const replicationNames = {
  /** Everything replication keeps in PostgreSQL lives in this schema; teardown drops it. */
  schema: 'nbhd_replication',
  /** The publication of the two legacy tables that logical decoding reads (pgoutput). */
  publication: 'nbhd_replication',
  /** The logical replication slot: PostgreSQL keeps WAL from its confirmed position until the forward reads it. */
  slot: 'nbhd_replication',
  /**
   * The replication origin of the reverse direction's PostgreSQL sessions: the forward asks pgoutput for
   * `origin 'none'`, so rows the reverse wrote never come back as changes (no echo).
   */
  origin: 'nbhd_green',
} as const;

/**
 * The attribute the forward direction stamps on every table item it writes, with a value new to each write.
 * A stream record whose NewImage carries a value its OldImage did not is the forward's own write: the reverse
 * skips it (no echo). The API never writes it, so an API update keeps the old value and is replicated.
 * verify ignores it.
 */
export const replicationMarkerAttribute = 'repl_txn';

/** Partition key of the forward direction's checkpoint item, written in the same transaction as each change. */
export const forwardCheckpointKey = { PK: 'REPL#FORWARD', SK: 'CHECKPOINT' } as const;
