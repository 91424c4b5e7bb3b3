import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** The DynamoDB operation (`Query`, `TransactWriteItems`, …) from the X-Amz-Target header. */
  operation: string;
  /** The request's JSON body as sent: TableName, IndexName, Key, TransactItems, RequestItems… */
  input: Record<string, unknown>;
}

export interface DynamoDbRecorder {
  /** Point a client or a child process here instead of at the engine. */
  endpoint: string;
  /** Every call forwarded so far, in arrival order; clear with `calls.length = 0`. */
  calls: RecordedCall[];
  close(): Promise<void>;
}

/**
 * A proxy in front of a DynamoDB engine (DynamoDB Local in the tests) that forwards every call unchanged and records
 * what was sent, so a test can compare what two servers ask of DynamoDB. The engine checks no signatures, so the
 * Host header can change on the way.
 */
export async function startDynamoDbRecorder(engineEndpoint: string): Promise<DynamoDbRecorder> {
  const calls: RecordedCall[] = [];
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      calls.push({
        operation: String(req.headers['x-amz-target']).replace(/^DynamoDB_\d+\./, ''),
        input: JSON.parse(body.toString() || '{}') as Record<string, unknown>,
      });
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
      ) as Record<string, string>;
      const answer = await fetch(`${engineEndpoint}${req.url}`, { method: req.method, headers, body });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
