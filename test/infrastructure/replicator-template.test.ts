import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleReplicator, listReplicatorSourceFiles } from '../../scripts/build/replicator-bundle.js';
import { deriveDynamoDbActions } from './dynamodb-actions.js';
import { getFunctionProperty, getNamedResource, loadTemplate, type Template } from './template.js';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: unknown;
  Condition?: unknown;
}

const template: Template = loadTemplate();
const properties = (logicalId: string, type: string) => getNamedResource(template, logicalId, type).Properties;
const role = properties('ReplicatorRole', 'AWS::IAM::Role');
const statements = (role.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
  (policy) => policy.PolicyDocument.Statement,
);
/** The statements granting actions of a service (the one Deny, on quota counters, is checked on its own). */
const resourcesOf = (prefix: string) =>
  statements.filter(
    (statement) => statement.Effect === 'Allow' && statement.Action.some((action) => action.startsWith(prefix)),
  );
const tableArn = { 'Fn::GetAtt': ['Table', 'Arn'] };
const items = () => statements.find((statement) => statement.Sid === 'TableItems') as Statement;
const streamArn = { 'Fn::GetAtt': ['Table', 'StreamArn'] };

describe('the reverse replicator in infrastructure/template.yaml', () => {
  it('is off unless ReverseReplication is Enabled: every replicator resource and output carries the condition', () => {
    expect(template.Parameters.ReverseReplication).toMatchObject({
      Default: 'Disabled',
      AllowedValues: ['Enabled', 'Disabled'],
    });
    const replicatorIds = Object.keys(template.Resources).filter((id) => id.startsWith('Replicator'));
    expect(replicatorIds.sort()).toEqual(
      [
        'ReplicatorErrorsAlarm',
        'ReplicatorFailureQueue',
        'ReplicatorFailureQueueAlarm',
        'ReplicatorFunction',
        'ReplicatorIteratorAgeAlarm',
        'ReplicatorLogGroup',
        'ReplicatorRole',
        'ReplicatorStreamMapping',
      ].sort(),
    );
    for (const id of replicatorIds) expect(template.Resources[id]?.Condition, id).toBe('ReverseReplicationEnabled');
    expect(template.Outputs.ReplicatorFunctionName).toMatchObject({
      Condition: 'ReverseReplicationEnabled',
      Value: { Ref: 'ReplicatorFunction' },
    });
    expect(template.Outputs.ReplicatorFailureQueueUrl).toMatchObject({ Value: { Ref: 'ReplicatorFailureQueue' } });
  });

  it('runs the replicator bundle on nodejs22.x arm64 with the settings its config reader requires', () => {
    expect(getFunctionProperty(template, 'Runtime', 'ReplicatorFunction')).toBe('nodejs22.x');
    expect(getFunctionProperty(template, 'Architectures', 'ReplicatorFunction')).toEqual(['arm64']);
    expect(getFunctionProperty(template, 'CodeUri', 'ReplicatorFunction')).toBe('../dist/replicator/function.zip');
    expect(getFunctionProperty(template, 'Handler', 'ReplicatorFunction')).toBe('index.handler');
    const env = (getFunctionProperty(template, 'Environment', 'ReplicatorFunction') as { Variables: object })
      .Variables as Record<string, unknown>;
    const configSource = readFileSync(new URL('../../migration/replication/lambda-config.ts', import.meta.url), 'utf8');
    const read = new Set([...configSource.matchAll(/\(\s*env,\s*'([A-Z0-9_]+)'/g)].map((match) => match[1]));
    expect(Object.keys(env).filter((name) => !read.has(name) && name !== 'NODE_EXTRA_CA_CERTS')).toEqual([]);
    expect(env).toMatchObject({
      DATABASE_SECRET_ARN: { Ref: 'LegacyDatabaseSecretArn' },
      DYNAMODB_TABLE_NAME: { Ref: 'Table' },
    });
    expect(env).not.toHaveProperty('DYNAMODB_ENDPOINT_URL');
    // The secret's value never enters the template: no dynamic reference in the replicator's settings.
    expect(JSON.stringify(env)).not.toContain('resolve:secretsmanager');
  });

  it('reads the table stream in order with partial batch failures, bisecting, and an on-failure queue', () => {
    expect(properties('ReplicatorStreamMapping', 'AWS::Lambda::EventSourceMapping')).toEqual({
      EventSourceArn: streamArn,
      FunctionName: { Ref: 'ReplicatorFunction' },
      StartingPosition: 'LATEST',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 86400,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['ReplicatorFailureQueue', 'Arn'] } } },
    });
    expect(properties('ReplicatorFailureQueue', 'AWS::SQS::Queue')).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
  });

  it('alarms when the replicator falls behind, throws, or gives a batch up, and tells the alarm topic', () => {
    const alarm = (id: string) => properties(id, 'AWS::CloudWatch::Alarm');
    const toTopic = {
      AlarmActions: { 'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }] },
    };
    expect(alarm('ReplicatorIteratorAgeAlarm')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'ReplicatorFunction' } }],
      Statistic: 'Maximum',
      Threshold: 60_000,
      Period: 60,
      EvaluationPeriods: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      ...toTopic,
    });
    expect(alarm('ReplicatorErrorsAlarm')).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', ...toTopic });
    expect(alarm('ReplicatorFailureQueueAlarm')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['ReplicatorFailureQueue', 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      ...toTopic,
    });
    for (const id of ['LegacyDbReplicationSlotLagAlarm', 'LegacyDbTransactionLogsAlarm']) {
      expect(template.Resources[id]?.Condition, id).toBe('HasLegacyDbInstance');
      expect(alarm(id)).toMatchObject({ Namespace: 'AWS/RDS', ...toTopic });
    }
  });

  it('refuses to deploy the replicator without the legacy database secret', () => {
    const rules = (template as unknown as { Rules: Record<string, { RuleCondition: unknown; Assertions: unknown[] }> })
      .Rules;
    const rule = rules.ReverseReplicationNeedsTheDatabaseSecret;
    expect(rule?.RuleCondition).toEqual({ 'Fn::Equals': [{ Ref: 'ReverseReplication' }, 'Enabled'] });
    expect(JSON.stringify(rule?.Assertions)).toContain(String(template.Parameters.LegacyDatabaseSecretArn?.Default));
  });
});

