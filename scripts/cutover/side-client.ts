import { createSessionTokens } from '../../server/auth/session-tokens.js';
import type { Side } from './ledger.js';

export interface SideAnswer<T = unknown> {
  /** 0 when the request failed before an answer (connection refused, reset). */
  status: number;
  body: T;
}

export type SideCall = <T = unknown>(
  side: Side,
  method: string,
  path: string,
  options?: { did?: string; body?: unknown },
) => Promise<SideAnswer<T>>;

/**
 * One HTTP client for both deployments, as the web client talks to whichever the weighted route sends it to:
 * the same paths, the same session tokens (both sides verify HS256 over the shared secret).
 */
export function createSideClient(urls: Record<Side, string>, secretKey: string): SideCall {
  const tokens = createSessionTokens({ secretKey, expireMinutes: 600 });
  const cache = new Map<string, Promise<string>>();
  const tokenFor = (did: string) => {
    let token = cache.get(did);
    if (!token) {
      token = tokens.issue(did);
      cache.set(did, token);
    }
    return token;
  };
  return async (side, method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.did) headers.authorization = `Bearer ${await tokenFor(options.did)}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch(`${urls[side]}${path}`, {
        method,
        headers,
        redirect: 'manual',
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      let body: unknown = text;
      if (text && response.headers.get('content-type')?.includes('json')) body = JSON.parse(text);
      if (response.status === 308) body = response.headers.get('location');
      return { status: response.status, body: body as never };
    } catch {
      return { status: 0, body: undefined as never };
    }
  };
}
