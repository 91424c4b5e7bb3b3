// Runs in a fresh Node process (plain JS: no TypeScript loader in the timings). Imports a Lambda module, sends
// it the API Gateway events from a JSON file one by one, and writes the responses plus timings to a JSON file.
// Usage: node invoke-lambda-module.mjs <module> <events.json> <results.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, eventsPath, resultsPath] = process.argv.slice(2);
// CLOCK_MONOTONIC (libuv's hrtime on Linux) is one clock for every process on the machine, so the parent can subtract
// its own reading at spawn. Not node:perf_hooks: the runner would load Node's perf internals into every process it
// measures, and hide them from the counts of a handler that loads them itself.
const absolute = () => Number(process.hrtime.bigint()) / 1e6;

const importStarted = absolute();
const { handler } = await import(pathToFileURL(modulePath).href);
const imported = absolute();
const events = JSON.parse(readFileSync(eventsPath, 'utf8'));
const responses = [];
let firstResponseAt;
let firstResponseCpu;
for (const [index, event] of events.entries()) {
  const context = {
    functionName: 'nbhd-city-api-smoke',
    functionVersion: '1',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:nbhd-city-api-smoke:live',
    memoryLimitInMB: '1024',
    awsRequestId: `smoke-${index}`,
    logGroupName: '/aws/lambda/nbhd-city-api-smoke',
    logStreamName: 'smoke',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 10_000,
  };
  responses.push(await handler(event, context));
  if (firstResponseAt === undefined) {
    firstResponseAt = absolute();
    firstResponseCpu = process.cpuUsage();
  }
}
writeFileSync(resultsPath, JSON.stringify({ importStarted, imported, firstResponseAt, firstResponseCpu, responses }));
// The SDK's keep-alive sockets would hold the process open.
process.exit(0);
