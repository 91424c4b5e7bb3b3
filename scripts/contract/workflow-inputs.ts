import { randomUUID } from 'node:crypto';
import { mintUserToken } from '../../loadtest/runner/user-pool.js';
import { createRunId, toLoadTestDid } from '../../loadtest/shared/fixture-data.js';

/** What the Arazzo workflows take as inputs (`$inputs.…`): one object for every workflow. */
export interface WorkflowInputs {
  runId: string;
  ownerToken: string;
  memberToken: string;
  expiredToken: string;
  testLoginUsername?: string;
  testLoginPassword?: string;
}

export interface TestLogin {
  username: string;
  password: string;
}

/**
 * Mints the workflows' users from the target's SECRET_KEY, like the load test's pool: the owner is
 * `did:plc:loadtest-0`, the second user `did:plc:loadtest-1`, and the expired token is the owner's, expired
 * an hour ago. Tokens live 30 minutes; the secret never leaves this process.
 */
export async function buildWorkflowInputs(secret: string, testLogin?: TestLogin): Promise<WorkflowInputs> {
  const [ownerToken, memberToken, expiredToken] = await Promise.all([
    mintUserToken(secret, toLoadTestDid(0), 30),
    mintUserToken(secret, toLoadTestDid(1), 30),
    mintUserToken(secret, toLoadTestDid(0), -60),
  ]);
  return {
    // The run id also keys the workflows' Idempotency-Keys, so it must be unique per run.
    runId: `${createRunId()}-${randomUUID().slice(0, 8)}`,
    ownerToken,
    memberToken,
    expiredToken,
    ...(testLogin ? { testLoginUsername: testLogin.username, testLoginPassword: testLogin.password } : {}),
  };
}
