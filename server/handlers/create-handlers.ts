import type { OperationHandlers } from '../http/operation-types.js';
import { type BlueskyLoginOptions, createBlueskyLoginHandlers } from '../oauth/bluesky-login.js';
import { createBlueskyFallbackHandlers, createSessionHandlers } from './auth.js';
import type { HandlerDeps } from './handler-deps.js';
import { createMembershipHandlers } from './memberships.js';
import { createNeighborhoodHandlers } from './neighborhoods.js';
import { createServiceHandlers, type ServiceDocuments } from './service.js';

export interface HandlerOptions {
  documents: ServiceDocuments;
  /** Log in with Bluesky when config.oauth is set; false answers "not configured" whatever the settings. */
  blueskyLogin: BlueskyLoginOptions | false;
}

/** Every operation of openapi.yaml, keyed by operationId: adding an operation to the contract adds one here. */
export function createHandlers(deps: HandlerDeps, { documents, blueskyLogin }: HandlerOptions): OperationHandlers {
  const session = createSessionHandlers(deps);
  const oauth = deps.config.oauth;
  return {
    ...createServiceHandlers(deps, documents),
    ...createNeighborhoodHandlers(deps),
    ...createMembershipHandlers(deps),
    ...session,
    ...(oauth && blueskyLogin !== false
      ? createBlueskyLoginHandlers(deps, oauth, blueskyLogin)
      : createBlueskyFallbackHandlers(session)),
  };
}
