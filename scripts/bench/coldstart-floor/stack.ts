import { configure as configureServerlessExpress } from '@vendia/serverless-express';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import express from 'express';
import { listShards } from '../../../server/data/neighborhood/keys.js';
import { createEntities } from '../../../server/data/table/entities.js';
import { createFloorDocumentClient } from './document-client.js';

// Floor of `npm run bench:coldstart`: the stack DESIGN.md prescribes, without the app. serverless-express runs an
// Express app (JSON body parser, one route) whose route sends GET /api/nbhds's query through the app's
// dynamodb-toolbox entities. No validation, security headers, CORS, auth, logging or metrics.

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
let cached: Handler | undefined;

function build(): Handler {
  const documentClient = createFloorDocumentClient();
  const entities = createEntities({ documentClient, tableName: `${process.env.DYNAMODB_TABLE_NAME}` });
  const app = express();
  app.use(express.json());
  app.get('/api/nbhds', async (_req, res, next) => {
    try {
      const page = await entities.table
        .build(QueryCommand)
        .query({ index: 'GSI1', partition: listShards[0] as string })
        .options({ reverse: true, limit: 20 })
        .send();
      res.json({ items: page.Items ?? [] });
    } catch (error) {
      next(error);
    }
  });
  return configureServerlessExpress({ app }) as unknown as Handler;
}

export const handler: Handler = (event, context) => {
  cached ??= build();
  return cached(event, context);
};
