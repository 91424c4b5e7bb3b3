/**
 * Announces the next page in an RFC 8288 `Link` header. The target is the same path with the new cursor and
 * the same limit (absolute path, so it resolves against whatever host the client used).
 */
export function toNextLinkHeaders(path: string, nextCursor: string | null, limit: number): Record<string, string> {
  if (!nextCursor) return {};
  const params = new URLSearchParams({ cursor: nextCursor, limit: String(limit) });
  return { Link: `<${path}?${params.toString()}>; rel="next"` };
}
