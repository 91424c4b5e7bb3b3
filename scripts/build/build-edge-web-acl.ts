import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { buildEdgeWebAclTemplate, edgeWebAclOutPath } from './edge-web-acl.js';

mkdirSync(dirname(edgeWebAclOutPath), { recursive: true });
writeFileSync(edgeWebAclOutPath, `${JSON.stringify(buildEdgeWebAclTemplate(), null, 2)}\n`);
console.log(`wrote ${relative(process.cwd(), edgeWebAclOutPath)}`);
console.log(
  'deploy: aws cloudformation deploy --region us-east-1 --stack-name nbhd-city-<stage>-edge-acl ' +
    `--template-file ${relative(process.cwd(), edgeWebAclOutPath)} --parameter-overrides Stage=<stage>`,
);
