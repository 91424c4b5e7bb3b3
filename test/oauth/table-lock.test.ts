import { setTimeout as sleep } from 'node:timers/promises';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLockEntity, createTableLock, LockTimeoutError } from '../../server/data/table/lock.js';
import { createTable } from '../../server/data/table/table.js';
import { createTestDocumentClient } from '../helpers/document-client.js';
import { useTestTable } from '../helpers/dynamodb.js';

let table: ReturnType<typeof createTable>;

beforeAll(async () => {
  const testTable = await useTestTable('lock');
  table = createTable({ documentClient: createTestDocumentClient(testTable), tableName: testTable.tableName });
});

describe('cross-instance table lock', () => {
  it('never lets two holders (two instances) run the same critical section at once', async () => {
    // Two lock objects stand for two Lambda instances sharing the table.
    const instances = [createTableLock({ table }), createTableLock({ table })];
    let inside = 0;
    let maxInside = 0;
    const section = async () => {
      inside += 1;
      maxInside = Math.max(maxInside, inside);
      await sleep(20);
      inside -= 1;
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => instances[i % 2]?.('refresh:did:plc:a', section)));
    expect(maxInside).toBe(1);
  });

  it('gives up with LockTimeoutError while another holder keeps the lock', async () => {
    const holder = createTableLock({ table });
    const waiter = createTableLock({ table, waitMs: 150 });
    let release!: () => void;
    const held = holder('busy', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(50);
    await expect(waiter('busy', () => 'never')).rejects.toBeInstanceOf(LockTimeoutError);
    release();
    await held;
    expect(await waiter('busy', () => 'free again')).toBe('free again');
  });

  it('waits between tries of a busy lock through the injected backoff', async () => {
    const holder = createTableLock({ table });
    const waits: number[] = [];
    const waiter = createTableLock({
      table,
      waitMs: 200,
      retryPolicy: {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: 10,
        maxDelayMs: 40,
        random: () => 1,
        sleep: async (ms) => {
          waits.push(ms);
          await sleep(ms);
        },
      },
    });
    let release!: () => void;
    const held = holder('backoff', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(20);
    await expect(waiter('backoff', () => 'never')).rejects.toBeInstanceOf(LockTimeoutError);
    release();
    await held;
    expect(waits.slice(0, 4)).toEqual([10, 20, 40, 40]);
  });

  it('takes over a lock whose holder crashed once its lease ran out', async () => {
    await createLockEntity(table)
      .build(PutItemCommand)
      .item({ name: 'crashed', owner: 'gone', expires_at: Math.floor(Date.now() / 1000) - 1 })
      .send();
    expect(await createTableLock({ table, waitMs: 100 })('crashed', () => 'taken')).toBe('taken');
  });
});
