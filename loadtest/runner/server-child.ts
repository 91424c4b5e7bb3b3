/**
 * The API as the local runner starts it: the same createRuntime as `npm start`, plus a Server-Timing header
 * on every response that says how long the request spent in the app and how long it waited on DynamoDB
 * (an AWS SDK middleware sums each call's time per request). The runner reads the header to tell whether
 * DynamoDB Local or the app is the bottleneck. Only for load tests: staging and production don't send it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import { loadConfig } from '../../server/config.js';
import { createRuntime } from '../../server/runtime.js';
import { formatServerTiming } from './server-timing.js';

interface RequestTiming {
  started: number;
  dbMs: number;
  dbCalls: number;
}

const timings = new AsyncLocalStorage<RequestTiming>();
const config = loadConfig(process.env, { mode: 'local' });
const { app, dynamoDbClient } = createRuntime(config, { blueskyLogin: false });
dynamoDbClient.middlewareStack.add(
  (next) => async (args) => {
    const started = performance.now();
    try {
      return await next(args);
    } finally {
      const timing = timings.getStore();
      if (timing) {
        timing.dbMs += performance.now() - started;
        timing.dbCalls += 1;
      }
    }
  },
  // initialize: outermost step, so retries and (un)marshalling count as time spent on DynamoDB.
  { step: 'initialize', name: 'loadtestDynamoDbTiming' },
);

const server = createServer((req, res) => {
  const timing: RequestTiming = { started: performance.now(), dbMs: 0, dbCalls: 0 };
  const writeHead = res.writeHead;
  // Node sends implicit headers through writeHead too, so this catches every response.
  res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
    if (!res.headersSent) {
      res.setHeader(
        'Server-Timing',
        formatServerTiming(performance.now() - timing.started, timing.dbMs, timing.dbCalls),
      );
    }
    return writeHead.apply(this, args);
  } as typeof writeHead;
  timings.run(timing, () => app(req, res));
});
server.keepAliveTimeout = 65_000;
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
