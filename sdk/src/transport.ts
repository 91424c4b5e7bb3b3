import type { Client } from 'openapi-fetch';
import type { paths } from '../../contract/generated/openapi.js';
import { toApiError } from './errors.js';
import { createDeadline } from './signals.js';
import type { CallOptions } from './types.js';

/** What an openapi-fetch call resolves to: `{data}` or `{error}`, always with the response. */
export interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** One raw-client call, given the signal that carries the caller's abort and the deadline. */
export type Perform<R extends RawResult> = (signal: AbortSignal) => Promise<R>;

/** The success payload type of a raw-client result. */
export type DataOf<R extends RawResult> = Exclude<R['data'], undefined>;

/** What the method groups share: the raw client and the helpers that turn its results into data or errors. */
export interface Transport {
  raw: Client<paths>;
  /** Runs a call under the deadline and returns the raw result, whatever its status. */
  exchange<R extends RawResult>(perform: Perform<R>, options?: CallOptions): Promise<R>;
  /** Runs a call; returns data and response on 2xx, throws NbhdApiError otherwise. */
  request<R extends RawResult>(
    perform: Perform<R>,
    options?: CallOptions,
  ): Promise<{ data: DataOf<R>; response: Response }>;
  /** Like `request`, returning only the data. */
  send<R extends RawResult>(perform: Perform<R>, options?: CallOptions): Promise<DataOf<R>>;
}

/** Builds the transport over a raw client, with the client-wide default timeout. */
export function createTransport(raw: Client<paths>, defaultTimeoutMs: number | undefined): Transport {
  async function exchange<R extends RawResult>(perform: Perform<R>, options?: CallOptions): Promise<R> {
    // The deadline is cleared only after openapi-fetch has read the body, so a stalled body times out too.
    const deadline = createDeadline(options?.signal, options?.timeoutMs ?? defaultTimeoutMs);
    try {
      return await perform(deadline.signal);
    } finally {
      deadline.clear();
    }
  }
  async function request<R extends RawResult>(perform: Perform<R>, options?: CallOptions) {
    const result = await exchange(perform, options);
    if (!result.response.ok) throw toApiError(result.error, result.response);
    return { data: result.data as DataOf<R>, response: result.response };
  }
  async function send<R extends RawResult>(perform: Perform<R>, options?: CallOptions) {
    return (await request(perform, options)).data;
  }
  return { raw, exchange, request, send };
}
