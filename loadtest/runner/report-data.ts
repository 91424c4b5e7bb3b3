import { type RequestSample, summarizeTrend, type TrendStats } from './samples.js';

export interface OperationRow {
  operation: string;
  count: number;
  rps: number;
  latency: TrendStats;
  errors: number;
  throttles: number;
  /** Time inside the app and waiting on DynamoDB, from Server-Timing (absent when the server sends none). */
  server?: TrendStats;
  db?: TrendStats;
  dbCallsAvg?: number;
}

function summarizeRow(operation: string, samples: RequestSample[], seconds: number): OperationRow {
  const ok = samples.filter((s) => s.expected);
  const timed = ok.filter((s) => s.serverMs !== undefined);
  const withDb = ok.filter((s) => s.dbMs !== undefined);
  const calls = withDb.filter((s) => s.dbCalls !== undefined).map((s) => s.dbCalls as number);
  return {
    operation,
    count: samples.length,
    rps: seconds > 0 ? samples.length / seconds : 0,
    latency: summarizeTrend(ok.map((s) => s.durationMs)),
    errors: samples.length - ok.length,
    throttles: samples.filter((s) => s.throttled).length,
    ...(timed.length ? { server: summarizeTrend(timed.map((s) => s.serverMs as number)) } : {}),
    ...(withDb.length ? { db: summarizeTrend(withDb.map((s) => s.dbMs as number)) } : {}),
    ...(calls.length ? { dbCallsAvg: calls.reduce((a, b) => a + b, 0) / calls.length } : {}),
  };
}

/**
 * One row per operation (latency over expected responses only, as the threshold reads it) and a
 * last row `all` over every request.
 */
export function summarizeByOperation(samples: readonly RequestSample[], seconds: number): OperationRow[] {
  const byOperation = new Map<string, RequestSample[]>();
  for (const sample of samples) {
    const list = byOperation.get(sample.operation) ?? [];
    list.push(sample);
    byOperation.set(sample.operation, list);
  }
  const rows = [...byOperation].map(([operation, list]) => summarizeRow(operation, list, seconds));
  rows.sort((a, b) => b.count - a.count);
  return [...rows, summarizeRow('all', [...samples], seconds)];
}

export interface SecondBucket {
  second: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Requests per one-second window of the run, with that window's latency percentiles. */
export function bucketBySecond(samples: readonly RequestSample[]): SecondBucket[] {
  const buckets: RequestSample[][] = [];
  for (const sample of samples) {
    const second = Math.max(0, Math.floor(sample.startMs / 1000));
    const bucket = buckets[second] ?? [];
    bucket.push(sample);
    buckets[second] = bucket;
  }
  return Array.from(buckets, (bucket = [], second) => {
    const stats = summarizeTrend(bucket.filter((s) => s.expected).map((s) => s.durationMs));
    return {
      second,
      requests: bucket.length,
      errors: bucket.filter((s) => !s.expected).length,
      p50: stats.p50,
      p95: stats.p95,
      p99: stats.p99,
    };
  });
}
