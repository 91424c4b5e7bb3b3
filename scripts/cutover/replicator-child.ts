import { type ChildProcess, spawn } from 'node:child_process';
import { stopChild } from '../../tooling/stop-child.js';

const cli = new URL('../../migration/cli.ts', import.meta.url).pathname;

export interface ReplicatorChild {
  /** Starts `migrate replicate` (both directions, until stopped) as a child process. */
  start(): void;
  /** SIGKILL: no shutdown, no last checkpoint or counter flush; resolves, once it is gone, with how long it ran. */
  kill(): Promise<number>;
  /** SIGTERM, as an operator stops it (it flushes its counters). */
  stop(): Promise<void>;
  /** Synchronous SIGKILL for the parent's `exit` handler: no replicator outlives the rehearsal. */
  dispose(): void;
  readonly starts: number;
  readonly kills: number;
  /** Processes that exited without being asked to (a crash is a finding). */
  readonly crashes: string[];
}

/**
 * The replicator as the operator runs it (`npm run migrate -- replicate`), in its own process, so the rehearsal
 * can kill it at any moment and start it again: what it applied after its last checkpoint must be applied again,
 * once.
 */
export function createReplicatorChild(env: Record<string, string>): ReplicatorChild {
  let child: ChildProcess | undefined;
  let startedAt = 0;
  let starts = 0;
  let kills = 0;
  const crashes: string[] = [];
  const end = async (how: 'kill' | 'stop'): Promise<number> => {
    const current = child;
    child = undefined;
    const ranMs = Date.now() - startedAt;
    if (!current) return 0;
    if (how === 'stop') {
      await stopChild(current, 10_000);
      return ranMs;
    }
    kills += 1;
    await new Promise<void>((resolve) => {
      if (current.exitCode !== null || current.signalCode !== null) return resolve();
      current.once('exit', () => resolve());
      current.kill('SIGKILL');
    });
    return ranMs;
  };
  return {
    start() {
      if (child) throw new Error('the replicator is running already');
      starts += 1;
      startedAt = Date.now();
      const started = spawn(
        process.execPath,
        ['--import', 'tsx', '--disable-warning=ExperimentalWarning', cli, 'replicate', '--quiet'],
        { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      started.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      started.once('exit', (code, signal) => {
        if (child === started) {
          child = undefined;
          crashes.push(`replicator exited by itself (code ${code}, signal ${signal}): ${stderr.trim()}`);
        }
      });
      child = started;
    },
    kill: () => end('kill'),
    dispose() {
      child?.kill('SIGKILL');
    },
    stop: async () => {
      await end('stop');
    },
    get starts() {
      return starts;
    },
    get kills() {
      return kills;
    },
    get crashes() {
      return crashes;
    },
  };
}
