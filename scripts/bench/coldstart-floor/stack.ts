import { listShards } from '../../../server/data/neighborhood/keys.js';
import { createStackFloorHandler } from './stack-app.js';

/** The stack floor the goal is measured against: GET /api/nbhds's first GSI1 shard query only. */
export const handler = createStackFloorHandler(listShards.slice(0, 1));
