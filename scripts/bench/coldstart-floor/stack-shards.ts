import { listShards } from '../../../server/data/neighborhood/keys.js';
import { createStackFloorHandler } from './stack-app.js';

/** The stack floor sending what the app's GET /api/nbhds sends on an empty table: one query per GSI1 shard. */
export const handler = createStackFloorHandler(listShards);
