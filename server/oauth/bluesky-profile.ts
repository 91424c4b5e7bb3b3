import type { OAuthSession } from '@atproto/oauth-client-node';
import type { Schemas } from '../api-types.js';
import { isEndedSessionError } from './bluesky-auth.js';

/** A profile field that may be missing when the app view cannot be reached. */
export type ProfileField = BlueskyProfile['unavailable'][number];

/** The `getProfile` response, as the contract's `Profile` schema describes it. */
export type BlueskyProfile = Schemas['Profile'];

interface ProfileRecord {
  displayName?: string;
  description?: string;
  avatar?: { ref?: { $link?: string } };
  banner?: { ref?: { $link?: string } };
}

const countFields = ['followersCount', 'followsCount', 'postsCount'] as const;
const recordFields = ['displayName', 'description', 'avatar', 'banner'] as const;

/**
 * The user's profile through their own OAuth session. The full view (with counts) comes from Bluesky's app
 * view, proxied by the user's PDS; when that fails, the profile record is read from the PDS itself and the
 * counts, which only the app view knows, are reported as unavailable instead of failing the request.
 */
export async function fetchBlueskyProfile(session: OAuthSession, knownHandle: string): Promise<BlueskyProfile> {
  const did = session.did;
  const full = await callXrpc(session, 'app.bsky.actor.getProfile', { actor: did });
  if (full.ok) {
    const view = full.body as Record<string, unknown>;
    return {
      did,
      handle: typeof view.handle === 'string' ? view.handle : knownHandle,
      displayName: asString(view.displayName),
      description: asString(view.description),
      avatar: asString(view.avatar),
      banner: asString(view.banner),
      followersCount: asNumber(view.followersCount),
      followsCount: asNumber(view.followsCount),
      postsCount: asNumber(view.postsCount),
      unavailable: [],
    };
  }

  const profile: BlueskyProfile = {
    did,
    handle: knownHandle,
    displayName: null,
    description: null,
    avatar: null,
    banner: null,
    followersCount: null,
    followsCount: null,
    postsCount: null,
    unavailable: [...countFields],
  };
  const record = await callXrpc(session, 'com.atproto.repo.getRecord', {
    repo: did,
    collection: 'app.bsky.actor.profile',
    rkey: 'self',
  });
  if (record.ok) {
    const value = ((record.body as { value?: ProfileRecord }).value ?? {}) as ProfileRecord;
    const pds = (await session.getTokenInfo(false)).aud;
    profile.displayName = asString(value.displayName);
    profile.description = asString(value.description);
    profile.avatar = toBlobUrl(pds, did, value.avatar);
    profile.banner = toBlobUrl(pds, did, value.banner);
  } else if (record.error !== 'RecordNotFound') {
    // An account without a profile record simply has none of these; any other failure means we don't know.
    profile.unavailable.unshift(...recordFields);
  }
  return profile;
}

/** The user's PDS no longer accepts the session (revoked, expired and not refreshable): log in again. */
export class BlueskySessionEndedError extends Error {
  override name = 'BlueskySessionEndedError';
}

type XrpcResult = { ok: true; body: unknown } | { ok: false; error: string };

async function callXrpc(session: OAuthSession, method: string, params: Record<string, string>): Promise<XrpcResult> {
  try {
    const response = await session.fetchHandler(`/xrpc/${method}?${new URLSearchParams(params)}`);
    // The client already tried a refresh on 401; still 401 means the session is over, not an outage.
    if (response.status === 401) throw new BlueskySessionEndedError(`${method} answered 401`);
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) return { ok: true, body };
    const error = (body as { error?: unknown } | undefined)?.error;
    return { ok: false, error: typeof error === 'string' ? error : `HTTP ${response.status}` };
  } catch (error) {
    if (error instanceof BlueskySessionEndedError || isEndedSessionError(error)) throw error;
    return { ok: false, error: error instanceof Error ? error.name : 'FetchError' };
  }
}

function toBlobUrl(pds: string, did: string, blob: ProfileRecord['avatar']): string | null {
  const cid = blob?.ref?.$link;
  if (!cid) return null;
  return `${pds.replace(/\/$/, '')}/xrpc/com.atproto.sync.getBlob?${new URLSearchParams({ did, cid })}`;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function asNumber(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
