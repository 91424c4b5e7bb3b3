// Stands in for undici 7 and 8 in the Lambda bundle. @atproto-labs/fetch-node ships an Agent for each undici major
// and picks the one matching Node's built-in undici; Lambda's nodejs22.x has undici 6, so these (1.2 MiB) never
// run. If the runtime ever moves, constructing one fails loudly instead of silently dropping SSRF protection.
export class Agent {
  constructor() {
    throw new Error(`the Lambda bundle targets Node 22 (undici 6); Node ${process.version} needs a rebuild`);
  }
}
