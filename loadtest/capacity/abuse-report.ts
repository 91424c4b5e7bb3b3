import { startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { roomyQuotaEnv } from '../../tooling/roomy-quotas.js';
import { type AbuseResult, replayAbuse } from './abuse.js';

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const statuses = (counts: Record<number, number>) =>
  Object.entries(counts)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');

/**
 * `npm run capacity -- --abuse`: the abuse profile twice on one DynamoDB Local, without quotas (roomy ones: a few
 * seconds suffice, every second looks alike) and with the defaults (more than two windows), then the neighborhood
 * partition's busiest second and what each side was answered.
 */
export async function runAbuseProfile(options: { abuserRate: number; seconds: number; endpoint?: string }) {
  const engine = options.endpoint ? undefined : await startDynamoDbLocal({ timeoutMs: 120_000 });
  const endpoint = options.endpoint ?? (engine?.endpoint as string);
  try {
    const before = await replayAbuse({ abuserRate: options.abuserRate, seconds: 3, quotaEnv: roomyQuotaEnv, endpoint });
    const after = await replayAbuse({ abuserRate: options.abuserRate, seconds: options.seconds, endpoint });
    const row = (label: string, result: AbuseResult) => ({
      quotas: label,
      'simulated s': result.seconds,
      'busiest second WCU': Math.round(result.peakWcuPerSecond),
      'mean WCU/s': Math.round(result.meanWcuPerSecond),
      'busiest second RCU': Math.round(result.peakRcuPerSecond),
      'share of partition limit': pct(result.peakShare),
      abuser: statuses(result.abuser),
      'others refused': result.neighborsRefused,
      'abuser DynamoDB calls': result.dynamodbRequests.abuser,
    });
    console.log(
      `abuse profile: one user flapping join/leave at ${options.abuserRate}/s on one neighborhood; 40 others join and ` +
        'leave it 2/s in all and it is read 10/s; one request at a time through the app on DynamoDB Local, simulated clock',
    );
    console.table([row('none (roomy)', before), row('defaults', after)]);
    console.log(`others' joins and leaves with the defaults: ${statuses(after.neighbors)}`);
    console.log(
      'a refused request sends one cancelled transaction per process and window (charged like a write in this model), ' +
        'then is answered from memory until the window ends; with N Lambda environments, at most N such per window',
    );
  } finally {
    await engine?.stop();
  }
}
