import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../server/logger.js';
import { createColdStartFlag, toInvocationKeys } from '../../server/observability/invocation-keys.js';
import { serviceName } from '../../server/observability/metric-names.js';

const lambdaContext = (awsRequestId: string) =>
  ({
    functionName: 'nbhd-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:nbhd-api',
    memoryLimitInMB: '1024',
    awsRequestId,
  }) as Context;

const accessEntry = {
  request_id: 'r-1',
  operation: 'getHealth',
  method: 'GET',
  path: '/health',
  status: 200,
  duration_ms: 3,
};

/** Runs `act` with stdout and stderr captured; returns the JSON lines each got. */
function captureLines(act: () => void): { stdout: Record<string, unknown>[]; stderr: Record<string, unknown>[] } {
  const captured = { stdout: [] as string[], stderr: [] as string[] };
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk) => {
      captured[stream].push(String(chunk));
      return true;
    }),
  );
  try {
    act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  const parse = (lines: string[]) =>
    lines.flatMap((text) => text.split('\n').filter(Boolean)).map((line) => JSON.parse(line));
  return { stdout: parse(captured.stdout), stderr: parse(captured.stderr) };
}

/** What may differ between two loggers' lines for the same call: the time, and Powertools' sampling rate (we never sample). */
const comparable = (line: Record<string, unknown> | undefined) => {
  const { timestamp, sampling_rate: _sampling, ...rest } = line ?? {};
  expect(Number.isNaN(Date.parse(String(timestamp)))).toBe(false);
  return rest;
};

const circular: Record<string, unknown> = { id: 1 };
circular.self = circular;
const failure = Object.assign(new Error('boom', { cause: new TypeError('inner') }), {
  code: 'E_BOOM',
  retryable: false,
});

/** The calls the app makes, and the awkward values Powertools has rules for. */
const calls: [
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  attributes?: Record<string, unknown> | Error,
][] = [
  ['info', 'request', accessEntry],
  ['info', 'plain'],
  ['debug', 'below the level'],
  ['warn', 'deep health check failed', { error: failure }],
  ['error', 'request failed', failure],
  [
    'error',
    'awkward values',
    {
      count: 12n,
      circular,
      authorization: 'Bearer abc',
      nested: { access_token: 'abc', list: [1, { password: 'p' }] },
    },
  ],
  ['info', 'unicode ✓ "quoted"\nnewline', { path: '/api/nbhds/ü' }],
];

describe('logger', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  for (const initialization of ['on-demand', 'provisioned-concurrency']) {
    it(`writes the lines Powertools Logger writes for the same calls, on Lambda (${initialization})`, () => {
      vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', initialization);
      vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
      const ours = createLogger({ level: 'info', persistentKeys: { stage: 'test' } });
      const theirs = new PowertoolsLogger({
        serviceName,
        logLevel: 'INFO',
        persistentKeys: { stage: 'test' },
        jsonReplacerFn: (key, value) =>
          key !== '' && /authorization|token|secret|password|cookie|jwt/i.test(key) ? '[redacted]' : value,
      });
      const isColdStart = createColdStartFlag();
      for (const requestId of ['aws-1', 'aws-2']) {
        const context = lambdaContext(requestId);
        const run = (act: (level: (typeof calls)[number]) => void) => captureLines(() => calls.forEach(act));
        const got = run(([level, message, attributes]) => {
          ours.setInvocationKeys(toInvocationKeys(context, requestId === 'aws-1' && isColdStart(), `api-${requestId}`));
          ours[level](message, attributes);
        });
        const expected = run(([level, message, attributes]) => {
          theirs.addContext(context);
          theirs.appendKeys({ api_request_id: `api-${requestId}` });
          theirs[level](message, attributes as Error);
          theirs.resetKeys();
        });
        for (const stream of ['stdout', 'stderr'] as const) {
          expect(got[stream].map(comparable)).toEqual(expected[stream].map(comparable));
        }
        expect(got.stdout[0]).toMatchObject({
          level: 'INFO',
          message: 'request',
          service: serviceName,
          stage: 'test',
          function_request_id: requestId,
          cold_start: initialization === 'on-demand' && requestId === 'aws-1',
          xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
          api_request_id: `api-${requestId}`,
          ...accessEntry,
        });
        expect(got.stderr).toHaveLength(3);
      }
    });
  }

  it('never writes token or secret fields, at any depth', () => {
    const { stderr } = captureLines(() => createLogger().error('awkward', calls[5]?.[2]));
    expect(stderr).toHaveLength(1);
    expect(JSON.stringify(stderr)).not.toMatch(/abc|"p"/);
    expect(stderr[0]).toMatchObject({ authorization: '[redacted]', count: '12', circular: { id: 1 } });
  });

  it('writes nothing below its level, and nothing at all when silent', () => {
    const warnOnly = captureLines(() => {
      const logger = createLogger({ level: 'warn' });
      logger.info('no');
      logger.warn('yes');
    });
    expect([...warnOnly.stdout, ...warnOnly.stderr].map((line) => line.message)).toEqual(['yes']);
    const silent = captureLines(() => {
      const logger = createLogger({ level: 'silent' });
      for (const level of ['debug', 'info', 'warn', 'error'] as const) logger[level]('no');
    });
    expect([...silent.stdout, ...silent.stderr]).toEqual([]);
  });

  it('drops the invocation keys once they are cleared', () => {
    const logger = createLogger({ level: 'info' });
    logger.setInvocationKeys(toInvocationKeys(lambdaContext('aws-9'), false, 'api-9'));
    logger.setInvocationKeys({});
    const [line] = captureLines(() => logger.info('request', accessEntry)).stdout;
    expect(line).toEqual({
      level: 'INFO',
      message: 'request',
      timestamp: expect.any(String),
      service: serviceName,
      ...accessEntry,
    });
  });
});
