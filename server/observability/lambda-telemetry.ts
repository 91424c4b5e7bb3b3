import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricNames, metricsNamespace, operationDimension, serviceName } from './metric-names.js';

/** Powertools Metrics writing CloudWatch embedded metric format (EMF) lines: no PutMetricData calls or IAM. */
export function createLambdaMetrics({ stage }: { stage: string }): Metrics {
  return new Metrics({ namespace: metricsNamespace, serviceName, defaultDimensions: { stage } });
}

export interface RequestOutcome {
  operation: string;
  status: number;
  latencyMs: number;
  dynamoDbThrottles: number;
}

/**
 * Adds one request's metrics under two dimension sets: service + stage (what the alarms read, all
 * operations summed) and service + stage + operation (per-operation dashboards).
 */
export function recordRequestMetrics(metrics: Metrics, outcome: RequestOutcome): void {
  metrics.addDimensions({});
  metrics.addDimensions({ [operationDimension]: outcome.operation });
  metrics.addMetric(metricNames.requests, MetricUnit.Count, 1);
  metrics.addMetric(metricNames.http5xx, MetricUnit.Count, outcome.status >= 500 ? 1 : 0);
  metrics.addMetric(metricNames.latency, MetricUnit.Milliseconds, outcome.latencyMs);
  metrics.addMetric(metricNames.dynamoDbThrottles, MetricUnit.Count, outcome.dynamoDbThrottles);
}
