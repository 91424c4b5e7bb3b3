/**
 * The app for `npm run bench:cpu`, built by the same composition root as `npm start` (server/runtime.ts) and
 * served by the same HTTP server with its parser-error answers, but on a table the bench made, without the docs
 * page, demo data or Bluesky login (the mix never calls them).
 */
import { loadConfig } from '../../server/config.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { createRuntime } from '../../server/runtime.js';
import { attachCpuLedger } from './cpu-ledger.js';

const config = loadConfig(process.env, { mode: 'local' });
const { app } = createRuntime(config, { blueskyLogin: false });
const server = createHttpServer(app);
attachCpuLedger(server);
server.keepAliveTimeout = 65_000;
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
