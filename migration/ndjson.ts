import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Appends JSON lines to a file, waiting for the stream to drain so memory stays flat. */
export interface NdjsonWriter {
  write(value: unknown): Promise<void>;
  close(): Promise<void>;
}

export function createNdjsonWriter(path: string, options: { append?: boolean } = {}): NdjsonWriter {
  const stream: WriteStream = createWriteStream(path, { flags: options.append ? 'a' : 'w', encoding: 'utf8' });
  return {
    async write(value) {
      if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/** Reads a JSON-lines file one value at a time, with its 1-based line number. */
export async function* readNdjson<T>(path: string): AsyncGenerator<{ line: number; value: T }> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    yield { line, value: JSON.parse(text) as T };
  }
}
