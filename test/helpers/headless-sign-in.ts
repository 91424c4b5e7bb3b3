import { request } from 'node:http';

/**
 * Completes a real sign-in + consent (or a refusal) on the local PDS's OAuth authorization server without a
 * browser, the way its sign-in page does: navigation requests plus calls to its internal page API. Node's
 * fetch forces `sec-fetch-mode: cors`, which the provider rejects, hence node:http with our own headers.
 * See shared/notes/atproto-local-pds.md; the internal API is pinned to @atproto/pds 0.5.35.
 */
export interface SignInInput {
  /** The authorization URL our server redirected the browser to. */
  authorizationUrl: string;
  username: string;
  password: string;
  /** The account's DID, named in the consent request. */
  did: string;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const apiPrefix = '/@atproto/oauth-provider/~api';

/** Signs in and consents; returns the URL the provider redirects the browser to (our callback with code). */
export async function signInAndConsent(input: SignInInput): Promise<URL> {
  const page = await openAuthorizationPage(input.authorizationUrl);
  await page.callApi('/sign-in', {
    locale: 'en',
    username: input.username,
    password: input.password,
    remember: true,
  });
  const { url } = (await page.callApi('/consent', { did: input.did })) as { url: string };
  return page.followRedirect(url);
}

/** Refuses the request on the consent screen; returns the redirect to our callback carrying the error. */
export async function rejectAuthorization(authorizationUrl: string): Promise<URL> {
  const page = await openAuthorizationPage(authorizationUrl);
  const { url } = (await page.callApi('/reject', {})) as { url: string };
  return page.followRedirect(url);
}

async function openAuthorizationPage(authorizationUrl: string) {
  const origin = new URL(authorizationUrl).origin;
  const cookies = new Map<string, string>();
  const navigate = async (url: string, from?: string) => {
    // The first load comes from our app (cross-site); the final redirect is a same-origin navigation from the page.
    const sameOrigin: Record<string, string> = from ? { 'sec-fetch-site': 'same-origin', origin, referer: from } : {};
    const response = await send(url, 'GET', {
      ...navigationHeaders,
      ...sameOrigin,
      cookie: toCookieHeader(cookies),
    });
    keepCookies(cookies, response);
    return response;
  };

  const page = await navigate(authorizationUrl);
  if (page.status !== 200) throw new Error(`authorization page answered ${page.status}: ${page.body}`);

  return {
    async callApi(endpoint: string, body: unknown): Promise<unknown> {
      const response = await send(
        `${origin}${apiPrefix}${endpoint}`,
        'POST',
        {
          'content-type': 'application/json',
          'sec-fetch-mode': 'same-origin',
          'sec-fetch-site': 'same-origin',
          'sec-fetch-dest': 'empty',
          origin,
          referer: authorizationUrl,
          'x-csrf-token': cookies.get('csrf-token') ?? '',
          cookie: toCookieHeader(cookies),
        },
        JSON.stringify(body),
      );
      keepCookies(cookies, response);
      if (response.status !== 200) throw new Error(`${endpoint} answered ${response.status}: ${response.body}`);
      return JSON.parse(response.body);
    },
    async followRedirect(url: string): Promise<URL> {
      const response = await navigate(url, authorizationUrl);
      const location = response.headers.location;
      if (typeof location !== 'string')
        throw new Error(`expected a redirect, got ${response.status}: ${response.body.slice(0, 300)}`);
      return new URL(location, url);
    },
  };
}

const navigationHeaders = {
  accept: 'text/html',
  'user-agent': 'Mozilla/5.0 (nbhd-city tests)',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-user': '?1',
};

function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function keepCookies(jar: Map<string, string>, response: RawResponse): void {
  const setCookie = response.headers['set-cookie'];
  for (const line of Array.isArray(setCookie) ? setCookie : []) {
    const [pair] = line.split(';');
    const at = pair?.indexOf('=') ?? -1;
    if (pair && at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
}

function toCookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}
