import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add } from 'dynamodb-toolbox/entity/actions/update';
import type { ApiError } from '../../errors.js';
import { createCommandTemplate } from '../table/command-template.js';
import type { Entities } from '../table/entities.js';
import { type TransactWriteItem, toSentItem } from '../table/named-transaction.js';
import { toEpochSeconds } from '../table/ttl.js';
import { toQuotaKey, toScopedLimit } from './keys.js';
import { toQuotaRefusal } from './refusal.js';
import { type QuotaName, type QuotaSettings, toWindowStart } from './settings.js';

/** One quota a write counts against; `scope` counts it per something (a neighborhood) as well as per user. */
export interface QuotaCharge<L extends QuotaName> {
  name: L;
  scope?: string;
}

/** The counter items to add to a write's transaction, by name (`quota:{limit}`), and how to read a refusal. */
export interface QuotaItems<L extends QuotaName> {
  items: Record<`quota:${L}`, TransactWriteItem>;
  /** The 429 for the first quota whose condition failed in the cancelled transaction (and remembers it). */
  explainRefusal(failed: ReadonlySet<string>): ApiError | undefined;
}

/** Refusals remembered per process: a counter never goes down within its window, so they stay right until it ends. */
const rememberedRefusals = 10_000;

/**
 * Per-user quotas carried inside the write's own transaction: each is a conditional update of a small counter item
 * (`QUOTA#{digest(did)}` / `{limit}#{windowStart}`: count + 1 while count < limit), so a quota costs no extra call
 * and a refused request (the whole transaction cancelled) changes nothing. Windows are fixed: a condition
 * expression can only read the item it writes, so a sliding window (which needs the previous window's count too)
 * would need a read first. A refusal is remembered until its window ends: within a window a counter only grows,
 * so every later request against it would be refused as well, and is answered without sending anything.
 *
 * @example
 * const charge = guard.charge('did:plc:…', [{ name: 'membership' }, { name: 'membership-nbhd', scope: nbhdId }]);
 * buildNamedTransaction({ membership, neighborhood, ...charge.items });
 */
export function createQuotaGuard(options: { entities: Entities; quotas: QuotaSettings; now: () => Date }) {
  const { entities, quotas, now } = options;
  const refusedUntil = new Map<string, number>();
  const countRequest = createCommandTemplate({
    name: 'count a request against a quota',
    shape: { did: 'string', limit: 'string', windowStart: 'number', max: 'number', expiresAt: 'number' },
    derive: {
      partitionKey: ({ did, limit, windowStart }) => toQuotaKey(did, limit, windowStart).PK,
      sortKey: ({ did, limit, windowStart }) => toQuotaKey(did, limit, windowStart).SK,
    },
    build: (v) =>
      toSentItem(
        entities.quotas
          .build(UpdateTransaction)
          .item({
            did: v.did,
            limit: v.limit,
            window_start: v.windowStart,
            count: $add(1),
            expires_at: v.expiresAt,
          })
          .options({
            condition: {
              or: [
                { attr: 'count', exists: false },
                { attr: 'count', lt: v.max },
              ],
            },
          })
          .params(),
      ),
  });

  const toRefusal = (name: QuotaName, windowEnd: number, nowSeconds: number, policyNames: readonly QuotaName[]) =>
    toQuotaRefusal(quotas, name, windowEnd, nowSeconds, policyNames);

  function remember(key: string, windowEnd: number) {
    if (refusedUntil.size >= rememberedRefusals) {
      const oldest = refusedUntil.keys().next().value;
      if (oldest !== undefined) refusedUntil.delete(oldest);
    }
    refusedUntil.set(key, windowEnd);
  }

  return {
    /**
     * The counter items of `charges` for `did` in the current windows. Throws the 429 at once, with no call, for a
     * quota that already refused this user in the current window.
     */
    charge<L extends QuotaName>(did: string, charges: readonly QuotaCharge<L>[]): QuotaItems<L> {
      const nowSeconds = toEpochSeconds(now());
      const names = charges.map((charge) => charge.name);
      const planned = charges.map((charge) => {
        const { limit, windowSeconds } = quotas[charge.name];
        const windowStart = toWindowStart(nowSeconds, windowSeconds);
        const scoped = toScopedLimit(charge.name, charge.scope);
        return {
          charge,
          limit,
          scoped,
          windowStart,
          windowEnd: windowStart + windowSeconds,
          memo: `${did}\u0000${scoped}`,
        };
      });
      for (const plan of planned) {
        const until = refusedUntil.get(plan.memo);
        if (until === undefined) continue;
        if (until > nowSeconds) throw toRefusal(plan.charge.name, until, nowSeconds, names);
        refusedUntil.delete(plan.memo);
      }
      const items = {} as Record<`quota:${L}`, TransactWriteItem>;
      for (const plan of planned) {
        items[`quota:${plan.charge.name}`] = countRequest({
          did,
          limit: plan.scoped,
          windowStart: plan.windowStart,
          max: plan.limit,
          expiresAt: plan.windowEnd,
        });
      }
      return {
        items,
        explainRefusal(failed) {
          const refused = planned.find((plan) => failed.has(`quota:${plan.charge.name}`));
          if (!refused) return undefined;
          remember(refused.memo, refused.windowEnd);
          return toRefusal(refused.charge.name, refused.windowEnd, nowSeconds, names);
        },
      };
    },
  };
}

export type QuotaGuard = ReturnType<typeof createQuotaGuard>;

interface QuotaDeps {
  entities: Entities;
  quotas?: QuotaSettings;
  now: () => Date;
}

const guards = new WeakMap<QuotaDeps, QuotaGuard>();

/**
 * The one guard of a set of repository deps (so joins, creates and deletes share the remembered refusals), made on
 * the first write: this module loads with the write side, not at a cold start. Undefined when no quotas are set.
 */
export function getQuotaGuard(deps: QuotaDeps): QuotaGuard | undefined {
  if (!deps.quotas) return undefined;
  let guard = guards.get(deps);
  if (!guard) {
    guard = createQuotaGuard({ entities: deps.entities, quotas: deps.quotas, now: deps.now });
    guards.set(deps, guard);
  }
  return guard;
}

/** No quota: the items and refusals of a write that no user sends (migration, replication). */
export const noQuota: QuotaItems<never> = {
  items: {} as Record<never, TransactWriteItem>,
  explainRefusal: () => undefined,
};
