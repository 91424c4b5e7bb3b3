import { beforeAll, describe, expect, it } from 'vitest';
import { createSessionTokens } from '../../server/auth/session-tokens.js';
import { readToken, signHs256 } from '../fixtures/hs256-token.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp, testSecretKey } from '../helpers/test-app.js';

let api: TestApp;
const tokens = createSessionTokens({ secretKey: testSecretKey, expireMinutes: 60 });
const did = 'did:plc:token-checks';
const pyJwtHeader = { alg: 'HS256', typ: 'JWT' };
const seconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  api = await startTestApp(await useTestTable('token-checks'));
});

const whoAmI = (token: string) =>
  api.request<{ user_id?: string; detail?: string }>('GET', '/auth/me', {
    headers: { authorization: `Bearer ${token}` },
  });

describe('session tokens the API accepts', () => {
  it('accepts a token shaped as PyJWT writes it for the legacy service ({"alg":"HS256","typ":"JWT"}, sub/exp/iat)', async () => {
    const now = seconds();
    const token = signHs256(pyJwtHeader, { sub: did, exp: now + 604_800, iat: now }, testSecretKey);
    const response = await whoAmI(token);
    expect(response.status).toBe(200);
    expect(response.body.user_id).toBe(did);
    // A second request is answered from the verified tokens the process remembers, with the same result.
    expect((await whoAmI(token)).body.user_id).toBe(did);
  });

  it('accepts a token whose nbf has passed', async () => {
    const now = seconds();
    const token = signHs256(pyJwtHeader, { sub: did, iat: now - 60, nbf: now - 60, exp: now + 600 }, testSecretKey);
    expect((await whoAmI(token)).status).toBe(200);
  });

  it('issues tokens the legacy service could read: that header, sub, iat and exp = iat + the lifetime', async () => {
    const token = await createSessionTokens({ secretKey: testSecretKey, expireMinutes: 10080 }).issue(did);
    const { header, claims } = readToken(token);
    expect(header).toEqual(pyJwtHeader);
    expect(claims).toEqual({ sub: did, iat: expect.any(Number), exp: expect.any(Number) });
    const { iat, exp } = claims as { iat: number; exp: number };
    expect(exp - iat).toBe(10080 * 60);
    expect(Math.abs(iat - seconds())).toBeLessThanOrEqual(2);
    expect((await whoAmI(token)).body.user_id).toBe(did);
  });
});

describe('session tokens the API refuses with 401', () => {
  const now = seconds();
  const claims = { sub: did, iat: now, exp: now + 600 };
  const valid = signHs256(pyJwtHeader, claims, testSecretKey);
  const [validHead = '', validClaims = '', validSignature = ''] = valid.split('.');
  const signature = Buffer.from(validSignature, 'base64url');
  const refused: Array<[label: string, token: string]> = [
    ['a header saying HS512 over an HS256 signature', signHs256({ alg: 'HS512', typ: 'JWT' }, claims, testSecretKey)],
    ['a header saying HS384 over an HS256 signature', signHs256({ alg: 'HS384', typ: 'JWT' }, claims, testSecretKey)],
    [
      'a header saying none with a valid HS256 signature',
      signHs256({ alg: 'none', typ: 'JWT' }, claims, testSecretKey),
    ],
    ['a header saying none and no signature', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${validClaims}.`],
    ['a header saying RS256 (the secret taken for a public key)', signHs256({ alg: 'RS256' }, claims, testSecretKey)],
    ['a header saying ES256', signHs256({ alg: 'ES256' }, claims, testSecretKey)],
    ['a header saying hs256 in lower case', signHs256({ alg: 'hs256' }, claims, testSecretKey)],
    ['a header without alg', signHs256({ typ: 'JWT' }, claims, testSecretKey)],
    [
      'a header naming a critical extension',
      signHs256({ alg: 'HS256', crit: ['exp-ext'], 'exp-ext': 1 }, claims, testSecretKey),
    ],
    ['a signature one byte short', `${validHead}.${validClaims}.${signature.subarray(0, 31).toString('base64url')}`],
    [
      'a signature one byte long',
      `${validHead}.${validClaims}.${Buffer.concat([signature, Buffer.from([0])]).toString('base64url')}`,
    ],
    ['an empty signature', `${validHead}.${validClaims}.`],
    ['a signature in padded base64', `${validHead}.${validClaims}.${signature.toString('base64')}`],
    ['four segments', `${valid}.${validSignature}`],
    [
      'a header that is not JSON',
      `${Buffer.from('{alg:HS256}').toString('base64url')}.${validClaims}.${validSignature}`,
    ],
    ['claims that are a JSON array', signHs256(pyJwtHeader, [did], testSecretKey)],
    ['no sub', signHs256(pyJwtHeader, { iat: now, exp: now + 600 }, testSecretKey)],
    ['no exp', signHs256(pyJwtHeader, { sub: did, iat: now }, testSecretKey)],
    ['exp as a string', signHs256(pyJwtHeader, { sub: did, iat: now, exp: String(now + 600) }, testSecretKey)],
    ['iat as a string', signHs256(pyJwtHeader, { sub: did, iat: String(now), exp: now + 600 }, testSecretKey)],
    ['nbf in the future', signHs256(pyJwtHeader, { ...claims, nbf: now + 300 }, testSecretKey)],
    ['nbf as a string', signHs256(pyJwtHeader, { ...claims, nbf: String(now - 60) }, testSecretKey)],
    ['a sub that is not a DID', signHs256(pyJwtHeader, { ...claims, sub: 'alice' }, testSecretKey)],
    ['a sub that is a number', signHs256(pyJwtHeader, { ...claims, sub: 42 }, testSecretKey)],
    ['another secret', signHs256(pyJwtHeader, claims, `${testSecretKey}x`)],
  ];

  it.each(refused)('refuses %s', async (_label, token) => {
    const response = await whoAmI(token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    // The session tokens' own reason: only a correctly signed token past its exp is called expired.
    await expect(tokens.verify(token)).rejects.toThrow(/not valid|does not name a user/);
  });
});

describe("the session tokens' clock", () => {
  it('calls a correctly signed token past its exp expired, and one that is also forged not valid', async () => {
    const past = { sub: did, iat: seconds() - 7200, exp: seconds() - 3600 };
    await expect(tokens.verify(signHs256(pyJwtHeader, past, testSecretKey))).rejects.toThrow(/has expired/);
    await expect(tokens.verify(signHs256(pyJwtHeader, past, 'another-secret'))).rejects.toThrow(/not valid/);
    const expired = await whoAmI(signHs256(pyJwtHeader, past, testSecretKey));
    expect(expired.status).toBe(401);
  });

  it('refuses a remembered token once the clock passes its exp, and takes one whose nbf the clock reaches', async () => {
    let clock = new Date();
    const timed = createSessionTokens({ secretKey: testSecretKey, expireMinutes: 1, now: () => clock });
    const issued = Math.floor(clock.getTime() / 1000);
    const token = signHs256(pyJwtHeader, { sub: did, iat: issued, exp: issued + 60 }, testSecretKey);
    const early = signHs256(pyJwtHeader, { sub: did, iat: issued, nbf: issued + 30, exp: issued + 90 }, testSecretKey);
    await expect(timed.verify(token)).resolves.toBe(did);
    await expect(timed.verify(early)).rejects.toThrow(/not valid/);
    clock = new Date(clock.getTime() + 61_000);
    await expect(timed.verify(token)).rejects.toThrow(/has expired/);
    await expect(timed.verify(early)).resolves.toBe(did);
  });
});
