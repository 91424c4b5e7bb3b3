/**
 * Writes a tokens file for the k6 scripts: bearer tokens for the load-test user pool, signed with the
 * target's SECRET_KEY (read from the environment, never from an argument, so it stays out of shell history).
 *
 *   SECRET_KEY=… npm run loadtest:tokens -- [--count 500] [--ttl-minutes 120] [--out loadtest/.tokens.json]
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mintUserPool } from './runner/user-pool.js';
import { parseScenarioFile } from './shared/scenario-file.js';

const scenarios = parseScenarioFile(JSON.parse(readFileSync(new URL('./scenarios.json', import.meta.url), 'utf8')));
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: String(scenarios.fixtures.users) },
    'ttl-minutes': { type: 'string', default: '120' },
    out: { type: 'string', default: 'loadtest/.tokens.json' },
  },
});
const secret = process.env.SECRET_KEY ?? '';
if (!secret) {
  console.error('Set SECRET_KEY to the target stage’s secret (the tokens only work where it is the signing key).');
  process.exit(2);
}
const count = Number(values.count);
const ttl = Number(values['ttl-minutes']);
if (!Number.isInteger(count) || count < 1 || !Number.isFinite(ttl) || ttl <= 0) {
  console.error('--count must be a positive integer and --ttl-minutes a positive number');
  process.exit(2);
}
const users = await mintUserPool(secret, count, ttl);
writeFileSync(values.out, `${JSON.stringify({ expiresInMinutes: ttl, users }, null, 2)}\n`, { mode: 0o600 });
chmodSync(values.out, 0o600);
console.log(
  `wrote ${users.length} tokens (did:plc:loadtest-0 … ${users.length - 1}, valid ${ttl} min) to ${values.out}`,
);
