import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';

/**
 * The one place DynamoDB errors are classified. Throttling and transient faults use the SDK's own
 * classification (the lists its retry strategy uses); transactions add what only their cancellation
 * reasons say, one reason per item.
 */

type SdkError = Parameters<typeof isThrottlingError>[0];

const isSdkError = (error: unknown): error is SdkError & Error => error instanceof Error;

/** 5xx names that the SDK's lists leave to the HTTP status, for errors built without one (fault injection). */
const serverErrorNames = new Set(['InternalServerError', 'ServiceUnavailable']);

/** Cancellation reason codes of an item that was throttled inside a transaction. */
const throttleReasonCodes = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** Cancellation reasons of a TransactionCanceledException, one per transaction item; undefined for other errors. */
export function getCancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}

/** True for a transaction item's cancellation reason that is its condition failing. */
export function isConditionFailedReason(reason: CancellationReason | undefined): boolean {
  return reason?.Code === 'ConditionalCheckFailed';
}

/** A single-item write whose condition failed (ConditionalCheckFailedException). */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The item's old image a failed condition returned (`returnValuesOnConditionFalse: 'ALL_OLD'`), if any. */
export function getConditionFailedItem(error: unknown): Record<string, unknown> | undefined {
  return isConditionFailed(error) ? (error as Error & { Item?: Record<string, unknown> }).Item : undefined;
}

/** Another transaction touched one of the items at the same time; worth retrying after a backoff. */
export function isTransactionConflict(error: unknown): boolean {
  if (error instanceof Error && error.name === 'TransactionConflictException') return true;
  return getCancellationReasons(error)?.some((reason) => reason.Code === 'TransactionConflict') ?? false;
}

/** The table or account is over its capacity (the call, or one item of a transaction). */
export function isThrottle(error: unknown): boolean {
  if (!isSdkError(error)) return false;
  if (isThrottlingError(error)) return true;
  return getCancellationReasons(error)?.some((reason) => throttleReasonCodes.has(reason.Code ?? '')) ?? false;
}

/** A fault of the service or the network (5xx, timeout, reset connection): the same call may succeed later. */
export function isTransient(error: unknown): boolean {
  if (!isSdkError(error)) return false;
  return isTransientError(error) || serverErrorNames.has(error.name);
}
