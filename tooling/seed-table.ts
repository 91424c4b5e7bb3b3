import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import { BatchWriteCommand, execute as executeBatchWrite } from 'dynamodb-toolbox/table/actions/batchWrite';
import type { Entities } from '../server/data/table/entities.js';
import { createSeedData, type SeedOptions } from './seed-data.js';

export interface SeedSummary {
  neighborhoods: number;
  memberships: number;
  users: number;
  ms: number;
}

/**
 * Writes the deterministic sample data (seed-data.ts) through the entities' BatchWrite, 25 items a call and a
 * few calls at once: fast enough locally, gentle on an on-demand table. `npm run db:seed` and `npm start`'s
 * demo data both use it.
 */
export async function seedTable(entities: Entities, options: SeedOptions): Promise<SeedSummary> {
  const data = createSeedData(options);
  const requests = [
    ...data.neighborhoods.map((item) => entities.neighborhoods.build(BatchPutRequest).item(item)),
    ...data.nameClaims.map((item) => entities.nameClaims.build(BatchPutRequest).item(item)),
    ...data.memberships.map((item) => entities.memberships.build(BatchPutRequest).item(item)),
  ];
  const started = performance.now();
  const batches: (typeof requests)[] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let batch = batches[next++]; batch; batch = batches[next++]) {
        await executeBatchWrite({ maxAttempts: 8 }, entities.table.build(BatchWriteCommand).requests(...batch));
      }
    }),
  );
  return {
    neighborhoods: data.neighborhoods.length,
    memberships: data.memberships.length,
    users: data.userCount,
    ms: Math.round(performance.now() - started),
  };
}
