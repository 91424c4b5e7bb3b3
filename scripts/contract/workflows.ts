/**
 * `npm run workflows`: runs every Arazzo workflow in arazzo/ with `redocly respect`.
 *
 *   npm run workflows                                   # a local stack (DynamoDB Local + the API, test login on)
 *   SECRET_KEY=… TEST_LOGIN_USERNAME=… TEST_LOGIN_PASSWORD=… npm run workflows -- --server https://api.staging…
 *
 * Other arguments go to `redocly respect` as they are (e.g. `--workflow browse-neighborhoods`, `--verbose`).
 */
import { readdirSync } from 'node:fs';
import { type LocalStack, startLocalStack } from '../../loadtest/runner/local-stack.js';
import { localTestLogin } from '../../loadtest/shared/fixture-data.js';
import { listRequestedWorkflows, runRespect, selectWorkflowFiles, splitWorkflowArgs } from './respect.js';
import { buildWorkflowInputs, type TestLogin } from './workflow-inputs.js';

let parsed: ReturnType<typeof splitWorkflowArgs>;
try {
  parsed = splitWorkflowArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const { server, respectArgs } = parsed;
const requested = listRequestedWorkflows(respectArgs);
const files = selectWorkflowFiles(
  readdirSync('arazzo')
    .filter((file) => file.endsWith('.arazzo.yaml'))
    .sort()
    .map((file) => `arazzo/${file}`),
  requested,
);
if (files.length === 0) {
  console.error(`No workflow file in arazzo/ defines ${requested.join(', ')}.`);
  process.exit(2);
}

let stack: LocalStack | undefined;
let baseUrl: string;
let secret: string;
let testLogin: TestLogin | undefined;
if (server) {
  baseUrl = server;
  secret = process.env.SECRET_KEY ?? '';
  if (!secret) {
    console.error(
      'Set SECRET_KEY to the stage’s secret: the workflows’ users are tokens minted from it (docs/contract.md, Workflows).',
    );
    process.exit(2);
  }
  const { TEST_LOGIN_USERNAME: username, TEST_LOGIN_PASSWORD: password } = process.env;
  testLogin = username && password ? { username, password } : undefined;
} else {
  stack = await startLocalStack(process.env.DYNAMODB_ENDPOINT_URL, {
    BSKY_USERNAME: localTestLogin.username,
    BSKY_PASSWORD: localTestLogin.password,
  });
  baseUrl = stack.baseUrl;
  secret = stack.secretKey;
  testLogin = localTestLogin;
}

let exitCode = 1;
try {
  const inputs = await buildWorkflowInputs(secret, testLogin);
  const skip = testLogin || requested.length > 0 ? [] : ['--skip', 'sign-in-and-membership'];
  if (skip.length > 0) console.log('No TEST_LOGIN_USERNAME/TEST_LOGIN_PASSWORD: skipping sign-in-and-membership.');
  console.log(`Running ${files.length} workflow files against ${baseUrl} (run ${inputs.runId})`);
  exitCode = await runRespect({ files, baseUrl, inputs, args: [...skip, ...respectArgs] });
} finally {
  await stack?.stop();
}
process.exitCode = exitCode;
