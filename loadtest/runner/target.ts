const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Checks the runner's BASE_URL: only loopback hosts, unless the user passed --allow-remote on purpose
 * (load against anything else, staging included, is k6's job: docs/loadtest.md).
 */
export function resolveTarget(baseUrl: string, allowRemote: boolean): { origin: string; basePath: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`BASE_URL is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`BASE_URL must be http:// or https://, got ${url.protocol}`);
  }
  if (!loopbackHosts.has(url.hostname) && !allowRemote) {
    throw new Error(
      `refusing to load ${url.hostname}: the local runner only targets 127.0.0.1, localhost or ::1. ` +
        'Use the k6 scripts for staging, or pass --allow-remote if you really mean this host.',
    );
  }
  // URL keeps at least "/" as the path, so the prefix for request paths is computed, not set back.
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}
