import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add, $remove } from 'dynamodb-toolbox/entity/actions/update';
import { BatchGetCommand } from 'dynamodb-toolbox/table/actions/batchGet';
import { describe, expect, it } from 'vitest';
import { createIdempotencyCommands } from '../../server/data/idempotency/commands.js';
import { createMembershipTransactionItems } from '../../server/data/membership/transaction-items.js';
import { createBatchGetTemplate } from '../../server/data/neighborhood/batch-get.js';
import { createDeleteCommands } from '../../server/data/neighborhood/delete-commands.js';
import { createNeighborhoodTransactionItems } from '../../server/data/neighborhood/transaction-items.js';
import { createQuotaGuard } from '../../server/data/quota/quota-guard.js';
import { defaultQuotas } from '../../server/data/quota/settings.js';
import { createDocumentClient, createDynamoDbClient } from '../../server/data/table/client.js';
import { createEntities } from '../../server/data/table/entities.js';

// Building command inputs sends nothing: the client points nowhere.
const client = createDynamoDbClient({ region: 'local', endpoint: 'http://127.0.0.1:9' });
const entities = createEntities({ documentClient: createDocumentClient(client), tableName: 'nbhd-city-test' });

/** Values a template must carry through unchanged: unicode, '#', ':', full-width letters, long and short. */
const awkward = [
  'did:plc:abc123',
  'a',
  'Ünïcødé 🏘️ Straße',
  '#hash # :colon :s_1 #c_1',
  'ＰＡＲＫ  Ｓｑｕａｒｅ',
  'x'.repeat(3_000),
  '\uffff0VALUE\uffff',
  '2026-12-02T03:04:05.678Z',
  '',
];
const pairs = awkward.map((value, index) => [value, awkward[(index + 3) % awkward.length] as string] as const);

/** What the toolbox's execute sends for a transaction item: its params without the parsed item. */
const sent = (transaction: { params(): object }) => {
  const { ToolboxItem: _parsed, ...item } = transaction.params() as { ToolboxItem?: unknown };
  return item;
};

