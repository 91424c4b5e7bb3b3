import { describe, expect, it, vi } from 'vitest';
import { runWithFaultHandling } from '../../server/data/faults/fault-handling.js';
import { normalizeName, toNameClaimKey } from '../../server/data/neighborhood/keys.js';
import { ApiError } from '../../server/errors.js';
import { toApiError } from '../../server/http/error-handler.js';
import { createLogger } from '../../server/logger.js';
import { createAwsError } from '../../tooling/dynamodb-probes.js';

describe('toApiError', () => {
  it.each([
    [{ type: 'entity.parse.failed', status: 400 }, 'malformed-json'],
    [{ type: 'entity.too.large', status: 413 }, 'payload-too-large'],
    [{ type: 'request.aborted', status: 400 }, 'validation-error'],
    [{ status: 401 }, 'unauthorized'],
    [{ status: 405 }, 'not-found'],
    [{ status: 415 }, 'unsupported-media-type'],
    [new Error('boom'), 'internal-error'],
  ])('maps %o to %s', (error, slug) => {
    expect(toApiError(error).slug).toBe(slug);
  });

  it('answers any other 400 of the HTTP layer as a validation error with no field errors', () => {
    const error = toApiError({ type: 'request.size.invalid', status: 400 });
    expect(error.status).toBe(400);
    expect(error.errors).toBeUndefined();
  });
});

describe('runWithFaultHandling', () => {
  const conflict = () =>
    createAwsError('TransactionCanceledException', { CancellationReasons: [{ Code: 'TransactionConflict' }] });
  const noSleep = { attempts: 3, baseDelayMs: 10, sleep: async () => {}, random: () => 0.5 };

  it('retries conflicts up to the attempt limit, then answers 503', async () => {
    let calls = 0;
    const failing = runWithFaultHandling(async () => {
      calls += 1;
      throw conflict();
    }, noSleep);
    await expect(failing).rejects.toMatchObject({ slug: 'service-unavailable', retryAfter: 1 });
    expect(calls).toBe(3);
  });

  it('waits a jittered, doubling delay between conflict retries', async () => {
    const delays: number[] = [];
    await expect(
      runWithFaultHandling(
        async () => {
          throw conflict();
        },
        { ...noSleep, attempts: 4, sleep: async (ms) => void delays.push(ms) },
      ),
    ).rejects.toBeInstanceOf(ApiError);
    expect(delays).toEqual([5, 10, 20]);
  });

  it('does not retry a condition failure', async () => {
    let calls = 0;
    const error = createAwsError('TransactionCanceledException', {
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
    });
    await expect(
      runWithFaultHandling(async () => {
        calls += 1;
        throw error;
      }, noSleep),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });
});

describe('normalizeName', () => {
  it('folds case and compatibility characters so look-alike names collide', () => {
    expect(normalizeName('Oak PARK')).toBe(normalizeName('oak park'));
    expect(normalizeName('Ｏａｋ')).toBe('oak');
    expect(toNameClaimKey('Oak Park')).toEqual(toNameClaimKey('ＯＡＫ park'));
    // base64url(SHA-256("oak park")): the key has a fixed size whatever the name normalizes to.
    expect(toNameClaimKey('Oak Park')).toEqual({ PK: 'NAME#0Pavm2jNi9elUrTRNl9q7yLc3lJqh7gPb-bkSyZXzh0', SK: 'NAME' });
  });
});

describe('logger', () => {
  it('writes one JSON object per line and never writes token or secret fields', () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const logger = createLogger({ level: 'info', persistentKeys: { stage: 'test' } });
      logger.info('hello', {
        request_id: 'r1',
        authorization: 'Bearer abc',
        nested: { access_token: 'abc' },
        path: '/x',
        error: new Error('boom'),
      });
    } finally {
      write.mockRestore();
    }
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry).toMatchObject({ level: 'INFO', message: 'hello', request_id: 'r1', path: '/x', stage: 'test' });
    expect(entry.error).toMatchObject({ name: 'Error', message: 'boom' });
    expect(lines[0]).not.toContain('abc');
  });
});
