import { metricNames, metricsNamespace, operationDimension, serviceDimensions, serviceName } from './metric-names.js';

export interface RequestOutcome {
  operation: string;
  status: number;
  latencyMs: number;
  dynamoDbThrottles: number;
}

export interface LambdaMetrics {
  /** Powertools' `ColdStart` metric (count 1, dimensions service, stage and function_name), on its own line. */
  recordColdStart(functionName: string): void;
  /**
   * One request's metrics under two dimension sets: service + stage (what the alarms read, all operations summed)
   * and service + stage + operation (per-operation dashboards).
   */
  recordRequest(outcome: RequestOutcome): void;
}

export interface LambdaMetricsOptions {
  stage: string;
  /** Where a finished line goes (stdout by default: Lambda sends it to CloudWatch Logs, which extracts the metrics). */
  writeLine?: (line: string) => void;
  now?: () => number;
}

/** A request's metrics go under both sets: the whole service (alarms) and per operation (dashboards). */
const requestDimensions = [[...serviceDimensions], [...serviceDimensions, operationDimension]];
const requestMetrics = [
  { Name: metricNames.requests, Unit: 'Count' },
  { Name: metricNames.http5xx, Unit: 'Count' },
  { Name: metricNames.latency, Unit: 'Milliseconds' },
  { Name: metricNames.dynamoDbThrottles, Unit: 'Count' },
];

/**
 * Metrics as CloudWatch embedded metric format (EMF) lines: no PutMetricData calls or IAM. The lines are the ones
 * Powertools Metrics writes for the same calls (test/unit/lambda-telemetry.test.ts holds them equal); they are
 * built here because loading and building Powertools Metrics, and its first flush, cost several ms of a cold start
 * for two fixed line shapes.
 *
 * @example
 * const metrics = createLambdaMetrics({ stage: 'prod' });
 * metrics.recordRequest({ operation: 'getHealth', status: 200, latencyMs: 3.2, dynamoDbThrottles: 0 });
 */
export function createLambdaMetrics({
  stage,
  writeLine = (line) => process.stdout.write(line),
  now = Date.now,
}: LambdaMetricsOptions): LambdaMetrics {
  const write = (dimensions: string[][], metrics: { Name: string; Unit: string }[], values: Record<string, unknown>) =>
    writeLine(
      `${JSON.stringify({
        _aws: {
          Timestamp: now(),
          CloudWatchMetrics: [{ Namespace: metricsNamespace, Dimensions: dimensions, Metrics: metrics }],
        },
        service: serviceName,
        stage,
        ...values,
      })}\n`,
    );
  return {
    recordColdStart(functionName) {
      const name = functionName.trim();
      write([[...serviceDimensions, ...(name ? ['function_name'] : [])]], [{ Name: 'ColdStart', Unit: 'Count' }], {
        ...(name ? { function_name: name } : {}),
        ColdStart: 1,
      });
    },
    recordRequest({ operation, status, latencyMs, dynamoDbThrottles }) {
      write(requestDimensions, requestMetrics, {
        [operationDimension]: operation,
        [metricNames.requests]: 1,
        [metricNames.http5xx]: status >= 500 ? 1 : 0,
        [metricNames.latency]: latencyMs,
        [metricNames.dynamoDbThrottles]: dynamoDbThrottles,
      });
    },
  };
}
