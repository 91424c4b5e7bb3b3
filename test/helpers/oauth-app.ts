import { JoseKey } from '@atproto/oauth-client-node';
import { type AttributeValue, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AtprotoNetwork } from './atproto-network.js';
import type { TestTable } from './dynamodb.js';
import { startTestApp, type TestApp } from './test-app.js';

/** The public origin our API has in these tests (routed to a local app by routePublicOrigin). */
export const publicOrigin = 'https://api.nbhd.internal';
export const frontendUrl = 'https://nbhd.city';

/** Two fresh ES256 signing keys, newest first, as OAUTH_PRIVATE_KEYS holds them. */
export async function generateClientKeys(): Promise<string> {
  const keys = await Promise.all([JoseKey.generate(['ES256'], 'key-2'), JoseKey.generate(['ES256'], 'key-1')]);
  return JSON.stringify(keys.map((key) => key.privateJwk));
}

/** Starts the real app as a confidential Bluesky OAuth client of the local PDS. */
export function startOAuthApp(
  table: TestTable,
  network: AtprotoNetwork,
  privateKeys: string,
  options: { now?: () => Date } = {},
): Promise<TestApp> {
  return startTestApp(table, {
    env: {
      ...localNetworkEnv(network),
      BLUESKY_OAUTH_CLIENT_ID: `${publicOrigin}/oauth/client-metadata.json`,
      OAUTH_PRIVATE_KEYS: privateKeys,
    },
    overrides: { blueskyLogin: {}, ...(options.now ? { now: options.now } : {}) },
  });
}

/** The redirect URI a loopback (development) client registers in these tests. */
export const loopbackRedirectUri = 'http://127.0.0.1:3000/auth/callback';

/** Starts the real app as the development (loopback, public) client that `npm start` uses by default. */
export function startLoopbackApp(table: TestTable, network: AtprotoNetwork): Promise<TestApp> {
  return startTestApp(table, {
    env: { ...localNetworkEnv(network), BLUESKY_OAUTH_REDIRECT_URI: loopbackRedirectUri },
    overrides: { blueskyLogin: {} },
  });
}

function localNetworkEnv(network: AtprotoNetwork): Record<string, string> {
  return {
    FRONTEND_URL: frontendUrl,
    RETURN_URL_ALLOWLIST: `${frontendUrl},https://staging.nbhd.city/app`,
    OAUTH_ENTRYWAY_URL: network.pdsUrl,
    OAUTH_PLC_DIRECTORY_URL: network.plcUrl,
    OAUTH_HANDLE_RESOLVER_URL: network.pdsUrl,
    OAUTH_ALLOW_HTTP: 'true',
  };
}

/** The partition keys in the table, to check what a flow left behind. */
export async function listPartitionKeys(table: TestTable): Promise<string[]> {
  const { Items = [] } = await table.client.send(
    new ScanCommand({ TableName: table.tableName, ProjectionExpression: 'PK', ConsistentRead: true }),
  );
  return Items.map((item) => item.PK?.S ?? '').sort();
}

/** The raw item at `pk` / `sk`, to put it back later (replaying what an attacker or a stale copy would hold). */
export async function readItem(table: TestTable, pk: string, sk: string): Promise<Record<string, AttributeValue>> {
  const { Item } = await table.client.send(
    new GetItemCommand({ TableName: table.tableName, Key: { PK: { S: pk }, SK: { S: sk } }, ConsistentRead: true }),
  );
  if (!Item) throw new Error(`no item ${pk} / ${sk}`);
  return Item;
}

export async function writeItem(table: TestTable, item: Record<string, AttributeValue>): Promise<void> {
  await table.client.send(new PutItemCommand({ TableName: table.tableName, Item: item }));
}

/** Where the authorization server sent the browser, as a path on one of our app instances. */
export function toCallbackPath(redirect: URL, origin = publicOrigin): string {
  if (redirect.origin !== origin || redirect.pathname !== '/auth/callback') {
    throw new Error(`unexpected redirect ${redirect.href}`);
  }
  return `${redirect.pathname}${redirect.search}`;
}
