/**
 * Names shared by the embedded metrics the Lambda writes and the CloudWatch alarms that read them
 * (infrastructure/template.yaml; test/infrastructure checks that both sides agree).
 */
export const metricsNamespace = 'nbhd-city';
export const serviceName = 'nbhd-city-api';

export const metricNames = {
  requests: 'Requests',
  http5xx: 'Http5xx',
  latency: 'Latency',
  dynamoDbThrottles: 'DynamoDbThrottles',
} as const;

/** Every metric is written twice: per operation (dashboards) and for the whole service (alarms). */
export const serviceDimensions = ['service', 'stage'] as const;
export const operationDimension = 'operation';
