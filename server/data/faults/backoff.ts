/**
 * How a retry loop waits: exponential backoff with full jitter (a random wait up to a bound that doubles each
 * retry), which spreads retries from parallel callers instead of having them hit the same key in lockstep.
 * Every retry loop of the data layer and the migration's bulk writer waits through this, with its own policy.
 */
export interface RetryPolicy {
  /** Total attempts, the first call included. */
  attempts: number;
  /** Upper bound of the first wait in ms; doubles each retry. */
  baseDelayMs: number;
  /** Upper bound of any one wait in ms; none when omitted. */
  maxDelayMs?: number;
  /** Injected by tests to make waits deterministic (Math.random by default). */
  random?: () => number;
  /** Injected by tests to make waits instant (a timer by default). */
  sleep?: (ms: number) => Promise<void>;
}

/** Repositories: a transaction that keeps conflicting is tried 4 times, then answered with 503. */
export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 20 };

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait before retry number `retry` (1 for the first retry): random in [0, min(max, base·2^(retry−1))). */
export function toBackoffDelayMs(policy: RetryPolicy, retry: number): number {
  const bound = policy.baseDelayMs * 2 ** (retry - 1);
  return (policy.random ?? Math.random)() * Math.min(bound, policy.maxDelayMs ?? bound);
}

/** Waits before retry number `retry` (1 for the first retry). */
export function waitBeforeRetry(policy: RetryPolicy, retry: number): Promise<void> {
  return (policy.sleep ?? sleepFor)(toBackoffDelayMs(policy, retry));
}
