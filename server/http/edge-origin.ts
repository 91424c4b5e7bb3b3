import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors.js';

/**
 * The header the stack's CloudFront distribution adds to every request it sends to the HTTP API
 * (infrastructure/template.yaml, `EdgeDistribution`); its value is the stack's generated `EDGE_ORIGIN_SECRET`.
 */
export const edgeSecretHeader = 'x-nbhd-edge-secret';
/** The viewer's address and port as CloudFront sets it: `198.51.100.10:46532`, `2001:db8::1:46532`. */
export const viewerAddressHeader = 'cloudfront-viewer-address';

const viewerAddresses = new WeakMap<Request, string>();
const digest = (value: string) => createHash('sha256').update(value).digest();

/** The address in a `CloudFront-Viewer-Address` value (the port is what follows the last colon). */
export function parseViewerAddress(value: string): string | undefined {
  const colon = value.lastIndexOf(':');
  const address = colon > 0 ? value.slice(0, colon) : '';
  return isIP(address) ? address : undefined;
}

/**
 * Behind the edge (`EDGE_ORIGIN_SECRET` set; without it the app installs no guard), only requests that came through
 * CloudFront are served: they carry the secret header, which is then removed so nothing downstream sees or logs it. A request sent to API Gateway's
 * own address bypasses AWS WAF and gets `403 forbidden`. Only then is `CloudFront-Viewer-Address` believed: it is the
 * client address the test login's lockout counts (API Gateway's source address would be a CloudFront server's,
 * shared by everyone behind that edge location). Without a secret the header means nothing and any client could
 * forge it, so the socket's address is used.
 */
export function createEdgeOriginGuard(secret: string) {
  const expected = digest(secret);
  return (req: Request, _res: Response, next: NextFunction) => {
    const given = req.headers[edgeSecretHeader];
    delete req.headers[edgeSecretHeader];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      return next(new ApiError('forbidden', "This address does not serve the API: use the API's published URL"));
    }
    const viewer = req.headers[viewerAddressHeader];
    const address = typeof viewer === 'string' ? parseViewerAddress(viewer) : undefined;
    if (address !== undefined) viewerAddresses.set(req, address);
    next();
  };
}

/** The client's address: the edge's viewer address when the edge vouched for it, else the connection's peer. */
export function getClientAddress(req: Request): string {
  return viewerAddresses.get(req) ?? req.socket.remoteAddress ?? 'unknown';
}
