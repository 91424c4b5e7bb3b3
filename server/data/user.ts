import { Entity } from 'dynamodb-toolbox/entity';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update';
import { $get } from 'dynamodb-toolbox/entity/actions/update/symbols';
import { item } from 'dynamodb-toolbox/schema/item';
import { string } from 'dynamodb-toolbox/schema/string';
import { runWithFaultHandling } from './faults/fault-handling.js';
import { toKeyDigest } from './table/key-digest.js';
import type { AppTable } from './table/table.js';

/** Primary key of a user's record, created at their first Bluesky login. */
export function toUserKey(did: string): { PK: string; SK: string } {
  return { PK: `USER#${toKeyDigest(did)}`, SK: 'PROFILE' };
}

export const userSchema = item({
  did: string().key(),
  handle: string().optional(),
  created_at: string(),
  last_login_at: string(),
});

export function createUserEntity(table: AppTable) {
  return new Entity({
    name: 'USER',
    table,
    schema: userSchema,
    computeKey: ({ did }) => toUserKey(did),
    timestamps: false,
  });
}

export interface User {
  did: string;
  handle: string | null;
  created_at: string;
  last_login_at: string;
}

/** Users: one record per DID, written on every login. Throttles become 503 (runWithFaultHandling). */
export function createUserRepository({ table, now = () => new Date() }: { table: AppTable; now?: () => Date }) {
  const entity = createUserEntity(table);
  return {
    /** Creates the user at first login or refreshes handle and last login; one UpdateItem either way. */
    async recordLogin(did: string, handle: string | undefined): Promise<User> {
      const at = now().toISOString();
      const { Attributes } = await runWithFaultHandling(() =>
        entity
          .build(UpdateItemCommand)
          .item({ did, handle, created_at: $get('created_at', at), last_login_at: at })
          .options({ returnValues: 'ALL_NEW' })
          .send(),
      );
      return toUser(Attributes ?? { did, handle, created_at: at, last_login_at: at });
    },
    async get(did: string): Promise<User | undefined> {
      const { Item } = await runWithFaultHandling(() => entity.build(GetItemCommand).key({ did }).send());
      return Item ? toUser(Item) : undefined;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;

function toUser(record: { did: string; handle?: string; created_at: string; last_login_at: string }): User {
  return {
    did: record.did,
    handle: record.handle ?? null,
    created_at: record.created_at,
    last_login_at: record.last_login_at,
  };
}
