import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { $add, UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update';
import ipaddr from 'ipaddr.js';
import { isConditionFailed } from '../faults/dynamodb-errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import type { Entities } from '../table/entities.js';
import { toEpochSeconds } from '../table/ttl.js';
import { toQuotaRefusal } from './refusal.js';
import { type QuotaSettings, toWindowStart, writeQuotas } from './settings.js';

/**
 * The block a client address stands for: an IPv4 address itself (an IPv4-mapped IPv6 address too), an IPv6 address
 * its /64, the smallest block one subscriber is given, so holding a prefix does not mean 2^64 fresh lockouts.
 * Anything that does not parse (never on Lambda) stands for itself.
 */
export function toClientBlock(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const block = ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toNormalizedString()}/64`);
  return `${block.toString()}/64`;
}

/** The counter's subject for a client address: not a DID, so it can never be a user's own counter. */
const toClientSubject = (client: string) => `client:${toClientBlock(client)}`;

/**
 * The test login's lockout: wrong passwords from one client address are counted in a quota counter (`test-login`,
 * the same item shape as the writes' quotas, under `QUOTA#{digest("client:" + address)}`); once the window's count
 * reaches the limit, every attempt from that client (a right password too) gets 429 until the window ends. One
 * consistent GetItem per attempt, and one UpdateItem per wrong password: the test login sends no transaction to
 * carry it, and it is a development and staging path only. Loaded on the first test login.
 */
export function createLoginLockout(options: { entities: Entities; quotas: QuotaSettings; now: () => Date }) {
  const { entities, quotas, now } = options;
  const { limit, windowSeconds } = quotas['test-login'];
  const windowOf = (nowSeconds: number) => toWindowStart(nowSeconds, windowSeconds);
  const refuse = (windowStart: number, nowSeconds: number) =>
    toQuotaRefusal(quotas, 'test-login', windowStart + windowSeconds, nowSeconds, writeQuotas.testLogin);

  return {
    /** Throws the 429 when this client's wrong passwords used up the current window. */
    async check(client: string): Promise<void> {
      const nowSeconds = toEpochSeconds(now());
      const windowStart = windowOf(nowSeconds);
      const { Item } = await runWithFaultHandling(() =>
        entities.quotas
          .build(GetItemCommand)
          .key({ did: toClientSubject(client), limit: 'test-login', window_start: windowStart })
          .options({ consistent: true })
          .send(),
      );
      if ((Item?.count ?? 0) >= limit) throw refuse(windowStart, nowSeconds);
    },

    /** Counts a wrong password; throws the 429 when the window was used up meanwhile. */
    async countFailure(client: string): Promise<void> {
      const nowSeconds = toEpochSeconds(now());
      const windowStart = windowOf(nowSeconds);
      try {
        await runWithFaultHandling(() =>
          entities.quotas
            .build(UpdateItemCommand)
            .item({
              did: toClientSubject(client),
              limit: 'test-login',
              window_start: windowStart,
              count: $add(1),
              expires_at: windowStart + windowSeconds,
            })
            .options({
              condition: {
                or: [
                  { attr: 'count', exists: false },
                  { attr: 'count', lt: limit },
                ],
              },
            })
            .send(),
        );
      } catch (error) {
        if (isConditionFailed(error)) throw refuse(windowStart, nowSeconds);
        throw error;
      }
    },
  };
}

export type LoginLockout = ReturnType<typeof createLoginLockout>;
