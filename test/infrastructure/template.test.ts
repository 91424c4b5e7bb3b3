import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toCreateTableInput, ttlAttribute } from '../../server/data/table/definition.js';
import { metricNames, metricsNamespace, serviceName } from '../../server/observability/metric-names.js';
import {
  getFunctionProperty,
  getNamedResource,
  getResource,
  getResources,
  loadTemplate,
  templatePath,
} from './template.js';

const template = loadTemplate();
const sortBy = <T>(list: readonly T[], key: (item: T) => unknown): T[] =>
  [...list].sort((a, b) => String(key(a)).localeCompare(String(key(b))));
/** CloudFormation's `${Name}` placeholder, spelled so no linter mistakes it for a JS template string. */
const placeholder = (name: string) => ['${', name, '}'].join('');

describe('infrastructure/template.yaml', () => {
  it('passes cfn-lint (AWS CloudFormation Linter, with the SAM translator) without errors or warnings', () => {
    const result = spawnSync('cfn-lint', ['--format', 'parseable', templatePath], { encoding: 'utf8' });
    if (result.error) {
      throw new Error(`cfn-lint is not installed (pip install cfn-lint): ${result.error.message}`);
    }
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('declares the table exactly as server/data/table/definition.ts does', () => {
    const table = getResource(template, 'AWS::DynamoDB::Table').Properties;
    const code = toCreateTableInput('any');
    expect(table.BillingMode).toBe(code.BillingMode);
    const attribute = (definition: { AttributeName?: string }) => definition.AttributeName;
    expect(sortBy(table.AttributeDefinitions as { AttributeName: string }[], attribute)).toEqual(
      sortBy(code.AttributeDefinitions ?? [], attribute),
    );
    expect(table.KeySchema).toEqual(code.KeySchema);
    const indexName = (index: { IndexName?: string }) => index.IndexName;
    expect(sortBy(table.GlobalSecondaryIndexes as { IndexName: string }[], indexName)).toEqual(
      sortBy(code.GlobalSecondaryIndexes ?? [], indexName),
    );
    expect(sortBy(table.LocalSecondaryIndexes as { IndexName: string }[], indexName)).toEqual(
      sortBy(code.LocalSecondaryIndexes ?? [], indexName),
    );
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: ttlAttribute, Enabled: true });
    // CloudFormation has no StreamEnabled: a StreamSpecification with a view type is an enabled stream.
    expect(code.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table.StreamSpecification).toEqual({ StreamViewType: code.StreamSpecification?.StreamViewType });
  });

  it('keeps the table safe: point-in-time recovery, KMS encryption, retained on stack deletion', () => {
    const table = getResource(template, 'AWS::DynamoDB::Table');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('runs the bundle on nodejs22.x arm64 with a timeout under the HTTP API limit of 30 s', () => {
    expect(getFunctionProperty(template, 'Runtime')).toBe('nodejs22.x');
    expect(getFunctionProperty(template, 'Architectures')).toEqual(['arm64']);
    expect(getFunctionProperty(template, 'Handler')).toBe('index.handler');
    expect(getFunctionProperty(template, 'CodeUri')).toBe('../dist/lambda/function.zip');
    expect(getFunctionProperty(template, 'Timeout')).toBeLessThan(30);
    expect(getFunctionProperty(template, 'MemorySize')).toEqual({ Ref: 'MemorySize' });
    expect(template.Parameters.MemorySize?.Default).toBe(1024);
  });

  it('takes SECRET_KEY from Secrets Manager, never from a plain parameter or literal', () => {
    const env = (getFunctionProperty(template, 'Environment') as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(env.SECRET_KEY)).toMatch(
      /\{\{resolve:secretsmanager:\$\{AppSecretArn\}:SecretString:SECRET_KEY\}\}/,
    );
    expect(JSON.stringify(env.BSKY_PASSWORD)).toMatch(/\{\{resolve:secretsmanager:/);
    expect(JSON.stringify(env.OAUTH_PRIVATE_KEYS)).toMatch(/\{\{resolve:secretsmanager:/);
    expect(JSON.stringify(env.OAUTH_PRIVATE_KEYS)).toMatch(/\{\{resolve:secretsmanager:/);
    // Only ARNs of secrets: the values stay in Secrets Manager.
    const secretish = Object.keys(template.Parameters).filter((name) => /secret|password|key$/i.test(name));
    expect(secretish).toEqual(['AppSecretArn', 'LegacyDatabaseSecretArn']);
  });

  it('gives the HTTP API and the app the same CORS origin list, and throttles the stage', () => {
    const api = getResource(template, 'AWS::Serverless::HttpApi').Properties;
    const env = (getFunctionProperty(template, 'Environment') as { Variables: Record<string, unknown> }).Variables;
    const cors = api.CorsConfiguration as { AllowOrigins: unknown; AllowHeaders: string[] };
    expect(cors.AllowOrigins).toEqual({ Ref: 'CorsAllowedOrigins' });
    expect(env.CORS_ALLOWED_ORIGINS).toEqual({ 'Fn::Join': [',', { Ref: 'CorsAllowedOrigins' }] });
    expect(cors.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    expect(api.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: { Ref: 'ThrottlingRateLimit' },
      ThrottlingBurstLimit: { Ref: 'ThrottlingBurstLimit' },
    });
  });

  it('throttles the unauthenticated login routes apart from the rest, each a route of its own', () => {
    const api = getResource(template, 'AWS::Serverless::HttpApi').Properties;
    const events = getFunctionProperty(template, 'Events') as Record<string, { Properties: Record<string, unknown> }>;
    const routes = Object.values(events)
      .filter((event) => event.Properties.Path !== undefined)
      .map((event) => `${event.Properties.Method} ${event.Properties.Path}`);
    const loginRoutes = ['GET /auth/login', 'GET /auth/callback', 'POST /auth/test-login'];
    expect(routes.sort()).toEqual([...loginRoutes].sort());
    for (const route of loginRoutes) {
      expect((api.RouteSettings as Record<string, unknown>)[route]).toEqual({
        ThrottlingRateLimit: { Ref: 'LoginThrottlingRateLimit' },
        ThrottlingBurstLimit: { Ref: 'LoginThrottlingBurstLimit' },
      });
    }
    const cors = api.CorsConfiguration as { ExposeHeaders: string[] };
    expect(cors.ExposeHeaders).toEqual(expect.arrayContaining(['retry-after', 'ratelimit', 'ratelimit-policy']));
  });

  it('has a Stage parameter limited to staging and production, used in every resource name', () => {
    expect(template.Parameters.Stage?.AllowedValues).toEqual(['staging', 'production']);
    const table = getResource(template, 'AWS::DynamoDB::Table').Properties;
    expect(table.TableName).toEqual({ 'Fn::Sub': `nbhd-city-${placeholder('Stage')}` });
    for (const [name, alarm] of getResources(template, 'AWS::CloudWatch::Alarm')) {
      expect(JSON.stringify(alarm.Properties.AlarmName), name).toContain(placeholder('Stage'));
    }
  });

  it('sets only settings the server reads (config.ts, oauth-settings.ts), including the required ones', () => {
    const configSource = readFileSync(new URL('../../server/config.ts', import.meta.url), 'utf8');
    const oauthSource = readFileSync(new URL('../../server/oauth/oauth-settings.ts', import.meta.url), 'utf8');
    const settings = new Set(
      [...`${configSource}${oauthSource}`.matchAll(/\w+\(env, '([A-Z0-9_]+)'/g)].map((match) => match[1]),
    );
    const env = (getFunctionProperty(template, 'Environment') as { Variables: Record<string, unknown> }).Variables;
    const unknown = Object.keys(env).filter((name) => !settings.has(name) && name !== 'NODE_OPTIONS');
    expect(unknown).toEqual([]);
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['SECRET_KEY', 'STAGE', 'DYNAMODB_TABLE_NAME']));
    // AWS_REGION is set by the Lambda runtime (reserved); DYNAMODB_ENDPOINT_URL must not point away from AWS.
    expect(Object.keys(env)).not.toContain('AWS_REGION');
    expect(Object.keys(env)).not.toContain('DYNAMODB_ENDPOINT_URL');
    const logLevels = configSource.match(/'LOG_LEVEL', \[([^\]]+)\]/)?.[1]?.match(/[a-z]+/g);
    expect(template.Parameters.LogLevel?.AllowedValues).toEqual(logLevels);
  });

  it('alarms on the metrics the Lambda writes: errors, throttles, 5xx rate and p95 latency over 500 ms', () => {
    const alarms = Object.fromEntries(
      getResources(template, 'AWS::CloudWatch::Alarm').map(([name, alarm]) => [name, alarm.Properties]),
    );
    const serviceDimensions = [
      { Name: 'service', Value: serviceName },
      { Name: 'stage', Value: { Ref: 'Stage' } },
    ];
    expect(alarms.FunctionErrorsAlarm).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors' });
    expect(alarms.DynamoDbThrottlesAlarm).toMatchObject({
      Namespace: metricsNamespace,
      MetricName: metricNames.dynamoDbThrottles,
      Dimensions: serviceDimensions,
    });
    expect(alarms.LatencyP95Alarm).toMatchObject({
      Namespace: metricsNamespace,
      MetricName: metricNames.latency,
      Dimensions: serviceDimensions,
      ExtendedStatistic: 'p95',
      Threshold: 500,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const rateMetrics = ((alarms.Api5xxRateAlarm?.Metrics ?? []) as { MetricStat?: { Metric: unknown } }[])
      .filter((metric) => metric.MetricStat)
      .map((metric) => metric.MetricStat?.Metric);
    expect(rateMetrics).toEqual([
      { Namespace: metricsNamespace, MetricName: metricNames.http5xx, Dimensions: serviceDimensions },
      { Namespace: metricsNamespace, MetricName: metricNames.requests, Dimensions: serviceDimensions },
    ]);
  });

  it('outputs the API URL and the table name', () => {
    expect(JSON.stringify(template.Outputs.ApiUrl?.Value)).toContain(`${placeholder('HttpApi')}.execute-api`);
    expect(template.Outputs.TableName?.Value).toEqual({ Ref: 'Table' });
  });

  it('rolls the live alias back when the errors, 5xx-rate or latency alarm fires', () => {
    const fn = getNamedResource(template, 'ApiFunction', 'AWS::Serverless::Function').Properties;
    expect(fn.AutoPublishAlias).toBe('live');
    expect((fn.DeploymentPreference as { Alarms: unknown[] }).Alarms).toEqual([
      { Ref: 'FunctionErrorsAlarm' },
      { Ref: 'Api5xxRateAlarm' },
      { Ref: 'LatencyP95Alarm' },
    ]);
  });
});
