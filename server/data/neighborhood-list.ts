import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { ApiError } from '../errors.js';
import type { PageKey } from './cursor.js';
import { runWithFaultHandling } from './dynamodb-faults.js';
import { fromNeighborhoodPartition, listShards } from './neighborhood.js';
import type { RepoDeps } from './repo-deps.js';
import { sendUnformattedQuery } from './unformatted-query.js';

export const neighborhoodListScope = 'nbhds';

interface Entry {
  key: PageKey;
  shard: number;
}

/** Per shard: the key to continue after (JSON), `''` to start from the top, `'done'` when it has no more. */
type ShardCursor = Record<string, string>;

const invalidCursor = () =>
  new ApiError('invalid-cursor', 'The cursor is not valid for this list; start again without it.');

/** Newest first across shards: created_at, then the partition key, both descending. */
const compareNewestFirst = (a: Entry, b: Entry) =>
  a.key.created_at === b.key.created_at
    ? String(b.key.PK).localeCompare(String(a.key.PK))
    : String(b.key.created_at).localeCompare(String(a.key.created_at));

/**
 * The ids of one page of all neighborhoods, newest first: GSI1 is split into `listShards` (so no one key
 * carries every create), so each page queries every shard (in parallel) for up to `skip + limit` keys, merges
 * them, and remembers per shard where the page stopped. The cursor is signed like every other.
 */
export function createNeighborhoodLister({ entities, cursors, retryPolicy }: RepoDeps) {
  async function readShard(shard: number, wanted: number, startKey: PageKey | undefined) {
    const entries: Entry[] = [];
    let exclusiveStartKey = startKey;
    // One query unless `skip` pushes the read past DynamoDB's 1 MB page.
    do {
      const page = await runWithFaultHandling(
        () =>
          sendUnformattedQuery(
            entities.table
              .build(QueryCommand)
              // No entity filter: the index projects keys only, not the entity tag.
              .query({ index: 'GSI1', partition: listShards[shard] as string })
              .options({ reverse: true, limit: wanted - entries.length, exclusiveStartKey }),
          ),
        retryPolicy,
      );
      for (const item of page.Items ?? []) entries.push({ key: item as PageKey, shard });
      exclusiveStartKey = page.LastEvaluatedKey as PageKey | undefined;
    } while (exclusiveStartKey && entries.length < wanted);
    return { entries, exhausted: !exclusiveStartKey };
  }

  return async function listNeighborhoodIds(options: {
    limit: number;
    cursor?: string;
    skip?: number;
  }): Promise<{ ids: string[]; nextCursor: string | null }> {
    const state: ShardCursor = options.cursor ? cursors.decode(neighborhoodListScope, options.cursor) : {};
    const skip = options.cursor ? 0 : (options.skip ?? 0);
    const wanted = skip + options.limit;
    const starts = listShards.map((_, shard) => {
      const value = state[shard] ?? '';
      if (value === '' || value === 'done') return value;
      try {
        return JSON.parse(value) as PageKey;
      } catch {
        throw invalidCursor();
      }
    });
    const reads = await Promise.all(
      starts.map((start, shard) =>
        start === 'done'
          ? { entries: [], exhausted: true }
          : readShard(shard, wanted, start === '' ? undefined : start),
      ),
    );
    const merged = reads.flatMap((read) => read.entries).sort(compareNewestFirst);
    const taken = merged.slice(0, wanted);
    const next: ShardCursor = {};
    let more = false;
    reads.forEach((read, shard) => {
      const mine = taken.filter((entry) => entry.shard === shard);
      const last = mine[mine.length - 1];
      const finished = read.exhausted && mine.length === read.entries.length;
      if (!finished) more = true;
      const start = starts[shard];
      next[shard] = finished
        ? 'done'
        : last
          ? JSON.stringify(last.key)
          : typeof start === 'object'
            ? JSON.stringify(start)
            : '';
    });
    return {
      ids: taken.slice(skip).map((entry) => fromNeighborhoodPartition(String(entry.key.PK))),
      nextCursor: more ? cursors.encode(neighborhoodListScope, next) : null,
    };
  };
}
