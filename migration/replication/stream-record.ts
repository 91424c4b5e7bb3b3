import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * One DynamoDB Streams record with new and old images, as both the Streams API (`GetRecords`, read by the CLI)
 * and a Lambda event source mapping deliver it: the same apply code takes either.
 */
export interface StreamRecord {
  eventID?: string | undefined;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' | string | undefined;
  dynamodb?:
    | {
        ApproximateCreationDateTime?: Date | number | string | undefined;
        Keys?: Record<string, AttributeValue> | undefined;
        NewImage?: Record<string, AttributeValue> | undefined;
        OldImage?: Record<string, AttributeValue> | undefined;
        SequenceNumber?: string | undefined;
      }
    | undefined;
}

/** What applying one shard's records did: the first record that failed stops the batch and is named. */
export interface ApplyRecordsResult {
  applied: number;
  /** Echoes of the forward direction, records of items replication does not carry, replays already applied. */
  skipped: number;
  failed?: { sequenceNumber: string; error: unknown } | undefined;
}
