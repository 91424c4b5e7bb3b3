import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Secp256k1Keypair } from '@atproto/crypto';
import { envToCfg, envToSecrets, PDS } from '@atproto/pds';
import { Database as PlcDatabase, PlcServer } from '@did-plc/server';
import { findFreePort } from '../../tooling/free-port.js';

export interface TestAccount {
  did: string;
  handle: string;
  email: string;
  password: string;
}

export interface AtprotoNetwork {
  /** PLC directory, e.g. http://127.0.0.1:PORT */
  plcUrl: string;
  /** PDS and its OAuth authorization server (issuer), e.g. http://localhost:PORT */
  pdsUrl: string;
  /**
   * Creates an account on the PDS (handle `{name}.test`, DID registered on the PLC) and, with `displayName`,
   * its profile record.
   */
  createAccount(name: string, profile?: { displayName: string }): Promise<TestAccount>;
  close(): Promise<void>;
}

/**
 * Starts a real PLC directory (in-memory database) and the reference PDS with its OAuth authorization server,
 * in this process, on 127.0.0.1. No app view: calls that need one fail like an outage would.
 * Facts behind the settings: shared/notes/atproto-local-pds.md.
 */
export async function startAtprotoNetwork(): Promise<AtprotoNetwork> {
  const plc = PlcServer.create({ db: PlcDatabase.mock(), port: await findFreePort() });
  const plcServer = await plc.start();
  const plcAddress = plcServer.address();
  const plcPort = typeof plcAddress === 'object' && plcAddress ? plcAddress.port : 0;
  // localhost, not 127.0.0.1: the PDS refuses to fetch from IP hosts.
  const plcUrl = `http://localhost:${plcPort}`;

  const dataDirectory = await mkdtemp(path.join(tmpdir(), 'nbhd-pds-'));
  const port = await findFreePort();
  const rotationKey = await Secp256k1Keypair.create({ exportable: true });
  const recoveryKey = await Secp256k1Keypair.create();
  // Placeholders on the discard port: the app view and moderation service are unreachable on purpose.
  const unreachable = 'http://127.0.0.1:9';
  const env = {
    port,
    hostname: 'localhost',
    devMode: true,
    dataDirectory,
    blobstoreDiskLocation: path.join(dataDirectory, 'blobs'),
    didPlcUrl: plcUrl,
    recoveryDidKey: recoveryKey.did(),
    serviceHandleDomains: ['.test'],
    inviteRequired: false,
    disableSsrfProtection: true,
    bskyAppViewUrl: unreachable,
    bskyAppViewDid: 'did:example:appview',
    modServiceUrl: unreachable,
    modServiceDid: 'did:example:mod',
    crawlers: [],
    rateLimitsEnabled: false,
    jwtSecret: 'local-pds-jwt-secret',
    adminPassword: 'local-pds-admin',
    plcRotationKeyK256PrivateKeyHex: Buffer.from(await rotationKey.export()).toString('hex'),
  };
  const pds = await PDS.create(envToCfg(env), envToSecrets(env));
  await pds.start();
  const pdsUrl = `http://localhost:${port}`;

  return {
    plcUrl,
    pdsUrl,
    async createAccount(name, profile) {
      const account = {
        handle: `${name}.test`,
        email: `${name}@example.com`,
        password: `${name}-password-123`,
      };
      const response = await fetch(`${pdsUrl}/xrpc/com.atproto.server.createAccount`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });
      if (!response.ok) throw new Error(`createAccount failed: ${response.status} ${await response.text()}`);
      const { did, accessJwt } = (await response.json()) as { did: string; accessJwt: string };
      if (profile) {
        const put = await fetch(`${pdsUrl}/xrpc/com.atproto.repo.putRecord`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessJwt}` },
          body: JSON.stringify({
            repo: did,
            collection: 'app.bsky.actor.profile',
            rkey: 'self',
            record: { $type: 'app.bsky.actor.profile', displayName: profile.displayName },
          }),
        });
        if (!put.ok) throw new Error(`putRecord failed: ${put.status} ${await put.text()}`);
      }
      return { ...account, did };
    },
    async close() {
      await pds.destroy();
      await plc.destroy();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}
