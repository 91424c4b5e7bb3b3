import { Pool } from 'undici';
import { toNeighborhoodPartition } from '../../server/data/neighborhood/keys.js';
import { mintUserToken } from '../runner/user-pool.js';
import { partitionLimits } from './projection.js';
import { startRecordedApp } from './recorded-app.js';
import type { RecordedRequest } from './request-recorder.js';

export interface AbuseOptions {
  /** The abuser's requests per second, alternating join and leave on the one neighborhood (default 150). */
  abuserRate?: number;
  /** Simulated seconds (default 130: more than two one-minute windows). */
  seconds?: number;
  /** Other users, each alternating join and leave on the same neighborhood (default 40). */
  neighbors?: number;
  /** Their joins and leaves per second, all together (default 2). */
  neighborRate?: number;
  /** Detail reads of the neighborhood per second (default 10). */
  readRate?: number;
  /** `QUOTA_*` settings; the defaults when omitted. */
  quotaEnv?: Record<string, string>;
  endpoint?: string;
}

export interface AbuseResult {
  nbhdPartition: string;
  seconds: number;
  /** Units on the neighborhood's partition per simulated second, the busiest second and the mean. */
  peakWcuPerSecond: number;
  meanWcuPerSecond: number;
  peakRcuPerSecond: number;
  /** The larger of RCU/3,000 and WCU/1,000 in the busiest second. */
  peakShare: number;
  abuser: Record<number, number>;
  neighbors: Record<number, number>;
  /** Neighbor and reader requests answered with a status they did not expect. */
  neighborsRefused: number;
  dynamodbRequests: { abuser: number; others: number };
}

interface Event {
  at: number;
  actor: 'abuser' | 'neighbor' | 'reader';
  index: number;
}

/**
 * The abuse profile: one user flapping join/leave on one neighborhood at full speed while others join, leave and
 * read it at a normal pace, through the real app on DynamoDB Local, one request at a time on a simulated clock
 * (the app's `now`), so fixed windows pass as they would in real time. Every DynamoDB request is recorded with its
 * capacity (request-recorder.ts), bucketed by simulated second on the neighborhood's partition.
 */
export async function replayAbuse(options: AbuseOptions = {}): Promise<AbuseResult> {
  const abuserRate = options.abuserRate ?? 150;
  const seconds = options.seconds ?? 130;
  const neighborCount = options.neighbors ?? 40;
  const neighborRate = options.neighborRate ?? 2;
  const readRate = options.readRate ?? 10;
  const tableName = `abuse-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const secretKey = 'capacity-abuse-secret';
  const start = Date.parse('2026-12-07T12:00:00Z');
  let clock = start;
  const stack = await startRecordedApp({
    endpoint: options.endpoint,
    tableName,
    secretKey,
    env: options.quotaEnv,
    now: () => new Date(clock),
  });
  const { recorder } = stack;
  try {
    const pool = new Pool(stack.origin, { connections: 1 });
    try {
      const send = async (method: string, path: string, token?: string, body?: unknown) => {
        const response = await pool.request({
          method,
          path,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const text = await response.body.text();
        return { status: response.statusCode, text };
      };
      const owner = await mintUserToken(secretKey, 'did:plc:abuse-owner', 600);
      const created = await send('POST', '/api/nbhds', owner, { name: `Abuse profile ${tableName}` });
      if (created.status !== 201) throw new Error(`abuse profile: create answered ${created.status} ${created.text}`);
      const nbhdId = String(JSON.parse(created.text).id);
      const abuser = await mintUserToken(secretKey, 'did:plc:abuse-flapper', 600);
      const neighbors = await Promise.all(
        Array.from({ length: neighborCount }, (_, i) => mintUserToken(secretKey, `did:plc:abuse-neighbor-${i}`, 600)),
      );
      const events: Event[] = [];
      const add = (actor: Event['actor'], rate: number) => {
        for (let i = 0; i < Math.floor(rate * seconds); i += 1) events.push({ at: i / rate, actor, index: i });
      };
      add('abuser', abuserRate);
      add('neighbor', neighborRate);
      add('reader', readRate);
      events.sort((a, b) => a.at - b.at);

      const path = `/api/nbhds/${nbhdId}`;
      const partition = toNeighborhoodPartition(nbhdId);
      const wcu = new Array<number>(seconds).fill(0);
      const rcu = new Array<number>(seconds).fill(0);
      const abuserStatuses: Record<number, number> = {};
      const neighborStatuses: Record<number, number> = {};
      const dynamodbRequests = { abuser: 0, others: 0 };
      const memberOf = new Array<boolean>(neighborCount).fill(false);
      let abuserIsMember = false;
      let neighborsRefused = 0;
      recorder.start();
      for (const event of events) {
        clock = start + Math.round(event.at * 1000);
        const before = recorder.requests.length;
        let status: number;
        if (event.actor === 'abuser') {
          status = (
            await send(abuserIsMember ? 'DELETE' : 'POST', `${path}/${abuserIsMember ? 'leave' : 'join'}`, abuser)
          ).status;
          if (status === 201 || status === 204) abuserIsMember = !abuserIsMember;
          abuserStatuses[status] = (abuserStatuses[status] ?? 0) + 1;
        } else if (event.actor === 'neighbor') {
          const who = event.index % neighborCount;
          const joined = memberOf[who];
          status = (await send(joined ? 'DELETE' : 'POST', `${path}/${joined ? 'leave' : 'join'}`, neighbors[who]))
            .status;
          if (status === (joined ? 204 : 201)) memberOf[who] = !joined;
          else neighborsRefused += 1;
          neighborStatuses[status] = (neighborStatuses[status] ?? 0) + 1;
        } else {
          status = (await send('GET', path)).status;
          if (status !== 200) neighborsRefused += 1;
        }
        const second = Math.floor(event.at);
        for (const request of recorder.requests.slice(before) as RecordedRequest[]) {
          if (event.actor === 'abuser') dynamodbRequests.abuser += 1;
          else dynamodbRequests.others += 1;
          for (const touch of request.touches) {
            if (touch.target !== 'table' || touch.partition !== partition) continue;
            wcu[second] = (wcu[second] ?? 0) + touch.wcu;
            rcu[second] = (rcu[second] ?? 0) + touch.rcu;
          }
        }
        // The recorder keeps every request; the profile needs only this one's.
        recorder.requests.length = 0;
      }
      recorder.stop();
      const peakWcu = Math.max(...wcu);
      const peakRcu = Math.max(...rcu);
      return {
        nbhdPartition: partition,
        seconds,
        peakWcuPerSecond: peakWcu,
        meanWcuPerSecond: wcu.reduce((a, b) => a + b, 0) / seconds,
        peakRcuPerSecond: peakRcu,
        peakShare: Math.max(peakWcu / partitionLimits.wcu, peakRcu / partitionLimits.rcu),
        abuser: abuserStatuses,
        neighbors: neighborStatuses,
        neighborsRefused,
        dynamodbRequests,
      };
    } finally {
      await pool.close();
    }
  } finally {
    await stack.close();
  }
}
