/**
 * Finds the `rel="next"` target in an RFC 8288 `Link` header.
 *
 * @example
 * parseNextLink('</api/nbhds?cursor=abc>; rel="next"') // '/api/nbhds?cursor=abc'
 */
export function parseNextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>((?:[^,<"]|"[^"]*")*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] ?? '');
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) return match[1];
  }
  return undefined;
}

/** The query parameters of a `Link` target, to replay them through the typed client. */
export function readLinkQuery(target: string): Record<string, string> {
  // The base only matters for relative targets; the path is fixed by the operation.
  return Object.fromEntries(new URL(target, 'http://link.invalid').searchParams);
}

/** One page of a `next_cursor` list: its items and the cursor of the page after it (null or absent on the last). */
export interface CursorPage<T> {
  items: readonly T[];
  nextCursor: string | null | undefined;
}

/** Yields every item of a `next_cursor` list, fetching the page at `cursor`, then the next, until none is left. */
export async function* followCursor<T>(
  cursor: string | undefined,
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
): AsyncGenerator<T, void, undefined> {
  let next = cursor;
  do {
    const page = await fetchPage(next);
    yield* page.items;
    next = page.nextCursor ?? undefined;
  } while (next);
}
