import { afterAll } from 'vitest';

/**
 * Makes a public https origin (our API's, as the authorization server sees it) reach a local test server.
 * The PDS runs in this process and fetches our client metadata and JWKS with the global fetch; a confidential
 * client's id must be an https URL on a non-local domain, so this plays the part of DNS + TLS termination:
 * requests to `origin` go, unchanged otherwise, to `target()` over plain http. Everything else is untouched.
 */
export function routePublicOrigin(origin: string, target: () => string): void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    if (url.origin !== origin) return realFetch(input, init);
    const local = `${target()}${url.pathname}${url.search}`;
    // The PDS pins its own SSRF-safe dispatcher, which would resolve the public name; drop it for the hop.
    const { dispatcher: _dispatcher, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
    return realFetch(request ? new Request(local, request) : local, rest);
  }) as typeof fetch;
  afterAll(() => {
    globalThis.fetch = realFetch;
  });
}