describe('command templates equal what the toolbox builds', () => {
  const items = createMembershipTransactionItems(entities);

  it.each(pairs)('a membership put for %j in %j', (userId, nbhdId) => {
    const values = { nbhd_id: nbhdId, user_id: userId, id: `${userId}-id`, joined_at: '2026-12-02T03:04:05.678Z' };
    expect(items.putMembership({ nbhdId, userId, id: values.id, joinedAt: values.joined_at })).toStrictEqual(
      sent(
        entities.memberships
          .build(PutTransaction)
          .item(values)
          .options({ condition: { attr: 'id', exists: false } }),
      ),
    );
  });

  it.each(pairs)('a membership delete for %j in %j', (userId, nbhdId) => {
    expect(items.deleteMembership({ nbhdId, userId })).toStrictEqual(
      sent(
        entities.memberships
          .build(DeleteTransaction)
          .key({ nbhd_id: nbhdId, user_id: userId })
          .options({ condition: { attr: 'id', exists: true } }),
      ),
    );
  });

  it.each(awkward)('member_count updates of a join and a leave for %j', (nbhdId) => {
    const update = (delta: number) =>
      entities.neighborhoods.build(UpdateTransaction).item({ id: nbhdId, member_count: $add(delta) });
    expect(items.countJoin({ nbhdId })).toStrictEqual(
      sent(
        update(1).options({
          condition: {
            and: [
              { attr: 'id', exists: true },
              { attr: 'deleting_at', exists: false },
            ],
          },
        }),
      ),
    );
    expect(items.countLeave({ nbhdId })).toStrictEqual(
      sent(update(-1).options({ condition: { attr: 'id', exists: true } })),
    );
  });

  const createItems = createNeighborhoodTransactionItems(entities);

  it.each(pairs)('a neighborhood put for id %j, name and description %j', (id, name) => {
    for (const description of [name, undefined]) {
      const item = {
        id,
        name,
        ...(description !== undefined ? { description } : {}),
        created_by: `${name}-by`,
        created_at: '2026-12-02T03:04:05.678Z',
        member_count: 1,
      };
      const values = { id, name, description, createdBy: item.created_by, createdAt: item.created_at };
      expect(createItems.putNeighborhood(values)).toStrictEqual(
        sent(
          entities.neighborhoods
            .build(PutTransaction)
            .item(item)
            .options({ condition: { attr: 'id', exists: false } }),
        ),
      );
    }
  });

  it.each(pairs)('a name claim for %j by %j', (name, nbhdId) => {
    expect(createItems.putNameClaim({ name, nbhdId })).toStrictEqual(
      sent(
        entities.nameClaims
          .build(PutTransaction)
          .item({ name, nbhd_id: nbhdId })
          .options({ condition: { attr: 'nbhd_id', exists: false } }),
      ),
    );
  });

  const deleteCommands = createDeleteCommands(entities);

  it.each(pairs)('the delete commands for id %j, name and creator %j', (id, name) => {
    expect(deleteCommands.markDeleting({ id, userId: name, now: '2026-12-02T03:04:05.678Z' })).toStrictEqual(
      sent(
        entities.neighborhoods
          .build(UpdateTransaction)
          .item({ id, deleting_at: '2026-12-02T03:04:05.678Z', entity_type: $remove() })
          .options({ condition: { attr: 'created_by', eq: name }, returnValuesOnConditionFalse: 'ALL_OLD' }),
      ),
    );
    for (const count of [0, 1, 98]) {
      expect(deleteCommands.deleteNeighborhood({ id, memberCount: count })).toStrictEqual(
        sent(
          entities.neighborhoods
            .build(DeleteTransaction)
            .key({ id })
            .options({ condition: { attr: 'member_count', eq: count } }),
        ),
      );
      expect(deleteCommands.countDeleted({ id, delta: -count })).toStrictEqual(
        sent(entities.neighborhoods.build(UpdateTransaction).item({ id, member_count: $add(-count) })),
      );
    }
    expect(deleteCommands.deleteNameClaim({ name, nbhdId: id })).toStrictEqual(
      sent(
        entities.nameClaims
          .build(DeleteTransaction)
          .key({ name })
          .options({ condition: { attr: 'nbhd_id', eq: id } }),
      ),
    );
  });

  it.each(pairs)('a quota counter for %j scoped to %j', (did, scope) => {
    const quotas = { ...defaultQuotas, 'membership-nbhd': { limit: 7, windowSeconds: 60 } };
    const guard = createQuotaGuard({ entities, quotas, now: () => new Date('2026-12-02T03:04:05.678Z') });
    const windowStart = Date.parse('2026-12-02T03:04:00Z') / 1000; // the minute's fixed window
    const { items } = guard.charge(did, [{ name: 'membership-nbhd', scope }]);
    expect(items['quota:membership-nbhd']).toStrictEqual(
      sent(
        entities.quotas
          .build(UpdateTransaction)
          .item({
            did,
            limit: `membership-nbhd@${scope}`,
            window_start: windowStart,
            count: $add(1),
            expires_at: windowStart + 60,
          })
          .options({
            condition: {
              or: [
                { attr: 'count', exists: false },
                { attr: 'count', lt: 7 },
              ],
            },
          }),
      ),
    );
  });

  const idempotencyCommands = createIdempotencyCommands(entities);

  it.each(pairs)('the idempotency record read and write for %j with key %j', (did, key) => {
    expect(idempotencyCommands.getRecord({ did, key })).toStrictEqual(
      entities.idempotency.build(GetItemCommand).key({ did, key }).options({ consistent: true }).params(),
    );
    const record = { did, key, request_hash: `${key}-hash`, response: JSON.stringify({ did, key }) };
    for (const nowSeconds of [0, 1_764_644_645]) {
      expect(
        idempotencyCommands.putRecord({
          did,
          key,
          requestHash: record.request_hash,
          response: record.response,
          expiresAt: nowSeconds + 86_400,
          nowSeconds,
        }),
      ).toStrictEqual(
        sent(
          entities.idempotency
            .build(PutTransaction)
            .item({ ...record, expires_at: nowSeconds + 86_400 })
            .options({
              condition: {
                or: [
                  { attr: 'request_hash', exists: false },
                  { attr: 'expires_at', lte: nowSeconds },
                ],
              },
            }),
        ),
      );
    }
  });

  it.each([[['one']], [awkward], [Array.from({ length: 100 }, (_, index) => `id-${index}-#ü`)]])(
    'a BatchGetItem of %j',
    (ids) => {
      const requests = ids.map((id) => entities.neighborhoods.build(BatchGetRequest).key({ id }));
      expect(createBatchGetTemplate(entities)(ids)).toStrictEqual(
        entities.table
          .build(BatchGetCommand)
          .requests(...requests)
          .options({ consistent: false })
          .params(),
      );
    },
  );
});
