import {
  type NodeOAuthClient,
  type NodeSavedSessionStore,
  TokenInvalidError,
  TokenRefreshError,
  TokenRevokedError,
} from '@atproto/oauth-client-node';
import { createOAuthSessionStore } from '../data/oauth/session.js';
import { createOAuthStateStore } from '../data/oauth/state.js';
import { createTableLock } from '../data/table/lock.js';
import type { AppTable } from '../data/table/table.js';
import { createUserRepository, type UserRepository } from '../data/user.js';
import { createBlueskyOAuthClient } from './oauth-client.js';
import type { OAuthSettings } from './oauth-settings.js';

/** Everything the Bluesky routes use, built once per app over the app's table. */
export interface BlueskyAuth {
  settings: OAuthSettings;
  /** The client, built on first use (importing the signing keys is asynchronous). */
  getClient(): Promise<NodeOAuthClient>;
  sessionStore: NodeSavedSessionStore;
  users: UserRepository;
}

export interface BlueskyAuthOptions {
  settings: OAuthSettings;
  table: AppTable;
  now: () => Date;
  fetch?: typeof globalThis.fetch;
}

export function createBlueskyAuth({ settings, table, now, fetch }: BlueskyAuthOptions): BlueskyAuth {
  const stateStore = createOAuthStateStore({ table, ttlSeconds: settings.stateTtlSeconds, now });
  const sessionStore = createOAuthSessionStore({ table, ttlSeconds: settings.sessionTtlSeconds, now });
  const requestLock = createTableLock({ table, now });
  let client: Promise<NodeOAuthClient> | undefined;
  return {
    settings,
    sessionStore,
    users: createUserRepository({ table, now }),
    getClient() {
      client ??= createBlueskyOAuthClient({ settings, stateStore, sessionStore, requestLock, fetch }).catch(
        (error: unknown) => {
          client = undefined; // let the next request try again
          throw error;
        },
      );
      return client;
    },
  };
}

/** True when restoring a session failed because the Bluesky session is over (the user must log in again). */
export function isEndedSessionError(error: unknown): boolean {
  return (
    error instanceof TokenRefreshError ||
    error instanceof TokenRevokedError ||
    error instanceof TokenInvalidError ||
    (error instanceof Error && error.name === 'AuthMethodUnsatisfiableError')
  );
}
