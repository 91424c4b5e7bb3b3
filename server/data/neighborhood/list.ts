import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { ApiError } from '../../errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import type { RepoDeps } from '../repo-deps.js';
import type { PageKey } from '../table/cursor.js';
import { createQueryTemplate } from '../table/unformatted-query.js';
import { fromNeighborhoodPartition, listShards } from './keys.js';

export const neighborhoodListScope = 'nbhds';

interface Entry {
  key: PageKey;
  shard: number;
}

/** Per shard: the key to continue after (JSON), `''` to start from the top, `'done'` when it has no more. */
type ShardCursor = Record<string, string>;

const invalidCursor = () =>
  new ApiError('invalid-cursor', 'The cursor is not valid for this list; start again without it.');

/**
 * Merges the shards newest first without reordering any shard (each keeps the index's own order), so what a
 * page takes from a shard is a prefix of what it read and its last key is where that shard continues.
 * Equal created_at across shards: the lower shard first.
 */
function mergeNewestFirst(shards: Entry[][], wanted: number): Entry[] {
  const heads = shards.map(() => 0);
  const taken: Entry[] = [];
  while (taken.length < wanted) {
    let pick = -1;
    shards.forEach((entries, shard) => {
      const head = entries[heads[shard] as number];
      const best = pick === -1 ? undefined : (shards[pick] as Entry[])[heads[pick] as number];
      if (head && (!best || String(head.key.created_at) > String(best.key.created_at))) pick = shard;
    });
    if (pick === -1) break;
    taken.push((shards[pick] as Entry[])[heads[pick] as number] as Entry);
    heads[pick] = (heads[pick] as number) + 1;
  }
  return taken;
}

/**
 * The ids of one page of all neighborhoods, newest first: GSI1 is split into `listShards` (so no one key
 * carries every create), so each page queries every shard (in parallel) for up to `skip + limit` keys, merges
 * them, and remembers per shard where the page stopped. The cursor is signed like every other.
 */
export function createNeighborhoodLister({ entities, cursors, retryPolicy }: RepoDeps) {
  const queryShard = createQueryTemplate((partition) =>
    entities.table
      .build(QueryCommand)
      // No entity filter: the index projects keys only, not the entity tag.
      .query({ index: 'GSI1', partition })
      .options({ reverse: true }),
  );
  async function readShard(shard: number, wanted: number, startKey: PageKey | undefined) {
    const entries: Entry[] = [];
    let exclusiveStartKey = startKey;
    // One key past what the page can take: DynamoDB returns a LastEvaluatedKey whenever it stops at the limit,
    // so only that extra key shows the shard goes on. One query unless `skip` pushes it past the 1 MB page.
    const toRead = wanted + 1;
    do {
      const page = await runWithFaultHandling(
        () => queryShard(listShards[shard] as string, { limit: toRead - entries.length, exclusiveStartKey }),
        retryPolicy,
      );
      for (const item of page.Items ?? []) entries.push({ key: item as PageKey, shard });
      exclusiveStartKey = page.LastEvaluatedKey as PageKey | undefined;
    } while (exclusiveStartKey && entries.length < toRead);
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
    const taken = mergeNewestFirst(
      reads.map((read) => read.entries),
      wanted,
    );
    const boundary = taken[taken.length - 1];
    const next: ShardCursor = {};
    let more = false;
    reads.forEach((read, shard) => {
      const mine = taken.filter((entry) => entry.shard === shard);
      const last = mine[mine.length - 1];
      const finished = read.exhausted && mine.length === read.entries.length;
      if (!finished) more = true;
      const start = starts[shard];
      // A shard the page took nothing from continues below the page's last entry, not from its top: a
      // neighborhood created meanwhile is newer than the first page and must not appear in later ones.
      const position =
        last?.key ??
        (typeof start === 'object' ? start : boundary && { ...boundary.key, entity_type: listShards[shard] as string });
      next[shard] = finished ? 'done' : position ? JSON.stringify(position) : '';
    });
    return {
      ids: taken.slice(skip).map((entry) => fromNeighborhoodPartition(String(entry.key.PK))),
      nextCursor: more ? cursors.encode(neighborhoodListScope, next) : null,
    };
  };
}
