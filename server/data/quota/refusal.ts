import { ApiError } from '../../errors.js';
import { type QuotaName, type QuotaSettings, toRateLimitPolicy } from './settings.js';

const wording: Record<QuotaName, string> = {
  create: 'Too many neighborhoods created',
  update: 'Too many changes to neighborhoods',
  delete: 'Too many neighborhoods deleted',
  membership: 'Too many joins and leaves',
  'membership-nbhd': 'Too many joins and leaves of this neighborhood',
  'test-login': 'Too many wrong passwords from this client',
};

/**
 * The 429 for a quota used up until `windowEnd` (epoch seconds): `detail` names it in plain words (legacy clients
 * show it), `Retry-After` and `RateLimit` say when its window ends, `RateLimit-Policy` lists the operation's quotas.
 */
export function toQuotaRefusal(
  quotas: QuotaSettings,
  refused: QuotaName,
  windowEnd: number,
  nowSeconds: number,
  policyNames: readonly QuotaName[],
): ApiError {
  const { limit, windowSeconds } = quotas[refused];
  const retryAfter = Math.max(1, windowEnd - nowSeconds);
  return new ApiError(
    'too-many-requests',
    `${wording[refused]} (quota "${refused}": ${limit} per ${windowSeconds} s); retry in ${retryAfter} s.`,
    {
      retryAfter,
      headers: {
        RateLimit: `"${refused}";r=0;t=${retryAfter}`,
        'RateLimit-Policy': toRateLimitPolicy(quotas, policyNames),
      },
    },
  );
}
