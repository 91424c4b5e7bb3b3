import { describe, expect, it } from 'vitest';
import { deferMethods } from '../../server/data/deferred-methods.js';

describe('deferMethods', () => {
  it('loads the implementation once, on the first call of any method, and passes the arguments through', async () => {
    let loads = 0;
    const repo = deferMethods(
      async () => {
        loads += 1;
        return {
          add: async (a: number, b: number) => a + b,
          greet: async (name: string) => `hello ${name}`,
        };
      },
      { add: true, greet: true },
    );
    expect(loads).toBe(0);
    const [sum, greeting] = await Promise.all([repo.add(2, 3), repo.greet('ann')]);
    expect([sum, greeting, loads]).toEqual([5, 'hello ann', 1]);
    await repo.add(1, 1);
    expect(loads).toBe(1);
  });

  it('passes a method’s rejection to its caller', async () => {
    const repo = deferMethods(async () => ({ fail: async () => Promise.reject(new Error('conflict')) }), {
      fail: true,
    });
    await expect(repo.fail()).rejects.toThrow('conflict');
  });

  it('tries a failed load again on the next call', async () => {
    let attempts = 0;
    const repo = deferMethods(
      async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('could not load');
        return { ping: async () => 'pong' };
      },
      { ping: true },
    );
    await expect(repo.ping()).rejects.toThrow('could not load');
    await expect(repo.ping()).resolves.toBe('pong');
    expect(attempts).toBe(2);
  });
});
