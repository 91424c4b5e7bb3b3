/**
 * Users, fixture names and run ids shared by the k6 scripts, the local load runner, the Arazzo workflow runner
 * (`npm run workflows`) and the SDK's end-to-end tests. Free of imports: k6 loads it as `.ts`, Node as `.js`.
 */

/**
 * The test login a local stack enables (`BSKY_USERNAME`/`BSKY_PASSWORD`); it signs in `did:plc:test-user`.
 * Local only: a stage has its own credentials, given by its operator.
 */
export const localTestLogin = { username: 'tester.bsky.social', password: 'app-password-1234' } as const;

/** The synthetic user pool: distinct users that exist only as token subjects (`did:plc:loadtest-<n>`). */
export function toLoadTestDid(index: number): string {
  return `did:plc:loadtest-${index}`;
}

/** A short id that keeps one run's names apart from another's on a shared stage. */
export function createRunId(): string {
  return `${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Fixture neighborhoods a load test creates in setup and deletes in teardown. */
export function toFixtureName(runId: string, index: number): string {
  return `loadtest ${runId} #${index}`;
}
export const fixtureDescription = 'Load-test fixture; removed by teardown.';

/** Neighborhoods the mix's "create" flow creates and deletes again. */
export function toCreatedName(runId: string, iteration: number): string {
  return `loadtest ${runId} c${iteration}`;
}
export const createdDescription = 'Created and deleted by a load test.';

/** The prefix of every neighborhood an Arazzo workflow run creates (each workflow deletes its own). */
export function toWorkflowNamePrefix(runId: string): string {
  return `workflow ${runId}`;
}
