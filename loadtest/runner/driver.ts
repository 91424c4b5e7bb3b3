import { pickFlow } from '../shared/scenario-file.js';
import { type FlowContext, runFlow } from './flows.js';
import type { RequestSample } from './samples.js';

export interface DriveOptions extends Omit<FlowContext, 'record' | 'runStart'> {
  /** Iterations started per second. */
  rate: number;
  durationMs: number;
  /** Iterations running at once before new ones are dropped (k6's maxVUs). */
  maxInFlight: number;
  /**
   * Number of the first iteration: a run after a warm-up continues its numbering, so iteration-derived
   * choices (membership pairs, Idempotency-Keys, names) never repeat the warm-up's.
   */
  firstIteration?: number;
}

export interface DriveResult {
  samples: RequestSample[];
  iterations: number;
  /** Iterations not started because maxInFlight were still running (k6's dropped_iterations). */
  dropped: number;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An open-model arrival-rate loop like k6's arrival-rate executors: iteration i starts at i / rate seconds
 * whatever the server's latency, spaced evenly (autocannon's rate limit instead releases each second's
 * quota at once per connection, a burst that inflates tail latency). Bounded in time and in flight.
 */
export async function drive(options: DriveOptions): Promise<DriveResult> {
  const samples: RequestSample[] = [];
  const running = new Set<Promise<void>>();
  const runStart = performance.now();
  const context: FlowContext = { ...options, runStart, record: (sample) => samples.push(sample) };
  const interval = 1000 / options.rate;
  const total = Math.floor((options.durationMs / 1000) * options.rate);
  let dropped = 0;
  for (let i = 0; i < total; i++) {
    const wait = runStart + i * interval - performance.now();
    if (wait > 1) await sleep(wait);
    if (running.size >= options.maxInFlight) {
      dropped++;
      continue;
    }
    const flow = pickFlow(options.file.flows, options.random());
    const iteration = runFlow(flow, (options.firstIteration ?? 0) + i, context).finally(() =>
      running.delete(iteration),
    );
    running.add(iteration);
  }
  await Promise.all(running);
  return { samples, iterations: total - dropped, dropped, elapsedMs: performance.now() - runStart };
}
