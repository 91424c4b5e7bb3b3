import { Pool } from 'undici';
import { roomyQuotaEnv } from '../../tooling/roomy-quotas.js';
import { createSeededRandom } from '../../tooling/seeded-random.js';
import { runFlow } from '../runner/flows.js';
import { seedFixtures } from '../runner/seed.js';
import { mintUserPool } from '../runner/user-pool.js';
import { pickFlow, type ScenarioFile } from '../shared/scenario-file.js';
import { startRecordedApp } from './recorded-app.js';
import type { RecordedRequest } from './request-recorder.js';

export interface ReplayResult {
  requests: RecordedRequest[];
  /** API requests sent per operation during the measured iterations. */
  apiRequests: Map<string, number>;
  iterations: number;
  unexpected: number;
}

/**
 * Replays the scenario mix through the real app (in process, over HTTP) against DynamoDB Local: the fixtures
 * are seeded through the API as the load test seeds them, then `iterations` flows picked by weight run one
 * at a time while every DynamoDB request is recorded.
 */
export async function replayScenarios(options: {
  file: ScenarioFile;
  iterations: number;
  seed?: number;
  endpoint?: string;
}): Promise<ReplayResult> {
  const tableName = `capacity-${Date.now()}`;
  const secretKey = 'capacity-model-secret';
  // The mix replays faster than real time, so its churning users would reach the default quotas: roomy ones here
  // (the counters are written all the same); the abuse profile (abuse.ts) runs the defaults on a simulated clock.
  const stack = await startRecordedApp({ endpoint: options.endpoint, tableName, secretKey, env: roomyQuotaEnv });
  const { recorder, origin } = stack;
  try {
    const pool = new Pool(origin, { connections: 4 });
    try {
      const users = await mintUserPool(secretKey, options.file.fixtures.users, 60);
      const fixtures = await seedFixtures(pool, '', options.file, users);
      const apiRequests = new Map<string, number>();
      let unexpected = 0;
      let attributed = 0;
      const random = createSeededRandom(options.seed ?? 1);
      recorder.start();
      for (let iteration = 0; iteration < options.iterations; iteration += 1) {
        const flow = pickFlow(options.file.flows, random());
        await runFlow(flow, iteration, {
          pool,
          basePath: '',
          file: options.file,
          users,
          fixtures,
          runStart: performance.now(),
          random,
          record: (sample) => {
            apiRequests.set(sample.operation, (apiRequests.get(sample.operation) ?? 0) + 1);
            if (!sample.expected) unexpected += 1;
            for (; attributed < recorder.requests.length; attributed += 1) {
              (recorder.requests[attributed] as RecordedRequest).operation = sample.operation;
            }
          },
        });
      }
      recorder.stop();
      return { requests: recorder.requests, apiRequests, iterations: options.iterations, unexpected };
    } finally {
      await pool.close();
    }
  } finally {
    await stack.close();
  }
}
