import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { type LocalPostgres, loadLegacySchema, startLocalPostgres } from '../../tooling/embedded-postgres.js';

let shared: Promise<LocalPostgres> | undefined;

/**
 * Starts one real PostgreSQL for this test file (about a second) and stops it after the file.
 * Each call to `createLegacyDatabase` gives a test its own database with the legacy schema loaded.
 */
export function usePostgres(): { createLegacyDatabase(): Promise<string> } {
  if (!shared) {
    shared = startLocalPostgres();
    afterAll(async () => {
      const engine = await shared;
      shared = undefined;
      await engine?.stop();
    });
  }
  const engine = shared;
  return {
    async createLegacyDatabase() {
      const url = await (await engine).createDatabase(`legacy_${randomUUID().slice(0, 8)}`);
      await loadLegacySchema(url);
      return url;
    },
  };
}
