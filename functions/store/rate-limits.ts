/**
 * Fixed-window rate counters: one item per scope, subject (a hashed IP or page) and window,
 * incremented atomically only while below the limit, gone by TTL a window after the window ends.
 * The increment travels in the transaction of the write it counts, so a refused or failed write
 * counts nothing.
 */
import { config } from '../runtime/config';
import { keys } from './keys';
import type { TransactItem } from './transact';

export type RateScope =
  | 'comment-ip'
  | 'comment-page'
  | 'wish-ip'
  | 'vote-ip'
  | 'vote-wish-ip'
  | 'optin-address'
  | 'optin-ip'
  | 'data-address'
  | 'data-ip';

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
