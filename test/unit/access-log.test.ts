import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../server/logger.js';
import { createAccessLog, createColdStartFlag, toInvocationKeys } from '../../server/observability/access-log.js';

const lambdaContext = (awsRequestId: string) =>
  ({
    functionName: 'nbhd-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:nbhd-api',
    memoryLimitInMB: '1024',
    awsRequestId,
  }) as Context;

const entry = {
  request_id: 'r-1',
  operation: 'getHealth',
  method: 'GET',
  path: '/health',
  status: 200,
  duration_ms: 3,
};

/** Runs `act` with stdout captured; returns the JSON lines it wrote. */
function captureLines(act: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    write.mockRestore();
  }
  return lines.map((line) => JSON.parse(line));
}

/** The Powertools line's envelope: everything but what differs by line (message, time, sampling). */
const envelopeOf = (line: Record<string, unknown>) => {
  const { message: _message, timestamp: _timestamp, sampling_rate: _sampling, ...rest } = line;
  return rest;
};

describe('access log', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  for (const initialization of ['on-demand', 'provisioned-concurrency']) {
    it(`carries the same Lambda and persistent keys as the logger's own lines (${initialization})`, () => {
      vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', initialization);
      vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
      const logger = createLogger({ level: 'info', persistentKeys: { stage: 'test' } });
      const accessLog = createAccessLog(logger);
      const isColdStart = createColdStartFlag();
      for (const requestId of ['aws-1', 'aws-2']) {
        const [ours, theirs] = captureLines(() => {
          const context = lambdaContext(requestId);
          logger.addContext(context);
          logger.appendKeys({ api_request_id: `api-${requestId}` });
          accessLog.setInvocationKeys(toInvocationKeys(context, isColdStart(), `api-${requestId}`));
          accessLog.write(entry);
          logger.info('from the handler');
          logger.resetKeys();
        });
        expect(ours).toEqual({
          ...envelopeOf(theirs ?? {}),
          message: 'request',
          timestamp: expect.any(String),
          ...entry,
        });
        expect(theirs).toMatchObject({
          function_request_id: requestId,
          xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
        });
        expect(Number.isNaN(Date.parse(String(ours?.timestamp)))).toBe(false);
      }
    });
  }

  it('writes one JSON line per request with the service and stage, and nothing above the info level', () => {
    const logger = createLogger({ level: 'info', persistentKeys: { stage: 'test' } });
    const [line, ...rest] = captureLines(() => createAccessLog(logger).write(entry));
    expect(rest).toEqual([]);
    expect(line).toEqual({
      level: 'INFO',
      message: 'request',
      timestamp: expect.any(String),
      service: 'nbhd-city-api',
      stage: 'test',
      ...entry,
    });
    const quiet = createLogger({ level: 'warn' });
    expect(captureLines(() => createAccessLog(quiet).write(entry))).toEqual([]);
  });

  it('drops the invocation keys once they are cleared', () => {
    const logger = createLogger({ level: 'info' });
    const accessLog = createAccessLog(logger);
    accessLog.setInvocationKeys(toInvocationKeys(lambdaContext('aws-9'), false, 'api-9'));
    accessLog.setInvocationKeys({});
    const [line] = captureLines(() => accessLog.write(entry));
    expect(line).not.toHaveProperty('function_request_id');
    expect(line).not.toHaveProperty('api_request_id');
  });
});
