/**
 * Return URLs the web client may ask us to send the browser back to. The legacy service redirected anywhere
 * (an open redirect); now a return URL must equal an allow-list entry or sit below one (same origin, path
 * under the entry's path). Entries come from RETURN_URL_ALLOWLIST (default FRONTEND_URL).
 */
export function createReturnUrlPolicy(allowList: readonly string[]) {
  const entries = allowList.map((entry) => new URL(entry));
  return {
    /** The normalized return URL (no trailing slash), or undefined when it is not allowed. */
    check(candidate: string): string | undefined {
      let url: URL;
      try {
        url = new URL(candidate);
      } catch {
        return undefined;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
      if (url.username || url.password || url.search || url.hash) return undefined;
      const path = trimSlash(url.pathname);
      const allowed = entries.some((entry) => {
        const base = trimSlash(entry.pathname);
        return entry.origin === url.origin && (path === base || path.startsWith(`${base}/`));
      });
      return allowed ? `${url.origin}${path}` : undefined;
    },
  };
}

export type ReturnUrlPolicy = ReturnType<typeof createReturnUrlPolicy>;

function trimSlash(path: string): string {
  return path.replace(/\/+$/, '');
}
