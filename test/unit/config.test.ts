import { describe, expect, it } from 'vitest';
import { ConfigError, devSecretKey, loadConfig } from '../../server/config.js';
import { defaultQuotas, quotaNames, toQuotaSetting } from '../../server/data/quota/settings.js';

describe('loadConfig', () => {
  it('fails at start with a clear message when SECRET_KEY is missing outside local mode', () => {
    expect(() => loadConfig({})).toThrow(/SECRET_KEY is required/);
    expect(() => loadConfig({ STAGE: 'production' }, { mode: 'local' })).toThrow(ConfigError);
  });

  it('uses the development key only in local mode on the local stage, and says so', () => {
    const config = loadConfig({}, { mode: 'local' });
    expect(config.secretKey).toBe(devSecretKey);
    expect(config.usesDevSecretKey).toBe(true);
  });

  it('applies the documented defaults', () => {
    const config = loadConfig({ SECRET_KEY: 's' });
    expect(config).toMatchObject({
      accessTokenExpireMinutes: 10080,
      dynamodbTableName: 'nbhd-city',
      port: 3000,
      stage: 'local',
      corsAllowedOrigins: [config.frontendUrl],
      returnUrlAllowlist: [config.frontendUrl],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be an integer/],
    [{ STAGE: 'prod' }, /STAGE must be one of/],
    [{ ACCESS_TOKEN_EXPIRE_MINUTES: '0' }, /ACCESS_TOKEN_EXPIRE_MINUTES/],
    [{ CORS_ALLOWED_ORIGINS: '*' }, /"\*" is not allowed/],
    [{ FRONTEND_URL: 'not a url' }, /FRONTEND_URL must be an absolute URL/],
    [{ QUOTA_CREATE: '20' }, /QUOTA_CREATE must be "limit\/seconds"/],
    [{ QUOTA_MEMBERSHIP_NBHD: '0/60' }, /QUOTA_MEMBERSHIP_NBHD/],
    [{ QUOTA_TEST_LOGIN: '5/-1' }, /QUOTA_TEST_LOGIN/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig({ SECRET_KEY: 's', ...env })).toThrow(message);
  });

  it('splits comma lists', () => {
    const config = loadConfig({ SECRET_KEY: 's', CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.corsAllowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('reads each quota as limit/seconds and keeps the defaults for the others', () => {
    const config = loadConfig({ SECRET_KEY: 's', QUOTA_MEMBERSHIP_NBHD: '3 / 120' });
    expect(config.quotas['membership-nbhd']).toEqual({ limit: 3, windowSeconds: 120 });
    expect(config.quotas.create).toEqual(defaultQuotas.create);
    expect(loadConfig({ SECRET_KEY: 's' }).quotas).toEqual(defaultQuotas);
    for (const name of quotaNames) {
      expect(loadConfig({ SECRET_KEY: 's', [toQuotaSetting(name)]: '7/70' }).quotas[name]).toEqual({
        limit: 7,
        windowSeconds: 70,
      });
    }
  });
});
