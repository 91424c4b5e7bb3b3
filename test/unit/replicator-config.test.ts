import { describe, expect, it } from 'vitest';
import { toPoolConnection } from '../../migration/replication/database-secret.js';
import { loadReplicatorConfig } from '../../migration/replication/lambda-config.js';

const required = {
  DATABASE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:legacy-db',
  DYNAMODB_TABLE_NAME: 'nbhd-city-staging',
  AWS_REGION: 'eu-west-1',
};

describe('the replicator Lambda settings', () => {
  it('defaults to verified TLS, one connection and a 10 s idle timeout', () => {
    expect(loadReplicatorConfig(required)).toEqual({
      databaseSecretArn: required.DATABASE_SECRET_ARN,
      tableName: 'nbhd-city-staging',
      region: 'eu-west-1',
      dynamodbEndpointUrl: undefined,
      databaseSsl: 'verify',
      databasePoolMax: 1,
      databaseIdleTimeoutMs: 10_000,
      databaseConnectTimeoutMs: 5_000,
    });
  });

  it.each([
    ['DATABASE_SECRET_ARN', ''],
    ['DYNAMODB_TABLE_NAME', ' '],
    ['AWS_REGION', ''],
  ])('fails with a clear message when %s is missing', (name, value) => {
    expect(() => loadReplicatorConfig({ ...required, [name]: value })).toThrow(new RegExp(`^${name} is required: `));
  });

  it('refuses a pool larger than two connections and an unknown TLS mode', () => {
    expect(() => loadReplicatorConfig({ ...required, DATABASE_POOL_MAX: '5' })).toThrow(
      'DATABASE_POOL_MAX must be an integer from 1 to 2, got "5".',
    );
    expect(() => loadReplicatorConfig({ ...required, DATABASE_SSL: 'maybe' })).toThrow(
      'DATABASE_SSL must be one of verify, require, off, got "maybe".',
    );
  });
});

describe('the legacy database secret', () => {
  it("reads RDS's JSON shape, with TLS verified by default", () => {
    const secret = JSON.stringify({ host: 'db.example', port: 5433, username: 'u', password: 'p', dbname: 'nbhd' });
    expect(toPoolConnection(secret, 'verify')).toEqual({
      host: 'db.example',
      port: 5433,
      user: 'u',
      password: 'p',
      database: 'nbhd',
      ssl: { rejectUnauthorized: true },
    });
  });

  it('accepts a DATABASE_URL key instead, and turns TLS off only when told', () => {
    expect(toPoolConnection(JSON.stringify({ DATABASE_URL: 'postgres://u:p@h/db' }), 'off')).toEqual({
      connectionString: 'postgres://u:p@h/db',
      ssl: false,
    });
  });

  it('names the missing keys and never the values', () => {
    const secret = JSON.stringify({ username: 'u', password: 'hunter2' });
    expect(() => toPoolConnection(secret, 'verify')).toThrow(/lacks host: it needs RDS's/);
    expect(() => toPoolConnection('not json hunter2', 'verify')).toThrow(/^the database secret is not JSON/);
    try {
      toPoolConnection(secret, 'verify');
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});
