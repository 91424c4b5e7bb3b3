import type pg from 'pg';
import type { DatabaseSsl } from './lambda-config.js';
import { ReplicatorConfigError } from './lambda-config.js';

const rdsKeys = ['host', 'username', 'password'] as const;

const toSsl = (ssl: DatabaseSsl): pg.PoolConfig['ssl'] =>
  ssl === 'off' ? false : { rejectUnauthorized: ssl === 'verify' };

/**
 * The pg connection settings in a Secrets Manager secret: RDS's JSON shape (`host`, `port`, `username`,
 * `password`, `dbname`) or `{"DATABASE_URL": "postgres://…"}` (an `sslmode` in the URL wins over DATABASE_SSL,
 * as pg does). Errors name the keys, never the values.
 */
export function toPoolConnection(secretString: string | undefined, ssl: DatabaseSsl): pg.PoolConfig {
  let secret: Record<string, unknown>;
  try {
    secret = JSON.parse(secretString ?? '') as Record<string, unknown>;
  } catch {
    throw new ReplicatorConfigError('the database secret is not JSON: store RDS\'s {"host", "port", ...} shape');
  }
  if (typeof secret !== 'object' || secret === null) {
    throw new ReplicatorConfigError('the database secret is not a JSON object');
  }
  if (typeof secret.DATABASE_URL === 'string' && secret.DATABASE_URL) {
    return { connectionString: secret.DATABASE_URL, ssl: toSsl(ssl) };
  }
  const missing = rdsKeys.filter((key) => typeof secret[key] !== 'string' || !secret[key]);
  if (missing.length > 0) {
    throw new ReplicatorConfigError(
      `the database secret lacks ${missing.join(', ')}: it needs RDS's {host, port, username, password, dbname} ` +
        'or a DATABASE_URL key',
    );
  }
  const port = secret.port === undefined ? 5432 : Number(secret.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ReplicatorConfigError('the database secret has a port that is not a TCP port number');
  }
  return {
    host: secret.host as string,
    port,
    user: secret.username as string,
    password: secret.password as string,
    database: typeof secret.dbname === 'string' && secret.dbname ? secret.dbname : 'postgres',
    ssl: toSsl(ssl),
  };
}
