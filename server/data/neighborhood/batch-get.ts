import { BatchGetCommand as DocumentBatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { BatchGetCommand } from 'dynamodb-toolbox/table/actions/batchGet';
import isDeepEqual from 'fast-deep-equal';
import { ApiError } from '../../errors.js';
import { type RetryPolicy, waitBeforeRetry } from '../faults/backoff.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import type { RepoDeps } from '../repo-deps.js';
import { type NbhdRecord, type StoredNeighborhood, toNbhdRecord } from '../shapes.js';
import { createCommandTemplate } from '../table/command-template.js';
import { toNeighborhoodPartition } from './keys.js';

/** Rounds of BatchGet for keys DynamoDB left unprocessed (it does so under load), unless a policy is injected. */
const batchGetRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 50 };

/**
 * Reads neighborhoods by id in one BatchGetItem (≤ 100 keys, eventually consistent), re-asking only for keys
 * left unprocessed. Each key is a read on that neighborhood's own partition; a neighborhood deleted meanwhile
 * is absent from the map. The toolbox builds the request once, from one placeholder key (table name, key format,
 * consistency); a call fills in the keys. Its per-item formatting is skipped too (as for queries,
 * table/unformatted-query.ts): toNbhdRecord picks the API's fields from the stored items.
 */
export function createNeighborhoodBatchGetter({ entities, retryPolicy }: Pick<RepoDeps, 'entities' | 'retryPolicy'>) {
  const policy = retryPolicy ?? batchGetRetryPolicy;
  const buildRequestItems = createBatchGetTemplate(entities);
  return async function getNeighborhoods(ids: string[]): Promise<Map<string, NbhdRecord>> {
    const found = new Map<string, NbhdRecord>();
    let pending = [...new Set(ids)];
    for (let round = 1; pending.length > 0; round += 1) {
      const requestItems = buildRequestItems(pending);
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

/**
 * The RequestItems of a BatchGetItem for neighborhoods by id, as
 * `table.build(BatchGetCommand).requests(...ids.map(key)).options({ consistent: false }).params()` builds them:
 * the toolbox builds the request around one key once (table name, consistency) and each key from its id.
 */
export function createBatchGetTemplate(entities: RepoDeps['entities']) {
  const buildKey = createCommandTemplate({
    name: 'neighborhood key',
    shape: { id: 'string' },
    build: ({ id }) => entities.neighborhoods.build(BatchGetRequest).key({ id }).params(),
  });
  let wrapper: { tableName: string; options: Record<string, unknown> } | undefined;
  return (ids: string[]) => {
    wrapper ??= buildWrapper(entities, buildKey);
    const { tableName, options } = wrapper;
    return { [tableName]: { ...options, Keys: ids.map((id) => buildKey({ id })) } };
  };
}

/** Everything of the toolbox's request but its keys, checked to hold exactly the key the key template builds. */
function buildWrapper(entities: RepoDeps['entities'], buildKey: (values: { id: string }) => Record<string, unknown>) {
  const id = 'template-check';
  const requestItems = entities.table
    .build(BatchGetCommand)
    .requests(entities.neighborhoods.build(BatchGetRequest).key({ id }))
    .options({ consistent: false })
    .params();
  const entries = Object.entries(requestItems);
  const [tableName, request] = entries[0] ?? [];
  if (entries.length !== 1 || !tableName || !request || !isDeepEqual(request.Keys, [buildKey({ id })])) {
    throw new Error('neighborhood batch get: the toolbox built an unexpected request');
  }
  const { Keys: _keys, ...options } = request;
  return { tableName, options };
}
