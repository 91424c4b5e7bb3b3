import type { NodeSavedSession, NodeSavedSessionStore } from '@atproto/oauth-client-node';
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

/** Primary key of a user's Bluesky OAuth session (one per DID). */
export function toOAuthSessionKey(did: string): { PK: string; SK: string } {
  return { PK: `OAUTH_SESSION#${toKeyDigest(did)}`, SK: 'SESSION' };
}

export const oauthSessionSchema = item({
  did: string().key(),
  /** DPoP private key, client auth method and token set, JSON-encoded: a secret, never logged. */
  data: string(),
  updated_at: string(),
  expires_at: number(),
});

export function createOAuthSessionEntity(table: AppTable) {
  return new Entity({
    name: 'OAUTH_SESSION',
    table,
    schema: oauthSessionSchema,
    computeKey: ({ did }) => toOAuthSessionKey(did),
    timestamps: false,
  });
}

export interface OAuthSessionStoreOptions {
  table: AppTable;
  /** How long an unused session is kept; every token refresh writes it again and extends it. */
  ttlSeconds: number;
  now?: () => Date;
}

/** The OAuth client's session store (DPoP keys, refresh tokens) in the table, keyed by DID. */
export function createOAuthSessionStore({ table, ttlSeconds, now = () => new Date() }: OAuthSessionStoreOptions) {
  const entity = createOAuthSessionEntity(table);
  const store: NodeSavedSessionStore = {
    async get(did) {
      // Consistent: after a refresh on another instance the old refresh token is already spent.
      const { Item } = await entity.build(GetItemCommand).key({ did }).options({ consistent: true }).send();
      if (!Item || isExpired(Item.expires_at, now())) return undefined;
      return JSON.parse(Item.data) as NodeSavedSession;
    },
    async set(did, value) {
      const at = now();
      await entity
        .build(PutItemCommand)
        .item({
          did,
          data: JSON.stringify(value),
          updated_at: at.toISOString(),
          expires_at: toEpochSeconds(at) + ttlSeconds,
        })
        .send();
    },
    async del(did) {
      await entity.build(DeleteItemCommand).key({ did }).send();
    },
  };
  return store;
}
