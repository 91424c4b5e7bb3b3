import { listShards } from '../../../server/data/neighborhood/keys.js';
import { createStackFloorHandler } from './stack-app.js';

/**
 * The stack floor as it was before issue 13 split GSI1 in shards: one query. Beside ./stack.ts it prices the second
 * shard's query on a cold process, which the table design costs and the app's code does not.
 */
export const handler = createStackFloorHandler(listShards.slice(0, 1));
