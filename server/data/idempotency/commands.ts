import type { GetCommandInput } from '@aws-sdk/lib-dynamodb';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import type { RepoDeps } from '../repo-deps.js';
import { createCommandTemplate } from '../table/command-template.js';
import { toSentItem } from '../table/named-transaction.js';
import { toIdempotencyKey } from './keys.js';

/** The record's partition key, from the builder the entity computes it with (keys.ts owns its format). */
const recordKey = ({ did, key }: { did: string; key: string }) => toIdempotencyKey(did, key).PK;

/**
 * The idempotency record's read and write, as the toolbox builds them, through command templates
 * (table/command-template.ts): built by the toolbox once, filled in per call.
 */
export function createIdempotencyCommands(entities: RepoDeps['entities']) {
  return {
    /** A consistent read of the record of (did, key). */
    getRecord: createCommandTemplate({
      name: 'get idempotency record',
      shape: { did: 'string', key: 'string' },
      derive: { recordKey },
      build: ({ did, key }): GetCommandInput =>
        entities.idempotency.build(GetItemCommand).key({ did, key }).options({ consistent: true }).params(),
    }),
    /** The record of a response, unless a live one (not expired at `nowSeconds`) holds the key. */
    putRecord: createCommandTemplate({
      name: 'put idempotency record',
      shape: {
        did: 'string',
        key: 'string',
        requestHash: 'string',
        response: 'string',
        expiresAt: 'number',
        nowSeconds: 'number',
      },
      derive: { recordKey },
      build: (v) =>
        toSentItem(
          entities.idempotency
            .build(PutTransaction)
            .item({
              did: v.did,
              key: v.key,
              request_hash: v.requestHash,
              response: v.response,
              expires_at: v.expiresAt,
            })
            .options({
              condition: {
                or: [
                  { attr: 'request_hash', exists: false },
                  { attr: 'expires_at', lte: v.nowSeconds },
                ],
              },
            })
            .params(),
        ),
    }),
  };
}
