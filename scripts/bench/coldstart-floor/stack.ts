import { listShards } from '../../../server/data/neighborhood/keys.js';
import { createStackFloorHandler } from './stack-app.js';

/**
 * The stack floor issue 16's goal is measured against: the prescribed stack sending what the app's GET /api/nbhds
 * sends on an empty table, one GSI1 query per shard, so the two differ by the app's code alone (as bench:cpu's
 * floor sends the app's DynamoDB calls).
 */
export const handler = createStackFloorHandler(listShards);
