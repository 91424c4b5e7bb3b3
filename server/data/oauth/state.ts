import type { NodeSavedState, NodeSavedStateStore } from '@atproto/oauth-client-node';
import { Entity } from 'dynamodb-toolbox/entity';
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { item } from 'dynamodb-toolbox/schema/item';
import { number } from 'dynamodb-toolbox/schema/number';
import { string } from 'dynamodb-toolbox/schema/string';
import { toKeyDigest } from '../table/key-digest.js';
import type { AppTable } from '../table/table.js';
import { isExpired, toEpochSeconds } from '../table/ttl.js';

/** Primary key of one pending authorization (the OAuth `state` parameter is the key). */
export function toOAuthStateKey(key: string): { PK: string; SK: string } {
  return { PK: `OAUTH_STATE#${toKeyDigest(key)}`, SK: 'STATE' };
}

export const oauthStateSchema = item({
  key: string().key(),
  /** The client library's state (PKCE verifier, DPoP key, our return URL), JSON-encoded. */
  data: string(),
  expires_at: number(),
});

export function createOAuthStateEntity(table: AppTable) {
  return new Entity({
    name: 'OAUTH_STATE',
    table,
    schema: oauthStateSchema,
    computeKey: ({ key }) => toOAuthStateKey(key),
    timestamps: false,
  });
}

export interface OAuthStateStoreOptions {
  table: AppTable;
  /** How long a login may take between /auth/login and /auth/callback. */
  ttlSeconds: number;
  now?: () => Date;
}

/**
 * The OAuth client's state store, in the table so login and callback may land on different instances.
 * Reads are strongly consistent (the callback often follows the login within seconds) and ignore expired
 * records, which the client then reports as an unknown state.
 */
export function createOAuthStateStore({ table, ttlSeconds, now = () => new Date() }: OAuthStateStoreOptions) {
  const entity = createOAuthStateEntity(table);
  const store: NodeSavedStateStore = {
    async get(key) {
      const { Item } = await entity.build(GetItemCommand).key({ key }).options({ consistent: true }).send();
      if (!Item) return undefined;
      if (isExpired(Item.expires_at, now())) {
        // Gone for good: clean up now rather than waiting for DynamoDB's TTL sweep.
        await entity.build(DeleteItemCommand).key({ key }).send();
        return undefined;
      }
      return JSON.parse(Item.data) as NodeSavedState;
    },
    async set(key, value) {
      const expiresAt = toEpochSeconds(now()) + ttlSeconds;
      await entity
        .build(PutItemCommand)
        .item({ key, data: JSON.stringify(value), expires_at: expiresAt })
        .send();
    },
    async del(key) {
      await entity.build(DeleteItemCommand).key({ key }).send();
    },
  };
  return store;
}
