/** An AbortSignal that fires when the caller's signal aborts or the timeout elapses, and its cleanup. */
export interface Deadline {
  signal: AbortSignal;
  /** Stops the timer and detaches from the caller's signal; call it once the response body is read. */
  clear(): void;
}

/**
 * Combines the caller's signal with a timeout. Written by hand because `AbortSignal.any` is missing
 * in Node 18, and a timer we can clear keeps short scripts from waiting on it.
 */
export function createDeadline(parent: AbortSignal | undefined, timeoutMs: number | undefined): Deadline {
  const controller = new AbortController();
  const forward = () => controller.abort(parent?.reason);
  if (parent?.aborted) forward();
  else parent?.addEventListener('abort', forward, { once: true });
  const timer =
    timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)
      ? setTimeout(
          () => controller.abort(new DOMException(`The request timed out after ${timeoutMs} ms`, 'TimeoutError')),
          timeoutMs,
        )
      : undefined;
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', forward);
    },
  };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
