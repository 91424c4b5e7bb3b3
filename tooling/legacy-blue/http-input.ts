import type { IncomingMessage } from 'node:http';

/** An answer the legacy service gives: a status and FastAPI's `{detail}` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === 'string' ? detail : 'validation error');
  }
}

export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** FastAPI's 422 for a parameter that is not an integer (`{detail: [{loc, msg, type}]}`). */
function invalid(loc: (string | number)[], msg: string, type: string): HttpError {
  return new HttpError(422, [{ loc, msg, type }]);
}

export function readPathId(text: string): number {
  if (!/^-?\d{1,10}$/.test(text) || !Number.isSafeInteger(Number(text)) || Math.abs(Number(text)) > 2 ** 31 - 1) {
    throw invalid(['path', 'nbhd_id'], 'Input should be a valid integer', 'int_parsing');
  }
  return Number(text);
}

export function readInteger(text: string | null, name: string, fallback: number, min: number): number {
  if (text === null) return fallback;
  if (!/^-?\d{1,10}$/.test(text)) throw invalid(['query', name], 'Input should be a valid integer', 'int_parsing');
  const value = Number(text);
  if (value < min)
    throw invalid(['query', name], `Input should be greater than or equal to ${min}`, 'greater_than_equal');
  return value;
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new HttpError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw invalid(['body'], 'JSON decode error', 'json_invalid');
  }
}

const codePoints = (text: string) => [...text].length;

/** NbhdCreate: `name` 1–100 characters, `description` optional, at most 1000 (pydantic counts code points). */
export function readCreate(body: unknown): { name: string; description: string | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(['body'], 'Input should be a valid dictionary', 'model_attributes_type');
  }
  const { name, description } = body as { name?: unknown; description?: unknown };
  if (typeof name !== 'string') throw invalid(['body', 'name'], 'Field required', 'missing');
  if (codePoints(name) < 1 || codePoints(name) > 100) {
    throw invalid(['body', 'name'], 'String should have between 1 and 100 characters', 'string_length');
  }
  if (description !== undefined && description !== null) {
    if (typeof description !== 'string')
      throw invalid(['body', 'description'], 'Input should be a valid string', 'string_type');
    if (codePoints(description) > 1000) {
      throw invalid(['body', 'description'], 'String should have at most 1000 characters', 'string_too_long');
    }
  }
  return { name, description: typeof description === 'string' ? description : null };
}
