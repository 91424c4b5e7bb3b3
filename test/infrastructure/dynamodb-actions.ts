import { readFileSync } from 'node:fs';

/**
 * IAM action each dynamodb-toolbox action module needs. Transactions have no IAM action of their own:
 * every item is authorised as its underlying PutItem/UpdateItem/DeleteItem/GetItem, a ConditionCheck as
 * ConditionCheckItem. `execute` helpers (transactWrite, batchGet) add nothing beyond their items.
 */
const toolboxModules: Record<string, string[]> = {
  'entity/actions/get': ['dynamodb:GetItem'],
  'entity/actions/put': ['dynamodb:PutItem'],
  'entity/actions/update': ['dynamodb:UpdateItem'],
  'entity/actions/updateAttributes': ['dynamodb:UpdateItem'],
  'entity/actions/delete': ['dynamodb:DeleteItem'],
  'entity/actions/transactGet': ['dynamodb:GetItem'],
  'entity/actions/transactPut': ['dynamodb:PutItem'],
  'entity/actions/transactUpdate': ['dynamodb:UpdateItem'],
  'entity/actions/transactDelete': ['dynamodb:DeleteItem'],
  'entity/actions/transactCheck': ['dynamodb:ConditionCheckItem'],
  'entity/actions/batchGet': ['dynamodb:BatchGetItem'],
  'entity/actions/batchPut': ['dynamodb:BatchWriteItem'],
  'entity/actions/batchDelete': ['dynamodb:BatchWriteItem'],
  'entity/actions/accessPattern': ['dynamodb:Query'],
  'table/actions/query': ['dynamodb:Query'],
  'table/actions/accessPattern': ['dynamodb:Query'],
  'table/actions/scan': ['dynamodb:Scan'],
  'table/actions/batchGet': ['dynamodb:BatchGetItem'],
  'table/actions/batchWrite': ['dynamodb:BatchWriteItem'],
  'table/actions/deletePartition': ['dynamodb:Query', 'dynamodb:BatchWriteItem'],
  // Helpers that send nothing themselves.
  'entity/actions/transactWrite': [],
  'entity/actions/update/symbols': [],
  'entity/actions/parse': [],
  'entity/actions/parseCondition': [],
  'entity/actions/parsePaths': [],
  'entity/actions/format': [],
};

/** AWS SDK command classes (client-dynamodb and lib-dynamodb spellings) and their IAM action. */
const sdkCommands: Record<string, string> = {
  GetItemCommand: 'dynamodb:GetItem',
  GetCommand: 'dynamodb:GetItem',
  PutItemCommand: 'dynamodb:PutItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateItemCommand: 'dynamodb:UpdateItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteItemCommand: 'dynamodb:DeleteItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  BatchGetItemCommand: 'dynamodb:BatchGetItem',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchWriteItemCommand: 'dynamodb:BatchWriteItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
  DescribeTableCommand: 'dynamodb:DescribeTable',
  CreateTableCommand: 'dynamodb:CreateTable',
  DeleteTableCommand: 'dynamodb:DeleteTable',
  UpdateTimeToLiveCommand: 'dynamodb:UpdateTimeToLive',
  ListTablesCommand: 'dynamodb:ListTables',
};

/**
 * Files that send an SDK transaction command, with the IAM actions of its items, mapped by hand.
 * named-transaction.ts sends items the toolbox's transactPut/transactUpdate/transactDelete modules build
 * (directly or through command templates); those actions are counted where those modules are imported.
 */
const transactionSenders: Record<string, string[]> = {
  'server/data/table/named-transaction.ts': [],
};

const importPattern =
  /import\s*(type\s*)?\{([^}]*)\}\s*from\s*'(dynamodb-toolbox\/[^']+|@aws-sdk\/(?:client|lib)-dynamodb)'/g;

/**
 * The IAM actions a set of source files can perform, read from what they import: dynamodb-toolbox action
 * modules, and AWS SDK command classes. Throws on an SDK transaction command, whose actions depend on its items.
 */
export function deriveDynamoDbActions(files: readonly string[]): Map<string, string[]> {
  const actions = new Map<string, string[]>();
  const add = (action: string, file: string) => actions.set(action, [...(actions.get(action) ?? []), file]);
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const [, typeOnly, names = '', from = ''] of source.matchAll(importPattern)) {
      if (typeOnly) continue;
      if (from.startsWith('dynamodb-toolbox/')) {
        const module = from.slice('dynamodb-toolbox/'.length);
        if (!module.includes('/actions/') || module.startsWith('schema/')) continue;
        const mapped = toolboxModules[module];
        // Repositories and other multi-action modules can send anything: make someone decide.
        if (!mapped) throw new Error(`${file}: ${from} is not mapped to IAM actions in dynamodb-actions.ts`);
        for (const action of mapped) add(action, file);
        continue;
      }
      for (const raw of names.split(',')) {
        const name = raw.trim().split(/\s+as\s+/)[0] ?? '';
        if (!name.endsWith('Command') || name.startsWith('type ')) continue;
        if (/^Transact(Write|Get)/.test(name)) {
          const sender = Object.keys(transactionSenders).find((path) => file.endsWith(path));
          if (sender) {
            for (const action of transactionSenders[sender] ?? []) add(action, file);
            continue;
          }
          throw new Error(`${file}: ${name} — map its items to IAM actions by hand in dynamodb-actions.ts`);
        }
        const action = sdkCommands[name];
        if (!action) throw new Error(`${file}: unknown DynamoDB command ${name}; add it to dynamodb-actions.ts`);
        add(action, file);
      }
    }
  }
  return actions;
}

/** The IAM action for one command the SDK sent, as seen by a middleware (commandName + input). */
export function toIamActions(commandName: string, input: Record<string, unknown>): string[] {
  if (commandName === 'TransactWriteItemsCommand') {
    const items = (input.TransactItems ?? []) as Record<string, unknown>[];
    const kinds: Record<string, string> = {
      Put: 'dynamodb:PutItem',
      Update: 'dynamodb:UpdateItem',
      Delete: 'dynamodb:DeleteItem',
      ConditionCheck: 'dynamodb:ConditionCheckItem',
    };
    return items.flatMap((item) => Object.keys(item).map((kind) => kinds[kind] ?? `unknown:${kind}`));
  }
  if (commandName === 'TransactGetItemsCommand') return ['dynamodb:GetItem'];
  return [sdkCommands[commandName] ?? `unknown:${commandName}`];
}
