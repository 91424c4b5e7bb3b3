import type { OperationId } from '../../contract/generated/operations.js';

/** One HTTP request the runner made, with the tags k6 would attach to it. */
export interface RequestSample {
  operation: OperationId;
  flow: string;
  method: string;
  /** 0 when the request failed below HTTP (refused, reset, timed out). */
  status: number;
  /** Milliseconds since the run's start when the request went out. */
  startMs: number;
  durationMs: number;
  /** The status the operation should answer with (k6's `expected_response` tag). */
  expected: boolean;
  throttled: boolean;
  /** Every check on the response passed. */
  checkOk: boolean;
  /** From the Server-Timing header, when the server sends one. */
  serverMs?: number;
  dbMs?: number;
  dbCalls?: number;
}

/** The tags a sample carries, as k6 metric selectors (`metric{tag:value}`) see them. */
export function toTags(sample: RequestSample): Record<string, string> {
  return {
    operation: sample.operation,
    name: sample.operation,
    flow: sample.flow,
    method: sample.method,
    status: String(sample.status),
    expected_response: String(sample.expected),
  };
}

/**
 * k6's percentile: linear interpolation between the two closest ranks of the sorted values
 * (the same as its Trend sink), so figures compare with a k6 summary.
 */
export function percentile(sorted: readonly number[], pct: number): number {
  if (sorted.length === 0) return 0;
  const position = (pct / 100) * (sorted.length - 1);
  const low = sorted[Math.floor(position)] as number;
  const high = sorted[Math.ceil(position)] as number;
  return low + (high - low) * (position - Math.floor(position));
}

export interface TrendStats {
  count: number;
  avg: number;
  min: number;
  med: number;
  max: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/** Summary statistics of a list of durations. */
export function summarizeTrend(values: readonly number[]): TrendStats {
  const sorted = [...values].sort((a, b) => a - b);
  const count = sorted.length;
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count,
    avg: count ? sum / count : 0,
    min: sorted[0] ?? 0,
    med: percentile(sorted, 50),
    max: sorted[count - 1] ?? 0,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}
