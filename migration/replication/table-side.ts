import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add, $remove } from 'dynamodb-toolbox/entity/actions/update';
import { toMembershipKey } from '../../server/data/membership/keys.js';
import { toNameClaimKey, toNeighborhoodKey } from '../../server/data/neighborhood/keys.js';
import { createEntities } from '../../server/data/table/entities.js';
import {
  buildNamedTransaction,
  type NamedItems,
  type TransactWriteItem,
  type WriteTransaction,
} from '../../server/data/table/named-transaction.js';
import { replicationMarkerAttribute } from './names.js';

export type StoredItem = Record<string, unknown>;

/** A neighborhood as both directions compare it (the table's attributes; absent optional ones undefined). */
export interface NeighborhoodState {
  id: string;
  name: string;
  description?: string | undefined;
  created_by: string;
  created_at: string;
  updated_at?: string | undefined;
  member_count?: number | undefined;
  deleting_at?: string | undefined;
}

export interface MembershipState {
  nbhd_id: string;
  user_id: string;
  id: string;
  joined_at: string;
}

/**
 * Replication's reads and writes of the table, through the data layer's toolbox entities (key formats, `_et`,
 * the index attributes' links live there). Every call is counted for "operations per change".
 */
export function createTableSide(documentClient: DynamoDBDocumentClient, tableName: string, countOperation: () => void) {
  const entities = createEntities({ documentClient, tableName });
  const get = async (key: { PK: string; SK: string }) => {
    countOperation();
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    return Item;
  };
  return {
    entities,
    entityAttribute: entities.table.entityAttributeSavedAs,
    entityNames: {
      neighborhood: entities.neighborhoods.entityName,
      membership: entities.memberships.entityName,
    },
    readNeighborhood: async (id: string) => (await get(toNeighborhoodKey(id))) as NeighborhoodState | undefined,
    readMembership: async (nbhdId: string, userId: string) =>
      (await get(toMembershipKey(nbhdId, userId))) as MembershipState | undefined,
    /** The neighborhood holding a name's claim, if any. */
    readClaimHolder: async (name: string) => (await get(toNameClaimKey(name)))?.nbhd_id as string | undefined,

    /** Sends the items as one transaction; the names say which item's condition failed. */
    async send<N extends string>(items: NamedItems<N>) {
      const transaction = buildNamedTransaction(items, documentClient);
      countOperation();
      await transaction.send();
      return transaction;
    },
    buildNamedTransaction: <N extends string>(items: NamedItems<N>) => buildNamedTransaction(items, documentClient),
    countOperation,

    putNeighborhood(state: NeighborhoodState, memberCount: number): WriteTransaction {
      return entities.neighborhoods
        .build(PutTransaction)
        .item({
          id: state.id,
          name: state.name,
          description: state.description,
          created_by: state.created_by,
          created_at: state.created_at,
          updated_at: state.updated_at,
          member_count: memberCount,
        })
        .options({ condition: { attr: 'id', exists: false } });
    },
    /** Name, description and updated_at as given (undefined removes the optional ones), stamped as replication's. */
    updateNeighborhood(
      state: Pick<NeighborhoodState, 'id' | 'name' | 'description' | 'updated_at'>,
      expect: { name?: string; updatedAt?: string | null },
    ): WriteTransaction {
      return entities.neighborhoods
        .build(UpdateTransaction)
        .item({
          id: state.id,
          name: state.name,
          description: state.description ?? $remove(),
          updated_at: state.updated_at ?? $remove(),
          [replicationMarkerAttribute]: randomUUID(),
        })
        .options({
          condition: {
            and: [
              { attr: 'id', exists: true },
              { attr: 'deleting_at', exists: false },
              ...(expect.name !== undefined ? [{ attr: 'name' as const, eq: expect.name }] : []),
              ...(expect.updatedAt === null ? [{ attr: 'updated_at' as const, exists: false }] : []),
              ...(typeof expect.updatedAt === 'string' ? [{ attr: 'updated_at' as const, eq: expect.updatedAt }] : []),
            ],
          },
        });
    },
    countMembers(nbhdId: string, delta: number, requireOpen: boolean): WriteTransaction {
      return entities.neighborhoods
        .build(UpdateTransaction)
        .item({ id: nbhdId, member_count: $add(delta) })
        .options({
          condition: {
            and: [
              { attr: 'id', exists: true },
              ...(requireOpen ? [{ attr: 'deleting_at' as const, exists: false }] : []),
            ],
          },
        });
    },
    putNameClaim(name: string, nbhdId: string): WriteTransaction {
      return entities.nameClaims
        .build(PutTransaction)
        .item({ name, nbhd_id: nbhdId })
        .options({ condition: { attr: 'nbhd_id', exists: false } });
    },
    deleteNameClaim(name: string, nbhdId: string): WriteTransaction {
      return entities.nameClaims
        .build(DeleteTransaction)
        .key({ name })
        .options({ condition: { attr: 'nbhd_id', eq: nbhdId } });
    },
    putLegacyId(legacyId: number, nbhdId: string): WriteTransaction {
      return entities.legacyIds.build(PutTransaction).item({ legacy_id: legacyId, nbhd_id: nbhdId });
    },
    /** A membership, unless one exists (`replacing` given: only over that instance, whose count is kept). */
    putMembership(state: MembershipState, replacing?: string): WriteTransaction {
      return entities.memberships
        .build(PutTransaction)
        .item({ nbhd_id: state.nbhd_id, user_id: state.user_id, id: state.id, joined_at: state.joined_at })
        .options({ condition: replacing ? { attr: 'id', eq: replacing } : { attr: 'id', exists: false } });
    },
    deleteMembership(nbhdId: string, userId: string, id: string): WriteTransaction {
      return entities.memberships
        .build(DeleteTransaction)
        .key({ nbhd_id: nbhdId, user_id: userId })
        .options({ condition: { attr: 'id', eq: id } });
    },
  };
}

export type TableSide = ReturnType<typeof createTableSide>;

/** One raw item, already as sent. */
export type RawItem = TransactWriteItem;