describe('the replicator role is least privilege', () => {
  let derived: string[];

  beforeAll(async () => {
    const metafile = await bundleReplicator({ write: false });
    derived = [...deriveDynamoDbActions(listReplicatorSourceFiles(metafile)).keys()].sort();
  });

  it('allows on the table exactly the item actions the bundled apply code can send, on the table only', () => {
    const items = statements.filter((statement) => statement.Sid === 'TableItems');
    expect(items).toHaveLength(1);
    expect([...(items[0]?.Action ?? [])].sort()).toEqual(derived);
    expect(items[0]?.Resource).toEqual(tableArn);
    const onTable = statements.filter(
      (statement) => statement.Effect === 'Allow' && JSON.stringify(statement.Resource) === JSON.stringify(tableArn),
    );
    expect(onTable).toEqual(items);
  });

  it('is denied every item action on quota counters (QUOTA# partitions): the API keeps them, replication skips them', () => {
    const denied = statements.filter((statement) => statement.Effect === 'Deny');
    expect(denied).toEqual([
      {
        Sid: 'NoQuotaCounters',
        Effect: 'Deny',
        Action: items().Action,
        Resource: tableArn,
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['QUOTA#*'] } },
      },
    ]);
  });

  it('reads the stream only through the table stream’s ARN, and lists only the table’s streams', () => {
    expect(statements.filter((statement) => statement.Sid === 'TableStream')).toEqual([
      {
        Sid: 'TableStream',
        Effect: 'Allow',
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        Resource: streamArn,
      },
    ]);
    expect(statements.filter((statement) => statement.Sid === 'TableStreams')).toEqual([
      {
        Sid: 'TableStreams',
        Effect: 'Allow',
        Action: ['dynamodb:ListStreams'],
        Resource: { 'Fn::Sub': ['$', '{Table.Arn}/stream/*'].join('') },
      },
    ]);
    const dynamodb = resourcesOf('dynamodb:').flatMap((statement) => statement.Action);
    expect(dynamodb.sort()).toEqual(
      [
        ...derived,
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ].sort(),
    );
  });

  it('reads the one secret, sends to the one failure queue, logs to its own group, and names no resource "*"', () => {
    expect(resourcesOf('secretsmanager:')).toEqual([
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: { Ref: 'LegacyDatabaseSecretArn' } },
    ]);
    expect(resourcesOf('sqs:')).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: { 'Fn::GetAtt': ['ReplicatorFailureQueue', 'Arn'] },
      },
    ]);
    expect(resourcesOf('logs:').map((statement) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': ['ReplicatorLogGroup', 'Arn'] },
    ]);
    for (const statement of statements) {
      expect(JSON.stringify(statement.Resource)).not.toMatch(/^"\*"$|"\*"/);
      expect(statement.Action.some((action) => action.includes('*'))).toBe(false);
      expect(statement.Effect === 'Allow' || statement.Sid === 'NoQuotaCounters').toBe(true);
    }
  });

  it('gets VPC network interfaces (the managed policy) only when subnets are given', () => {
    expect(role.ManagedPolicyArns).toEqual({
      'Fn::If': [
        'ReplicatorInVpc',
        [
          {
            'Fn::Sub': ['arn:$', '{AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'].join(
              '',
            ),
          },
        ],
        { Ref: 'AWS::NoValue' },
      ],
    });
    expect(getFunctionProperty(template, 'VpcConfig', 'ReplicatorFunction')).toEqual({
      'Fn::If': [
        'ReplicatorInVpc',
        { SubnetIds: { Ref: 'ReplicatorSubnetIds' }, SecurityGroupIds: { Ref: 'ReplicatorSecurityGroupIds' } },
        { Ref: 'AWS::NoValue' },
      ],
    });
  });
});
