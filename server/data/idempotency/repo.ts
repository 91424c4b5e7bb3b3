import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ApiError } from '../../errors.js';
import type { RepoDeps } from '../repo-deps.js';
import { createIdempotencyCommands } from './commands.js';

/** How long a key is remembered: long enough for any client retry loop, short enough to keep the table lean. */
export const idempotencyTtlSeconds = 24 * 60 * 60;

export interface IdempotencyRequest {
  key: string;
  /** Hash of the request body; the same key with another hash is a 422. */
  requestHash: string;
}

export interface StoredResponse<T> {
  status: number;
  body: T;
}

const toEpochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Reads and writes idempotency records; the write rides in the caller's transaction. */
export function createIdempotencyRepo({ entities, now }: Pick<RepoDeps, 'entities' | 'now'>) {
  const commands = createIdempotencyCommands(entities);
  const documentClient = entities.table.getDocumentClient();
  return {
    /**
     * The stored response for a replay, undefined when the key is new or its record expired
     * (DynamoDB Local never deletes by TTL and the service deletes late, so expiry is checked here).
     */
    async findResponse<T>(did: string, request: IdempotencyRequest): Promise<StoredResponse<T> | undefined> {
      const { Item } = await documentClient.send(new GetCommand(commands.getRecord({ did, key: request.key })));
      if (!Item || Item.expires_at <= toEpochSeconds(now())) return undefined;
      if (Item.request_hash !== request.requestHash) {
        throw new ApiError(
          'idempotency-key-reused',
          'This Idempotency-Key was already used with a different request body; use a new key.',
        );
      }
      return JSON.parse(Item.response) as StoredResponse<T>;
    },

    /** A transaction item that records the response, failing if a live record for the key appeared meanwhile. */
    buildPutTransaction<T>(did: string, request: IdempotencyRequest, response: StoredResponse<T>) {
      const nowSeconds = toEpochSeconds(now());
      return commands.putRecord({
        did,
        key: request.key,
        requestHash: request.requestHash,
        response: JSON.stringify(response),
        expiresAt: nowSeconds + idempotencyTtlSeconds,
        nowSeconds,
      });
    },
  };
}

export type IdempotencyRepo = ReturnType<typeof createIdempotencyRepo>;
