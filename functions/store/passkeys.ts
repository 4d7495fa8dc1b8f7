/**
 * Her passkeys and their challenges. A challenge is taken with one delete that returns it, so two
 * requests with the same challenge cannot both get it (single use); an untaken one expires by TTL.
 * A passkey's counter moves only from the value the verification started from (optimistic check).
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys, partitions } from './keys';
import { writeWithinLimits } from './rate-limits';
import type { TransactItem } from './transact';

const table = () => config().tableName;

export type ChallengePurpose = 'register' | 'login';

export interface StoredChallenge {
  challenge: string;
  purpose: ChallengePurpose;
  /** Hash of what the challenge is bound to: the session (register) or the login attempt's cookie. */
  boundTo: string;
  expiresAt: number;
}

export interface StoredPasskey {
  /** Hash of the credential id: the item's key and the id in the remove form. */
  id: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports?: string[];
  name: string;
  createdAt: string;
  lastUsedAt?: string;
  /** Synced between her devices (a passkey in iCloud or Google's password manager). */
  backedUp?: boolean;
}

/** Stores a challenge, with `counters` (rate counter increments) in its transaction: false, nothing stored, when one is full. */
export async function putChallenge(
  challengeHash: string,
  item: StoredChallenge,
  counters: TransactItem[] = [],
): Promise<boolean> {
  const put = { TableName: table(), Item: { ...keys.passkeyChallenge(challengeHash), ...item } };
  if (counters.length > 0) return writeWithinLimits([...counters, { Put: put }]);
  await documentClient().send(new PutCommand(put));
  return true;
}

/** Removes the challenge and returns it; undefined when it never existed or was taken before. */
export async function takeChallenge(challengeHash: string): Promise<StoredChallenge | undefined> {
  const result = await documentClient().send(
    new DeleteCommand({
      TableName: table(),
      Key: keys.passkeyChallenge(challengeHash),
      ReturnValues: 'ALL_OLD',
    }),
  );
  return result.Attributes as StoredChallenge | undefined;
}

export async function putPasskey(passkey: StoredPasskey): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.passkey(passkey.id), ...passkey },
      // A credential registers once: the authenticator's own id cannot be overwritten.
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** All her passkeys, oldest first: one Query on their partition. */
export async function listPasskeys(limit: number): Promise<StoredPasskey[]> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partitions.passkeys() },
      Limit: limit,
    }),
  );
  const items = (result.Items ?? []) as StoredPasskey[];
  return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function getPasskey(id: string): Promise<StoredPasskey | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.passkey(id), ConsistentRead: true }),
  );
  return result.Item as StoredPasskey | undefined;
}

/** Moves the counter on from the value the check saw; false when the passkey changed or was removed meanwhile. */
export async function recordPasskeyUse(
  id: string,
  seenCounter: number,
  newCounter: number,
  now: Date,
): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.passkey(id),
        UpdateExpression: 'SET #counter = :new, lastUsedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND #counter = :seen',
        ExpressionAttributeNames: { '#counter': 'counter' },
        ExpressionAttributeValues: { ':new': newCounter, ':seen': seenCounter, ':now': now.toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function deletePasskey(id: string): Promise<boolean> {
  const result = await documentClient().send(
    new DeleteCommand({ TableName: table(), Key: keys.passkey(id), ReturnValues: 'ALL_OLD' }),
  );
  return result.Attributes !== undefined;
}
