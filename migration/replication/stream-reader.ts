import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type pg from 'pg';
import { sqlNames } from './postgres-side.js';
import type { ApplyRecordsResult, StreamRecord } from './stream-record.js';

export class StreamMissingError extends Error {
  override readonly name = 'StreamMissingError';
}

export class CheckpointTrimmedError extends Error {
  override readonly name = 'CheckpointTrimmedError';
}

interface ShardPosition {
  shard_id: string;
  last_sequence_number: string | null;
  closed: boolean;
}

/** The table's stream ARN, or a clear error when the stream is off. */
export async function findStreamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.StreamSpecification?.StreamEnabled || !Table.LatestStreamArn) {
    throw new StreamMissingError(
      `the table ${tableName} has no stream: run \`npm run migrate -- replicate setup\` (it enables NEW_AND_OLD_IMAGES)`,
    );
  }
  if (Table.StreamSpecification.StreamViewType !== 'NEW_AND_OLD_IMAGES') {
    throw new StreamMissingError(
      `the table's stream is ${Table.StreamSpecification.StreamViewType}; replication needs NEW_AND_OLD_IMAGES`,
    );
  }
  return Table.LatestStreamArn;
}

/**
 * Reads the table's stream for the CLI (a Lambda event source mapping does the same in AWS): every shard in
 * parent-before-child order (a shard's records are in order per item), from where the last run stopped (kept in
 * PostgreSQL), and hands each page of records to the reverse applier. A shard whose records are all applied and
 * that DynamoDB has closed is done.
 */
export function createStreamReader(deps: {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  pool: pg.Pool;
  apply: (records: StreamRecord[]) => Promise<ApplyRecordsResult>;
}) {
  const iterators = new Map<string, string>();

  async function listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await deps.streams.send(
        new DescribeStreamCommand({ StreamArn: deps.streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  async function positions(): Promise<Map<string, ShardPosition>> {
    const { rows } = await deps.pool.query<ShardPosition>(
      `SELECT shard_id, last_sequence_number, closed FROM ${sqlNames.streamShards}`,
    );
    return new Map(rows.map((row) => [row.shard_id, row]));
  }

  async function iteratorFor(shard: Shard, position: ShardPosition | undefined): Promise<string | undefined> {
    const cached = iterators.get(shard.ShardId as string);
    if (cached) return cached;
    try {
      const { ShardIterator } = await deps.streams.send(
        new GetShardIteratorCommand({
          StreamArn: deps.streamArn,
          ShardId: shard.ShardId,
          ...(position?.last_sequence_number
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: position.last_sequence_number }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      return ShardIterator;
    } catch (error) {
      if ((error as { name?: string }).name === 'TrimmedDataAccessException') {
        throw new CheckpointTrimmedError(
          `the reverse checkpoint of shard ${shard.ShardId} (${position?.last_sequence_number}) is older than the stream's ` +
            '24-hour retention: records were lost to the stream. Run `npm run migrate -- verify`, repair with `sync`, then ' +
            `delete the shard positions (DELETE FROM ${sqlNames.streamShards}) and start again`,
        );
      }
      throw error;
    }
  }

  async function save(shardId: string, parent: string | undefined, sequence: string | undefined, closed: boolean) {
    await deps.pool.query(
      `INSERT INTO ${sqlNames.streamShards} (shard_id, parent_shard_id, last_sequence_number, closed, last_record_at, updated_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END, now())
       ON CONFLICT (shard_id) DO UPDATE SET
         last_sequence_number = coalesce(EXCLUDED.last_sequence_number, ${sqlNames.streamShards}.last_sequence_number),
         closed = EXCLUDED.closed, updated_at = now(),
         last_record_at = coalesce(EXCLUDED.last_record_at, ${sqlNames.streamShards}.last_record_at)`,
      [shardId, parent ?? null, sequence ?? null, closed],
    );
  }

  return {
    /**
     * One pass over every open shard: reads each up to `pagesPerShard` pages. Returns the records read (0 when
     * caught up everywhere).
     */
    async poll(pagesPerShard = 4): Promise<number> {
      const shards = await listShards();
      const known = await positions();
      const ids = new Set(shards.map((s) => s.ShardId));
      let read = 0;
      for (const shard of shards) {
        const shardId = shard.ShardId as string;
        if (known.get(shardId)?.closed) continue;
        const parent = shard.ParentShardId;
        // A child waits until its parent is drained (unless the parent has aged out of the stream).
        if (parent && ids.has(parent) && !known.get(parent)?.closed) continue;
        let iterator = await iteratorFor(shard, known.get(shardId));
        for (let page = 0; iterator && page < pagesPerShard; page += 1) {
          let result: GetRecordsCommandOutput;
          try {
            result = await deps.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
          } catch (error) {
            if ((error as { name?: string }).name === 'ExpiredIteratorException') {
              iterators.delete(shardId);
              break;
            }
            throw error;
          }
          const records = (result.Records ?? []) as StreamRecord[];
          if (records.length > 0) {
            const outcome = await deps.apply(records);
            const appliedUpTo = outcome.failed
              ? records[records.findIndex((r) => r.dynamodb?.SequenceNumber === outcome.failed?.sequenceNumber) - 1]
              : records.at(-1);
            await save(shardId, parent, appliedUpTo?.dynamodb?.SequenceNumber, false);
            read += records.length;
            if (outcome.failed) {
              iterators.delete(shardId);
              throw outcome.failed.error;
            }
          }
          iterator = result.NextShardIterator;
          if (!iterator) {
            await save(shardId, parent, undefined, true);
            iterators.delete(shardId);
          } else iterators.set(shardId, iterator);
          if (records.length === 0) break;
        }
      }
      return read;
    },
  };
}
