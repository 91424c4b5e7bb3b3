import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { toClientBlock } from '../../server/data/quota/login-lockout.js';
import { parseViewerAddress } from '../../server/http/edge-origin.js';

describe('CloudFront-Viewer-Address', () => {
  it('gives the address without the port, IPv4 and (unbracketed) IPv6 alike', () => {
    expect(parseViewerAddress('198.51.100.10:46532')).toBe('198.51.100.10');
    expect(parseViewerAddress('2001:db8::1:46532')).toBe('2001:db8::1');
    expect(parseViewerAddress('::ffff:192.0.2.1:443')).toBe('::ffff:192.0.2.1');
  });

  it('takes nothing that is not an address and a port', () => {
    for (const value of ['', '198.51.100.10', ':443', 'example.com:443', '198.51.100.300:1', 'a b:1']) {
      expect(parseViewerAddress(value)).toBeUndefined();
    }
  });
});

describe('EDGE_ORIGIN_SECRET', () => {
  it('is off unless set, and refused at start when too short to be the generated secret', () => {
    expect(loadConfig({ SECRET_KEY: 's' }).edgeOriginSecret).toBeUndefined();
    expect(loadConfig({ SECRET_KEY: 's', EDGE_ORIGIN_SECRET: 'x'.repeat(32) }).edgeOriginSecret).toBe('x'.repeat(32));
    expect(() => loadConfig({ SECRET_KEY: 's', EDGE_ORIGIN_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ SECRET_KEY: 's', EDGE_ORIGIN_SECRET: 'short' })).toThrow(/at least 32 characters, got 5/);
  });
});

describe("the test login's client", () => {
  it('is an IPv4 address itself, and an IPv6 address its /64', () => {
    expect(toClientBlock('198.51.100.10')).toBe('198.51.100.10');
    expect(toClientBlock('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(toClientBlock('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(toClientBlock('2001:DB8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(toClientBlock('unknown')).toBe('unknown');
  });
});
