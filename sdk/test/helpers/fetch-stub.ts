/** A recorded request: what the SDK put on the wire. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

type Reply = Response | Error | ((request: SeenRequest) => Response | Error | Promise<Response | Error>);

/**
 * A fetch that answers from a queue of replies (the last one repeats) and records every request,
 * so unit tests check the SDK's HTTP behaviour without a server.
 */
export function stubFetch(...replies: Reply[]) {
  const seen: SeenRequest[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const record: SeenRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await request.text(),
    };
    seen.push(record);
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
    const outcome = typeof reply === 'function' ? await reply(record) : reply;
    if (outcome instanceof Error) throw outcome;
    if (!outcome) throw new Error('stubFetch: no reply configured');
    return outcome.clone();
  };
  return { fetch, seen };
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** An RFC 9457 problem response as the API sends it. */
export function problem(status: number, slug: string, title: string, extra: Record<string, unknown> = {}): Response {
  return new Response(
    JSON.stringify({ type: `https://nbhd.city/problems/${slug}`, title, status, instance: '/x', ...extra }),
    { status, headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': 'req-123' } },
  );
}

export const sampleNbhd = {
  id: '7f3c1f9e-4c59-4b2a-9a53-2d1f0c7b8e11',
  name: 'Elm Street',
  description: null,
  created_by: 'did:plc:test-user',
  created_at: '2026-11-25T10:00:00.000Z',
  updated_at: null,
  member_count: 1,
};
