import type { HelmetOptions } from 'helmet';

/** The helmet options whose headers `securityHeaders` spells out: a JSON API frames nothing and loads nothing. */
export const securityHeaderOptions = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
} as const satisfies HelmetOptions;

/**
 * The security headers on every response, as helmet (8) sets them for `securityHeaderOptions`, written out: with
 * no nonces or per-request options they never change, and building them with helmet is a few ms of every cold
 * start. test/unit/response-headers.test.ts holds them equal to helmet's, so a helmet upgrade that changes a
 * default fails there. Keyed by the names as helmet spells them on the wire.
 */
export const securityHeaders: ReadonlyMap<string, string> = new Map([
  [
    'Content-Security-Policy',
    "default-src 'none';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'none';" +
      "img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';" +
      "style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  ],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
]);
