import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLambdaMetrics, type RequestOutcome } from '../../server/observability/lambda-telemetry.js';
import {
  metricNames,
  metricsNamespace,
  operationDimension,
  serviceName,
} from '../../server/observability/metric-names.js';

/** Runs `act` with stdout captured; returns the JSON lines written, each without its timestamp. */
function captureLines(act: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((text) => text.split('\n').filter(Boolean))
    .map((line) => {
      const parsed = JSON.parse(line) as { _aws: { Timestamp: number } };
      expect(parsed._aws.Timestamp).toBeGreaterThan(Date.now() - 60_000);
      parsed._aws.Timestamp = 0;
      return parsed;
    });
}

/** How the app used Powertools Metrics for a request: both dimension sets, four metrics, one flush. */
function recordWithPowertools(metrics: Metrics, outcome: RequestOutcome): void {
  metrics.addDimensions({});
  metrics.addDimensions({ [operationDimension]: outcome.operation });
  metrics.addMetric(metricNames.requests, MetricUnit.Count, 1);
  metrics.addMetric(metricNames.http5xx, MetricUnit.Count, outcome.status >= 500 ? 1 : 0);
  metrics.addMetric(metricNames.latency, MetricUnit.Milliseconds, outcome.latencyMs);
  metrics.addMetric(metricNames.dynamoDbThrottles, MetricUnit.Count, outcome.dynamoDbThrottles);
  metrics.publishStoredMetrics();
}

const outcomes: RequestOutcome[] = [
  { operation: 'listNeighborhoods', status: 200, latencyMs: 12.34, dynamoDbThrottles: 0 },
  { operation: 'joinNeighborhood', status: 503, latencyMs: 1.5, dynamoDbThrottles: 2 },
  { operation: 'unmatched', status: 404, latencyMs: 0, dynamoDbThrottles: 0 },
  { operation: 'a "quoted" \\ name ✓', status: 500, latencyMs: 10_000.01, dynamoDbThrottles: 0 },
];

describe('Lambda metrics (EMF)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes the EMF lines Powertools Metrics writes for the cold start and each request', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const ours = createLambdaMetrics({ stage: 'staging' });
    const theirs = new Metrics({ namespace: metricsNamespace, serviceName, defaultDimensions: { stage: 'staging' } });
    for (const functionName of ['nbhd-city-api-staging', '']) {
      const got = captureLines(() => {
        ours.recordColdStart(functionName);
        for (const outcome of outcomes) ours.recordRequest(outcome);
      });
      const expected = captureLines(() => {
        // A fresh instance per function name: Powertools writes ColdStart once per instance.
        const powertools =
          functionName === ''
            ? new Metrics({ namespace: metricsNamespace, serviceName, defaultDimensions: { stage: 'staging' } })
            : theirs;
        powertools.captureColdStartMetric(functionName);
        for (const outcome of outcomes) recordWithPowertools(powertools, outcome);
      });
      expect(got).toEqual(expected);
      expect(got).toHaveLength(1 + outcomes.length);
    }
  });

  it("names the alarms' metrics and dimensions on every request line", () => {
    const [line] = captureLines(() =>
      createLambdaMetrics({ stage: 'prod' }).recordRequest({
        operation: 'getHealth',
        status: 502,
        latencyMs: 7,
        dynamoDbThrottles: 1,
      }),
    );
    expect(line).toEqual({
      _aws: {
        Timestamp: 0,
        CloudWatchMetrics: [
          {
            Namespace: metricsNamespace,
            Dimensions: [
              ['service', 'stage'],
              ['service', 'stage', 'operation'],
            ],
            Metrics: [
              { Name: metricNames.requests, Unit: 'Count' },
              { Name: metricNames.http5xx, Unit: 'Count' },
              { Name: metricNames.latency, Unit: 'Milliseconds' },
              { Name: metricNames.dynamoDbThrottles, Unit: 'Count' },
            ],
          },
        ],
      },
      service: serviceName,
      stage: 'prod',
      operation: 'getHealth',
      [metricNames.requests]: 1,
      [metricNames.http5xx]: 1,
      [metricNames.latency]: 7,
      [metricNames.dynamoDbThrottles]: 1,
    });
  });
});
