import type { SessionTokens } from '../auth/session-tokens.js';
import type { Config } from '../config.js';
import type { MembershipRepo } from '../data/membership/repo.js';
import type { NeighborhoodAdminRepo } from '../data/neighborhood/admin-repo.js';
import type { NeighborhoodRepo } from '../data/neighborhood/repo.js';
import type { Entities } from '../data/table/entities.js';
import type { Logger } from '../logger.js';

/** What handlers are built from (server/runtime.ts makes one). */
export interface HandlerDeps {
  config: Readonly<Config>;
  logger: Logger;
  entities: Entities;
  sessionTokens: SessionTokens;
  neighborhoods: NeighborhoodRepo;
  neighborhoodAdmin: NeighborhoodAdminRepo;
  memberships: MembershipRepo;
  now: () => Date;
}
