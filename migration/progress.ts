import cliProgress from 'cli-progress';

export interface Progress {
  increment(by?: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** Where progress goes; stderr so stdout stays for the summary. */
  stream?: NodeJS.WriteStream;
  /** Plain-line interval when the stream is not a terminal. */
  plainEveryMs?: number;
  /** Silences progress entirely (tests, --quiet). */
  quiet?: boolean;
}

/**
 * A progress bar with count, rate and ETA on a terminal (cli-progress: it redraws in place, throttles
 * redraws and computes a smoothed ETA, which we'd otherwise hand-roll), and plain periodic lines when
 * output is a file or a CI log, where redraw escapes would be noise.
 */
export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const started = Date.now();
  let done = 0;
  const rate = () => done / Math.max((Date.now() - started) / 1000, 0.001);
  if (options.quiet) return { increment: () => undefined, stop: () => undefined };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${options.label.padEnd(14)} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}`,
        etaBuffer: 200,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(options.total, 0, { rate: '0' });
    return {
      increment(by = 1) {
        done += by;
        bar.increment(by, { rate: Math.round(rate()).toString() });
      },
      stop: () => bar.stop(),
    };
  }
  const every = options.plainEveryMs ?? 5_000;
  let lastLine = Date.now();
  const line = () => {
    const r = rate();
    const eta = r > 0 ? Math.max(0, Math.round((options.total - done) / r)) : 0;
    stream.write(`${options.label}: ${done}/${options.total} (${Math.round(r)}/s, ETA ${eta}s)\n`);
  };
  return {
    increment(by = 1) {
      done += by;
      if (Date.now() - lastLine >= every) {
        lastLine = Date.now();
        line();
      }
    },
    stop: line,
  };
}
