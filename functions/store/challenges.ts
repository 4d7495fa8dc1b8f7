/**
 * Proof-of-work challenges are good for one submission: the first use leaves a marker (keyed by a
 * hash of the challenge, gone by TTL once the challenge has expired anyway); a second use finds the
 * marker and its condition fails. The marker is written in the submission's own transaction.
 */
import { config } from '../runtime/config';
import { keys } from './keys';
import type { TransactItem } from './transact';

export function usedChallengeMarker(challengeHash: string, expiresAt: number): TransactItem {
  return {
    Put: {
      TableName: config().tableName,
      Item: { ...keys.usedChallenge(challengeHash), kind: 'used-challenge', expiresAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
