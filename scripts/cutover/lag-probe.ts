import type pg from 'pg';
import { toNeighborhoodUuid } from '../../migration/ids.js';
import { percentile } from '../../migration/replication/progress.js';
import type { Ledger, Side } from './ledger.js';
import type { SideCall } from './side-client.js';

export type LagDirection = 'forward' | 'reverse';

export interface LagFigures {
  samples: number;
  /** Markers not seen on the other side within the timeout (still checked at the end like any write). */
  unseen: number;
  p50?: number | undefined;
  p95?: number | undefined;
  max?: number | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Measures replication lag end to end, as a user would notice it: a marker neighborhood created on one side
 * (blue for forward, green for reverse) every `everyMs`, and the other side polled until it serves each. Markers are ordinary
 * acknowledged creates in the ledger, so the checker checks them too. A replicator being killed and restarted
 * is part of the lag it measures.
 */
export function startLagProbes(deps: {
  call: SideCall;
  ledger: Ledger;
  sql: pg.Pool;
  step: () => number;
  everyMs?: number;
  pollMs?: number;
}) {
  const { call, ledger, sql } = deps;
  const everyMs = deps.everyMs ?? 1000;
  const pollMs = deps.pollMs ?? 25;
  const lags: Record<LagDirection, number[]> = { forward: [], reverse: [] };
  const pending: Record<LagDirection, Array<{ id: number | string; name: string; ackAt: number }>> = {
    forward: [],
    reverse: [],
  };
  let running = true;
  let counter = 0;

  /** Markers leave pending once the other side serves them; the oldest first, as each direction applies in order. */
  const collect = async (direction: LagDirection) => {
    const waiting = pending[direction];
    if (direction === 'reverse') {
      if (waiting.length === 0) return;
      const { rows } = await sql.query<{ name: string }>('SELECT name FROM neighborhoods WHERE name = ANY($1)', [
        waiting.map((m) => m.name),
      ]);
      const seen = new Set(rows.map((r) => r.name));
      const now = Date.now();
      for (const marker of waiting.filter((m) => seen.has(m.name))) lags.reverse.push(now - marker.ackAt);
      pending.reverse = waiting.filter((m) => !seen.has(m.name));
      return;
    }
    for (;;) {
      const oldest = waiting[0];
      if (!oldest) return;
      const answer = await call('green', 'GET', `/api/nbhds/${toNeighborhoodUuid(oldest.id as number)}`);
      if (answer.status !== 200) return;
      lags.forward.push(Date.now() - oldest.ackAt);
      waiting.shift();
    }
  };

  const write = async (direction: LagDirection) => {
    const side: Side = direction === 'forward' ? 'blue' : 'green';
    const user = direction === 'forward' ? 'did:plc:lagprobeforwardaaaaaaaaa' : 'did:plc:lagprobereverseaaaaaaaaa';
    while (running) {
      counter += 1;
      const name = `lag marker ${direction} ${counter}`;
      const sentAt = Date.now();
      const answer = await call<{ id: number | string }>(side, 'POST', '/api/nbhds', { did: user, body: { name } });
      const ackAt = Date.now();
      if (answer.status === 201) {
        ledger.record({ side, step: deps.step(), kind: 'create', user, nbhd: answer.body.id, name, sentAt, ackAt });
        pending[direction].push({ id: answer.body.id, name, ackAt });
      }
      await sleep(everyMs);
    }
  };
  const poll = async (direction: LagDirection) => {
    while (running) {
      await collect(direction).catch(() => undefined);
      await sleep(pollMs);
    }
  };
  const loops = (['forward', 'reverse'] as const).flatMap((d) => [write(d), poll(d)]);
  return {
    /** Stops writing markers; waits up to `drainMs` for the ones on their way (the rest count as not seen). */
    async stop(drainMs = 0): Promise<Record<LagDirection, LagFigures>> {
      running = false;
      await Promise.all(loops);
      const until = Date.now() + drainMs;
      while (Date.now() < until && (pending.forward.length || pending.reverse.length)) {
        await Promise.all([collect('forward'), collect('reverse')]);
        await sleep(pollMs);
      }
      const figures = (direction: LagDirection): LagFigures => {
        const sorted = [...lags[direction]].sort((a, b) => a - b);
        return {
          samples: sorted.length,
          unseen: pending[direction].length,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          max: sorted.at(-1),
        };
      };
      return { forward: figures('forward'), reverse: figures('reverse') };
    },
  };
}
