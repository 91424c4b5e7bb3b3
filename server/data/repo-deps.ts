import type { RetryPolicy } from './faults/backoff.js';
import type { QuotaSettings } from './quota/settings.js';
import type { CursorCodec } from './table/cursor.js';
import type { Entities } from './table/entities.js';

/** What every repository is built from; lambda.ts / local.ts / tests make one and share it. */
export interface RepoDeps {
  entities: Entities;
  cursors: CursorCodec;
  /** Injected so tests can control time (TTL expiry, timestamps). */
  now: () => Date;
  /** Ids of new rows; crypto.randomUUID in production. */
  generateId: () => string;
  retryPolicy?: RetryPolicy;
  /**
   * Per-user quotas, counted inside the writes' transactions (quota/quota-guard.ts): the API's. Absent for the
   * migration's and replication's own writes, which no user sends.
   */
  quotas?: QuotaSettings;
}
