import type { Request, Response } from 'express';

/**
 * Announces the next page in an RFC 8288 `Link` header. The target is the same path with the new cursor and
 * the same limit (absolute path, so it resolves against whatever host the client used).
 */
export function setNextLink(req: Request, res: Response, nextCursor: string | null, limit: number): void {
  if (!nextCursor) return;
  const params = new URLSearchParams({ cursor: nextCursor, limit: String(limit) });
  const path = req.originalUrl.split('?')[0] ?? req.path;
  res.setHeader('Link', `<${path}?${params.toString()}>; rel="next"`);
}

/** Query values as request validation left them (coerced to numbers where the spec says integer, defaults filled). */
export function readLimit(req: Request): number {
  const value = Number(req.query.limit ?? 100);
  return Number.isInteger(value) ? value : 100;
}

export function readOptionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
