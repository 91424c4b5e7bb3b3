import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda, listBundledSourceFiles } from '../../scripts/build/lambda-bundle.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { startTestApp } from '../helpers/test-app.js';
import { deriveDynamoDbActions, toIamActions } from './dynamodb-actions.js';
import { getNamedResource, loadTemplate } from './template.js';

interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown;
}

const role = getNamedResource(loadTemplate(), 'FunctionRole', 'AWS::IAM::Role').Properties;
const statements = (role.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
  (policy) => policy.PolicyDocument.Statement,
);
const policyActions = (service: string) =>
  new Set(statements.flatMap((statement) => statement.Action).filter((action) => action.startsWith(`${service}:`)));

describe('the function role is least privilege', () => {
  it('allows exactly the DynamoDB actions the code bundled into the Lambda can send', async () => {
    const metafile = await bundleLambda({ write: false });
    const derived = deriveDynamoDbActions(listBundledSourceFiles(metafile));
    expect([...policyActions('dynamodb')].sort()).toEqual([...derived.keys()].sort());
  });

  it('grants DynamoDB only on the stack table and its indexes, and logs only to the function log group', () => {
    const dynamodb = statements.filter((statement) =>
      statement.Action.some((action) => action.startsWith('dynamodb:')),
    );
    expect(dynamodb.map((statement) => statement.Resource)).toEqual([
      [{ 'Fn::GetAtt': ['Table', 'Arn'] }, { 'Fn::Sub': ['$', '{Table.Arn}/index/*'].join('') }],
    ]);
    const logs = statements.filter((statement) => statement.Action.some((action) => action.startsWith('logs:')));
    expect(logs.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': ['FunctionLogGroup', 'Arn'] }]);
    expect(statements.flatMap((statement) => statement.Action).some((action) => action.includes('*'))).toBe(false);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect([...new Set(statements.map((statement) => statement.Effect))]).toEqual(['Allow']);
  });

  describe('when every API operation runs against DynamoDB Local', () => {
    const sent: string[] = [];

    beforeAll(async () => {
      const table = await useTestTable('iam');
      const client = new DynamoDBClient({ region: 'local', endpoint: table.endpoint, credentials: localCredentials });
      // Records every command the app sends with its input, so transaction items count as their own actions.
      client.middlewareStack.add(
        (next, context) => async (args) => {
          sent.push(...toIamActions(String(context.commandName), args.input as Record<string, unknown>));
          return next(args);
        },
        { step: 'initialize', name: 'iamActionRecorder' },
      );
      const api = await startTestApp(table, { overrides: { dynamoDbClient: client } });
      const creator = await api.tokenFor(createDid('creator'));
      const member = await api.tokenFor(createDid('member'));
      const created = await api.request<{ id: string }>('POST', '/api/nbhds', {
        token: creator,
        headers: { 'idempotency-key': 'iam-1' },
        body: { name: createNeighborhoodName('Iam') },
      });
      const path = `/api/nbhds/${created.body.id}`;
      const steps: [string, string, { token?: string; body?: unknown; headers?: Record<string, string> }?][] = [
        ['GET', '/health?deep=true'],
        ['GET', '/api/nbhds'],
        ['GET', path],
        ['GET', `${path}/members`],
        ['PATCH', path, { token: creator, body: { description: 'described' } }],
        ['PATCH', path, { token: creator, body: { name: createNeighborhoodName('Renamed') } }],
        ['POST', `${path}/join`, { token: member }],
        ['GET', '/api/users/me/nbhds', { token: member }],
        ['DELETE', `${path}/leave`, { token: member }],
        ['DELETE', path, { token: creator }],
      ];
      for (const [method, url, options] of steps) {
        const response = await api.request(method, url, options);
        expect(response.status, `${method} ${url}`).toBeLessThan(300);
      }
    });

    it('sends only actions the policy allows', () => {
      expect(sent.length).toBeGreaterThan(0);
      expect([...new Set(sent)].filter((action) => !policyActions('dynamodb').has(action))).toEqual([]);
    });
  });
});
