/**
 * Fixed-window rate counters: one item per scope, subject (a hashed IP or page) and window,
 * incremented atomically only while below the limit, gone by TTL a window after the window ends.
 * The increment travels in the transaction of the write it counts, so a refused or failed write
 * counts nothing.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys } from './keys';
import { cancellationCodes, retryOnConflict, type TransactItem } from './transact';

export type RateScope =
  | 'comment-ip'
  | 'comment-page'
  | 'wish-ip'
  | 'vote-ip'
  | 'vote-wish-ip'
  | 'optin-address'
  | 'optin-ip'
  | 'data-address'
  | 'data-ip'
  | 'desk-login-address'
  | 'desk-login-ip'
  | 'passkey-login-ip';

export interface RateWindow {
  /** Index of the fixed window (unix seconds / window length). */
  window: number;
  /** Seconds until the window ends: the Retry-After of a refusal. */
  secondsLeft: number;
  /** Unix seconds when the counter may be deleted. */
  expiresAt: number;
}

export function rateWindow(now: Date, windowSeconds: number): RateWindow {
  const seconds = Math.floor(now.getTime() / 1000);
  const window = Math.floor(seconds / windowSeconds);
  const end = (window + 1) * windowSeconds;
  return { window, secondsLeft: Math.max(1, end - seconds), expiresAt: end + windowSeconds };
}

/** `ADD count 1` on condition `count < limit`: the condition fails exactly when the limit is reached. */
export function rateCounterIncrement(
  scope: RateScope,
  subject: string,
  limit: number,
  window: RateWindow,
): TransactItem {
  return {
    Update: {
      TableName: config().tableName,
      Key: keys.rateCounter(scope, subject, window.window),
      UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': window.expiresAt },
    },
  };
}

/** A per-window number as configured: RATE_LIMIT_SCALE multiplies it; undefined when 0 turns limits off. */
export function scaledLimit(perWindow: number): number | undefined {
  const scale = config().rateLimitScale;
  return scale === 0 ? undefined : Math.max(1, Math.round(perWindow * scale));
}

/**
 * Writes `items` (counter increments, and the write they count) as one transaction; false, with
 * nothing written, when a counter is full.
 */
export async function writeWithinLimits(items: TransactItem[]): Promise<boolean> {
  if (items.length === 0) return true;
  try {
    await retryOnConflict(() => documentClient().send(new TransactWriteCommand({ TransactItems: items })));
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) return false;
    throw error;
  }
}
