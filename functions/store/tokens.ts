/**
 * Used moderation links: one item per used token (keyed by a hash of it), written with a
 * conditional put so a link acts once; DynamoDB's TTL removes the item after the link expired.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LinkClaims } from '../core/tokens';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys } from './keys';

export interface UsedToken {
  kind: LinkClaims['kind'];
  action: string;
  target: string;
  usedAt: string;
}

/** Records the use of a token; false when it had been used before. */
export async function recordUsedToken(tokenId: string, claims: LinkClaims, now: Date): Promise<boolean> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: config().tableName,
        Item: {
          ...keys.usedToken(tokenId),
          kind: claims.kind,
          action: claims.action,
          target: claims.target,
          usedAt: now.toISOString(),
          // Kept a day past the link's own expiry; afterwards the signature check refuses it anyway.
          expiresAt: claims.expiresAt + 24 * 60 * 60,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function getUsedToken(tokenId: string): Promise<UsedToken | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: config().tableName, Key: keys.usedToken(tokenId), ConsistentRead: true }),
  );
  return result.Item as UsedToken | undefined;
}
