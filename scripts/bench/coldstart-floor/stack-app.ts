import { configure as configureServerlessExpress } from '@vendia/serverless-express';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import express from 'express';
import { createEntities } from '../../../server/data/table/entities.js';
import { createFloorDocumentClient } from './document-client.js';

// The stack floors of `npm run bench:coldstart` (stack.ts, stack-one-query.ts): the stack DESIGN.md prescribes,
// without the app. serverless-express runs an Express app (JSON body parser, one route) whose route sends GET
// /api/nbhds's GSI1 queries (one per partition given, in parallel) through the app's dynamodb-toolbox entities.
// No validation, security headers, CORS, auth, logging or metrics.

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

function build(partitions: readonly string[]): Handler {
  const documentClient = createFloorDocumentClient();
  const entities = createEntities({ documentClient, tableName: `${process.env.DYNAMODB_TABLE_NAME}` });
  const app = express();
  app.use(express.json());
  app.get('/api/nbhds', async (_req, res, next) => {
    try {
      const pages = await Promise.all(
        partitions.map((partition) =>
          entities.table
            .build(QueryCommand)
            .query({ index: 'GSI1', partition })
            .options({ reverse: true, limit: 20 })
            .send(),
        ),
      );
      res.json({ items: pages.flatMap((page) => page.Items ?? []) });
    } catch (error) {
      next(error);
    }
  });
  return configureServerlessExpress({ app }) as unknown as Handler;
}

/** A Lambda handler built on its first event, as a floor should be (its init is part of the first response). */
export function createStackFloorHandler(partitions: readonly string[]): Handler {
  let cached: Handler | undefined;
  return (event, context) => {
    cached ??= build(partitions);
    return cached(event, context);
  };
}
