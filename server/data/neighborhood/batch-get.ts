import { BatchGetCommand as DocumentBatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { BatchGetCommand } from 'dynamodb-toolbox/table/actions/batchGet';
import { ApiError } from '../../errors.js';
import { type RetryPolicy, waitBeforeRetry } from '../faults/backoff.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import type { RepoDeps } from '../repo-deps.js';
import { type NbhdRecord, type StoredNeighborhood, toNbhdRecord } from '../shapes.js';
import { toNeighborhoodPartition } from './keys.js';

/** Rounds of BatchGet for keys DynamoDB left unprocessed (it does so under load), unless a policy is injected. */
const batchGetRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 50 };

/**
 * Reads neighborhoods by id in one BatchGetItem (≤ 100 keys, eventually consistent), re-asking only for keys
 * left unprocessed. Each key is a read on that neighborhood's own partition; a neighborhood deleted meanwhile
 * is absent from the map. The toolbox builds the request; its per-item formatting is skipped (as for queries,
 * table/unformatted-query.ts): toNbhdRecord picks the API's fields from the stored items.
 */
export function createNeighborhoodBatchGetter({ entities, retryPolicy }: Pick<RepoDeps, 'entities' | 'retryPolicy'>) {
  const policy = retryPolicy ?? batchGetRetryPolicy;
  return async function getNeighborhoods(ids: string[]): Promise<Map<string, NbhdRecord>> {
    const found = new Map<string, NbhdRecord>();
    let pending = [...new Set(ids)];
    for (let round = 1; pending.length > 0; round += 1) {
      const requests = pending.map((id) => entities.neighborhoods.build(BatchGetRequest).key({ id }));
      const requestItems = entities.table
        .build(BatchGetCommand)
        .requests(...requests)
        .options({ consistent: false })
        .params();
      const response = await runWithFaultHandling(
        () => entities.table.getDocumentClient().send(new DocumentBatchGetCommand({ RequestItems: requestItems })),
        retryPolicy,
      );
      for (const item of response.Responses?.[entities.table.getName()] ?? []) {
        found.set(String(item.id), toNbhdRecord(item as StoredNeighborhood));
      }
      const unprocessed = new Set(
        Object.values(response.UnprocessedKeys ?? {}).flatMap((entry) => (entry.Keys ?? []).map((key) => key.PK)),
      );
      pending = pending.filter((id) => unprocessed.has(toNeighborhoodPartition(id)));
      if (pending.length === 0) break;
      if (round >= policy.attempts) {
        throw new ApiError('service-unavailable', 'The database is over capacity; retry shortly.', { retryAfter: 1 });
      }
      await waitBeforeRetry(policy, round);
    }
    return found;
  };
}
