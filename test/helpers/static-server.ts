import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticServer {
  url: string;
  close: () => Promise<void>;
}

/** Serves one HTML file at `urlPath` on 127.0.0.1 (free port), the way the API serves /docs. */
export async function serveHtmlFile(filePath: string, urlPath: string): Promise<StaticServer> {
  const html = await readFile(filePath);
  const server = createServer((request, response) => {
    const found = request.url?.split(/[?#]/)[0] === urlPath;
    response.writeHead(found ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(found ? html : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${urlPath}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
