/**
 * `npm run bench:whoami -- [--requests N] [--same-token]`: CPU per GET /auth/me on the bench's
 * three servers (app, floor, Express floor), each request with a token the servers have not seen yet (the
 * session-token check at its dearest; the floor checks every token anyway) or, with --same-token, one token for
 * all (the app answers from the tokens it remembers). One request at a time per server, all three at once.
 */

import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { mintUserPool } from '../runner/user-pool.js';
import { startBenchStack } from './bench-stack.js';

const warmup = 1000;

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { requests: { type: 'string', default: '3000' }, 'same-token': { type: 'boolean', default: false } },
    strict: true,
  });
  const requests = Number(values.requests);
  if (!Number.isInteger(requests) || requests < 1) throw new Error('--requests must be a positive integer');
  return { requests, sameToken: values['same-token'] };
}

async function runWhoamiBench({ requests, sameToken }: ReturnType<typeof readOptions>): Promise<void> {
  const stack = await startBenchStack(process.env.DYNAMODB_ENDPOINT_URL);
  try {
    const users = await mintUserPool(stack.secretKey, sameToken ? 1 : warmup + requests, 60);
    const pools = stack.servers.map((server) => new Pool(server.baseUrl, { connections: 1, pipelining: 1 }));
    const ask = async (pool: Pool, index: number) => {
      const token = users[sameToken ? 0 : index]?.token;
      const response = await pool.request({
        method: 'GET',
        path: '/auth/me',
        headers: { authorization: `Bearer ${token}` },
      });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`GET /auth/me answered ${response.statusCode}`);
    };
    for (let index = 0; index < warmup; index++) await Promise.all(pools.map((pool) => ask(pool, index)));
    for (const server of stack.servers) server.mark();
    for (let index = warmup; index < warmup + requests; index++)
      await Promise.all(pools.map((pool) => ask(pool, index)));
    const [app, floor, express] = (await Promise.all(stack.servers.map((server) => server.report()))).map(
      (report) => report.totalUs / requests,
    ) as [number, number, number];
    await Promise.all(pools.map((pool) => pool.close()));
    console.log(
      `GET /auth/me, ${requests} requests, ${sameToken ? 'one token' : 'a new token each'}: µs of CPU per request: ` +
        `app ${app.toFixed(0)}, floor ${floor.toFixed(0)}, Express floor ${express.toFixed(0)}; ` +
        `app/floor ${(app / floor).toFixed(2)}×, app − Express floor ${(app - express).toFixed(0)} µs`,
    );
  } finally {
    await stack.stop();
  }
}

await runWhoamiBench(readOptions(process.argv.slice(2)));
