import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { describe, expect, it } from 'vitest';
import { toBackoffDelayMs, waitBeforeRetry } from '../../server/data/faults/backoff.js';
import {
  getConditionFailedItem,
  isConditionFailed,
  isThrottle,
  isTransactionConflict,
  isTransient,
} from '../../server/data/faults/dynamodb-errors.js';
import { createDocumentClient, createDynamoDbClient } from '../../server/data/table/client.js';
import { createEntities } from '../../server/data/table/entities.js';
import { buildNamedTransaction } from '../../server/data/table/named-transaction.js';
import { createAwsError } from '../../tooling/dynamodb-probes.js';

const cancelled = (...codes: string[]) =>
  createAwsError('TransactionCanceledException', { CancellationReasons: codes.map((Code) => ({ Code })) });

describe('DynamoDB error classification', () => {
  it.each([
    ['the SDK exception class', new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} })],
    ['ThrottlingException', createAwsError('ThrottlingException')],
    ['RequestLimitExceeded', createAwsError('RequestLimitExceeded')],
    ['an HTTP 429', createAwsError('SomethingNew', { $metadata: { httpStatusCode: 429 } })],
    ['a transaction item throttled', cancelled('None', 'ThrottlingError')],
  ])('counts %s as throttling', (_label, error) => {
    expect(isThrottle(error)).toBe(true);
  });

  it.each([
    ['ValidationException', createAwsError('ValidationException')],
    ['a failed condition', cancelled('ConditionalCheckFailed')],
    ['a non-error', { name: 'ThrottlingException' }],
  ])('does not count %s as throttling', (_label, error) => {
    expect(isThrottle(error)).toBe(false);
  });

  it.each([
    ['InternalServerError', createAwsError('InternalServerError')],
    ['a 503', createAwsError('Unknown', { $metadata: { httpStatusCode: 503 } })],
    ['TimeoutError', createAwsError('TimeoutError')],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['an error the SDK marks retryable', createAwsError('Anything', { $retryable: {} })],
  ])('counts %s as transient', (_label, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it('does not count a bad request or a failed condition as transient', () => {
    expect(isTransient(createAwsError('ValidationException'))).toBe(false);
    expect(isTransient(createAwsError('ConditionalCheckFailedException'))).toBe(false);
  });

  it('tells transaction conflicts from other cancellations', () => {
    expect(isTransactionConflict(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransactionConflict(createAwsError('TransactionConflictException'))).toBe(true);
    expect(isTransactionConflict(cancelled('ConditionalCheckFailed', 'None'))).toBe(false);
  });

  it('reads the old image a failed single-item condition returned', () => {
    const error = createAwsError('ConditionalCheckFailedException', { Item: { created_by: 'did:plc:a' } });
    expect(isConditionFailed(error)).toBe(true);
    expect(getConditionFailedItem(error)).toEqual({ created_by: 'did:plc:a' });
    expect(getConditionFailedItem(createAwsError('ValidationException', { Item: {} }))).toBeUndefined();
  });
});

describe('backoff', () => {
  const policy = { attempts: 6, baseDelayMs: 50, maxDelayMs: 300, random: () => 1 };

  it('doubles the bound each retry up to the cap (full jitter: random × bound)', () => {
    expect([1, 2, 3, 4, 5].map((retry) => toBackoffDelayMs(policy, retry))).toEqual([50, 100, 200, 300, 300]);
    expect(toBackoffDelayMs({ ...policy, random: () => 0.25 }, 3)).toBe(50);
  });

  it('waits through the injected sleep', async () => {
    const waits: number[] = [];
    await waitBeforeRetry({ ...policy, sleep: async (ms) => void waits.push(ms) }, 2);
    expect(waits).toEqual([100]);
  });
});

describe('buildNamedTransaction', () => {
  const client = createDynamoDbClient({ region: 'local', endpoint: 'http://127.0.0.1:9' });
  const entities = createEntities({ documentClient: createDocumentClient(client), tableName: 'unused' });
  const claim = (name: string) => entities.nameClaims.build(PutTransaction).item({ name, nbhd_id: 'n1' });
  const member = (user: string) =>
    entities.memberships
      .build(PutTransaction)
      .item({ nbhd_id: 'n1', user_id: user, id: user, joined_at: '2026-01-01T00:00:00.000Z' });

  it('maps cancellation reasons back to item names, through lists and left-out items', () => {
    const transaction = buildNamedTransaction({
      members: [member('a'), member('b')],
      skipped: undefined,
      claim: claim('Oak'),
    });
    expect(transaction.findFailedConditions(cancelled('None', 'None', 'ConditionalCheckFailed'))).toEqual(
      new Set(['claim']),
    );
    expect(transaction.findFailedConditions(cancelled('None', 'ConditionalCheckFailed', 'None'))).toEqual(
      new Set(['members']),
    );
  });

  it('maps reasons back to names for items already built, and needs a client to send them', async () => {
    const { ToolboxItem: _parsed, ...built } = claim('Oak').params();
    const transaction = buildNamedTransaction({ claim: built, member: member('a') });
    expect(transaction.findFailedConditions(cancelled('ConditionalCheckFailed', 'None'))).toEqual(new Set(['claim']));
    await expect(buildNamedTransaction({ claim: built }).send()).rejects.toThrow('no document client to send with');
  });

  it('finds no failed condition in a conflict or another error', () => {
    const transaction = buildNamedTransaction({ claim: claim('Oak') });
    expect(transaction.findFailedConditions(cancelled('TransactionConflict')).size).toBe(0);
    expect(transaction.findFailedConditions(createAwsError('ValidationException')).size).toBe(0);
  });
});
