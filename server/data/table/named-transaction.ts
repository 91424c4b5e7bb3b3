import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  ExecuteTransactWriteInput,
  ExecuteTransactWriteOptions,
} from 'dynamodb-toolbox/entity/actions/transactWrite';
import { getCancellationReasons, isConditionFailedReason } from '../faults/dynamodb-errors.js';

/** One item of a TransactWriteItems call, as the toolbox builds it (PutTransaction, UpdateTransaction…). */
export type ToolboxWriteTransaction = Exclude<ExecuteTransactWriteInput[number], ExecuteTransactWriteOptions>;

/** One item as sent, already built (a command template's, table/command-template.ts). */
export type TransactWriteItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export type WriteTransaction = ToolboxWriteTransaction | TransactWriteItem;

/** A transaction's items by name: a list for a group of like items, undefined for an item left out. */
export type NamedItems<N extends string> = Record<N, WriteTransaction | WriteTransaction[] | undefined>;

export interface NamedTransaction<N extends string> {
  /** Sends the items in one TransactWriteItems call; may be called again to retry. */
  send(): Promise<void>;
  /** The names of the items whose condition failed, from a cancelled transaction's reasons (empty otherwise). */
  findFailedConditions(error: unknown): Set<N>;
  /** The error for the first named item (in `explanations`' order) whose condition failed; else `error` itself. */
  explainFailure(error: unknown, explanations: Partial<Record<N, () => Error>>): unknown;
}

/**
 * A transaction whose items are addressed by name: DynamoDB reports a cancellation as one reason per item,
 * in order, and this maps them back, so callers ask "did the name claim fail?" rather than "did item 1?".
 *
 * @example
 * const transaction = buildNamedTransaction({ membership: put, neighborhood: update });
 * if (transaction.findFailedConditions(error).has('neighborhood')) throw notFound(id);
 */
export function buildNamedTransaction<N extends string>(
  items: NamedItems<N>,
  /** The client to send with; the first toolbox item's table's when omitted. */
  documentClient?: DynamoDBDocumentClient,
): NamedTransaction<N> {
  const names: N[] = [];
  const list: WriteTransaction[] = [];
  for (const name of Object.keys(items) as N[]) {
    for (const item of [items[name]].flat()) {
      if (!item) continue;
      names.push(name);
      list.push(item);
    }
  }
  return {
    async send() {
      // Toolbox items are built here, on each send, as the toolbox's own execute builds them.
      const TransactItems = list.map((item) => (isToolboxTransaction(item) ? toTransactItem(item) : item));
      const toolboxItem = list.find(isToolboxTransaction);
      const client = documentClient ?? toolboxItem?.entity.table.getDocumentClient();
      if (!client) throw new Error('buildNamedTransaction: no document client to send with');
      await client.send(new TransactWriteCommand({ TransactItems }));
    },
    findFailedConditions(error) {
      const failed = new Set<N>();
      getCancellationReasons(error)?.forEach((reason, index) => {
        const name = names[index];
        if (name !== undefined && isConditionFailedReason(reason)) failed.add(name);
      });
      return failed;
    },
    explainFailure(error, explanations) {
      const failed = this.findFailedConditions(error);
      const name = (Object.keys(explanations) as N[]).find((candidate) => failed.has(candidate));
      return name ? (explanations[name]?.() ?? error) : error;
    },
  };
}

function isToolboxTransaction(item: WriteTransaction): item is ToolboxWriteTransaction {
  return typeof (item as Partial<ToolboxWriteTransaction>).params === 'function';
}

/** The toolbox's params without its own bookkeeping (the parsed item), as its execute sends them. */
export function toSentItem({ ToolboxItem: _parsed, ...item }: { ToolboxItem?: unknown }): TransactWriteItem {
  return item as TransactWriteItem;
}

function toTransactItem(item: ToolboxWriteTransaction): TransactWriteItem {
  return toSentItem(item.params() as { ToolboxItem?: unknown });
}
