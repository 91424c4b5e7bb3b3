// `npm run oauth:keygen [kid]`: prints a new ES256 private JWK for OAUTH_PRIVATE_KEYS (see docs/oauth.md,
// "Key rotation"). The output is a secret: put it in the secret store, never in the repository or a log.
import { JoseKey } from '@atproto/oauth-client-node';

const kid = process.argv[2] ?? `key-${new Date().toISOString().slice(0, 10)}`;
const key = await JoseKey.generate(['ES256'], kid);
console.log(JSON.stringify(key.privateJwk));
