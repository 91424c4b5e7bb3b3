import { describe, expect, it } from 'vitest';
import { readOAuthSettings } from '../../server/oauth/oauth-settings.js';

const key = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd', kid: 'k1' };
const confidential = {
  BLUESKY_OAUTH_CLIENT_ID: 'https://api.nbhd.city/oauth/client-metadata.json',
  OAUTH_PRIVATE_KEYS: JSON.stringify([key]),
};
const local = { stage: 'local', port: 3000 };

describe('OAuth settings', () => {
  it('uses a loopback client redirecting to 127.0.0.1 when no client id is set outside production', () => {
    const settings = readOAuthSettings({}, local);
    expect(settings).toMatchObject({ mode: 'loopback', redirectUri: 'http://127.0.0.1:3000/auth/callback' });
    expect(settings?.entrywayUrl).toBe('https://bsky.social');
  });

  it('leaves Bluesky login unconfigured in production without a client id', () => {
    expect(readOAuthSettings({}, { stage: 'production', port: 3000 })).toBeUndefined();
  });

  it('derives the redirect URI from the client id origin in confidential mode', () => {
    expect(readOAuthSettings(confidential, local)).toMatchObject({
      mode: 'confidential',
      redirectUri: 'https://api.nbhd.city/auth/callback',
      privateKeys: [key],
    });
  });

  it('accepts the keys as a JWKS object too', () => {
    const settings = readOAuthSettings({ ...confidential, OAUTH_PRIVATE_KEYS: JSON.stringify({ keys: [key] }) }, local);
    expect(settings?.privateKeys).toEqual([key]);
  });

  it.each([
    [{ OAUTH_PRIVATE_KEYS: undefined }, /OAUTH_PRIVATE_KEYS is required/],
    [{ OAUTH_PRIVATE_KEYS: 'not json' }, /must be JSON/],
    [{ OAUTH_PRIVATE_KEYS: JSON.stringify([{ ...key, d: undefined }]) }, /not a private key/],
    [{ OAUTH_PRIVATE_KEYS: JSON.stringify([{ ...key, kid: undefined }]) }, /needs a kid/],
    [{ OAUTH_PRIVATE_KEYS: JSON.stringify([key, key]) }, /two keys with kid k1/],
    [{ OAUTH_STATE_TTL_SECONDS: '0' }, /positive integer/],
  ])('fails at start with a clear message for %j', (override, message) => {
    expect(() => readOAuthSettings({ ...confidential, ...override }, local)).toThrow(message);
  });

  it('never echoes the private keys in its error message', () => {
    const secret = '{"kty":"EC","d":"super-secret"';
    expect(() => readOAuthSettings({ ...confidential, OAUTH_PRIVATE_KEYS: secret }, local)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('super-secret') }),
    );
  });

  it('refuses plain-http authorization servers in production', () => {
    expect(() =>
      readOAuthSettings({ ...confidential, OAUTH_ALLOW_HTTP: 'true' }, { stage: 'production', port: 1 }),
    ).toThrow(/OAUTH_ALLOW_HTTP/);
  });
});
