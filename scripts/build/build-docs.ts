import { buildApiDocs } from '../../tooling/api-docs.js';

// `npm run docs`: openapi.yaml → docs/index.html (one self-contained Redoc page, git-ignored).
console.log(`wrote ${await buildApiDocs()}`);
