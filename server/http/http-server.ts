import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, toProblem } from '../errors.js';

/**
 * Answers what Node's HTTP parser refuses before the app sees it (headers over `maxHeaderSize` → 431, other
 * malformed requests → 400) with a problem+json body and an X-Request-Id, as the app answers everything else.
 * Node's default writes a bare status line.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || !error.code?.startsWith('HPE_')) {
    socket.destroy();
    return;
  }
  const apiError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError('request-header-fields-too-large', 'The request headers are larger than this server accepts.')
      : new ApiError('validation-error', 'The request is not valid HTTP.');
  const requestId = randomUUID();
  const body = JSON.stringify(toProblem(apiError, '/', requestId));
  socket.end(
    [
      `HTTP/1.1 ${apiError.status} ${apiError.title}`,
      'Content-Type: application/problem+json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

/** The local HTTP server for the app (npm start, tests): Node's server with problem+json parser refusals. */
export function createHttpServer(app: RequestListener): Server {
  const server = createServer(app);
  server.on('clientError', answerClientError);
  return server;
}
