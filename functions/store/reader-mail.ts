/**
 * What decides whether a reader may get a mail, and the reply digest.
 *
 * A mail to a reader needs her confirmation (store/confirmations.ts) and no later "unsubscribe
 * from everything" (an opt-out item with its time: subscriptions made before it stay silent).
 *
 * The digest, per address (READER#hash / DIGEST): when the last reply mail went out, and the
 * replies that arrived within the hour after it (a string set of `replyId>parentId`, so a
 * redelivered stream record adds nothing twice). While replies wait, the item sits in the private
 * moderation index under DIGEST#due, sorted by when it is due, so the sweep is one Query.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { indexKeys, keys, partitions } from './keys';

const table = () => config().tableName;

export async function optedOutAt(emailHash: string): Promise<string | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.readerOptOut(emailHash), ConsistentRead: true }),
  );
  return typeof result.Item?.optedOutAt === 'string' ? result.Item.optedOutAt : undefined;
}

/** "Unsubscribe from everything": every subscription made until now stays silent. */
export async function putOptOut(emailHash: string, now: Date): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.readerOptOut(emailHash), kind: 'opt-out', emailHash, optedOutAt: now.toISOString() },
    }),
  );
}

export interface DigestState {
  emailHash: string;
  lastSentAt?: string;
  sendAfter?: string;
  pending?: Set<string>;
  emailEnc?: string;
  lang?: string;
}

export async function getDigest(emailHash: string): Promise<DigestState | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.readerDigest(emailHash), ConsistentRead: true }),
  );
  return result.Item as DigestState | undefined;
}

/**
 * Takes the one immediate reply mail of the hour for her, atomically: true when no digest is
 * waiting and no reply mail went out since `hourAgo` (then lastSentAt is now, before the mail is
 * sent, so a reply handled at the same moment elsewhere finds it taken and waits for the digest).
 */
export async function claimImmediateReply(emailHash: string, now: Date, hourAgo: Date): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.readerDigest(emailHash),
        UpdateExpression: 'SET kind = :kind, emailHash = :hash, lastSentAt = :now',
        ConditionExpression:
          'attribute_not_exists(sendAfter) AND (attribute_not_exists(lastSentAt) OR lastSentAt < :hourAgo)',
        ExpressionAttributeValues: {
          ':kind': 'digest',
          ':hash': emailHash,
          ':now': now.toISOString(),
          ':hourAgo': hourAgo.toISOString(),
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Adds a reply to her waiting digest (due at `sendAfter`, unless it is due earlier already). */
export async function queueReply(
  digest: { emailHash: string; emailEnc: string; lang: string },
  entry: string,
  sendAfter: string,
  expiresAt: number,
): Promise<void> {
  const due = indexKeys.dueDigest(sendAfter, digest.emailHash);
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.readerDigest(digest.emailHash),
      UpdateExpression:
        'ADD pending :entry SET kind = :kind, emailHash = :hash, emailEnc = :enc, lang = :lang, ' +
        'sendAfter = if_not_exists(sendAfter, :sendAfter), modPk = if_not_exists(modPk, :modPk), ' +
        'modSk = if_not_exists(modSk, :modSk), expiresAt = :expiresAt',
      ExpressionAttributeValues: {
        ':entry': new Set([entry]),
        ':kind': 'digest',
        ':hash': digest.emailHash,
        ':enc': digest.emailEnc,
        ':lang': digest.lang,
        ':sendAfter': sendAfter,
        ':modPk': due.modPk,
        ':modSk': due.modSk,
        ':expiresAt': expiresAt,
      },
    }),
  );
}

/** Digests due by now, oldest first: one Query on the private moderation index. */
export async function dueDigests(now: Date, limit: number): Promise<DigestState[]> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'moderation',
      KeyConditionExpression: 'modPk = :pk AND modSk < :until',
      ExpressionAttributeValues: { ':pk': partitions.dueDigests(), ':until': `${now.toISOString()}~` },
      Limit: limit,
    }),
  );
  return (result.Items ?? []) as DigestState[];
}

/**
 * The digest with these entries went out (or had nothing left to send): they leave the set, and
 * replies that came in meanwhile wait another hour.
 */
export async function finishDigest(
  emailHash: string,
  handled: ReadonlySet<string>,
  now: Date,
  sent: boolean,
  hourLater: string,
): Promise<void> {
  const values = {
    ...(handled.size ? { ':handled': new Set(handled) } : {}),
    ...(sent ? { ':now': now.toISOString() } : {}),
  };
  const result = await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.readerDigest(emailHash),
      UpdateExpression: `${handled.size ? 'DELETE pending :handled ' : ''}${sent ? 'SET lastSentAt = :now ' : ''}REMOVE sendAfter, modPk, modSk`,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      ReturnValues: 'ALL_NEW',
    }),
  );
  const left = result.Attributes?.pending as Set<string> | undefined;
  if (left && left.size > 0) {
    const due = indexKeys.dueDigest(hourLater, emailHash);
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.readerDigest(emailHash),
        UpdateExpression: 'SET sendAfter = :sendAfter, modPk = :modPk, modSk = :modSk',
        ExpressionAttributeValues: { ':sendAfter': hourLater, ':modPk': due.modPk, ':modSk': due.modSk },
      }),
    );
  }
}

/** Stops the mails about one comment (replies, approval), one wish (written) or one vote (written). */
export async function stopNotifications(
  target: { kind: 'comment' | 'wish'; id: string } | { kind: 'vote'; wishId: string; voterHash: string },
): Promise<void> {
  const update =
    target.kind === 'comment'
      ? { Key: keys.comment(target.id), UpdateExpression: 'REMOVE notifyReplies' }
      : {
          Key: 'id' in target ? keys.wish(target.id) : keys.vote(target.wishId, target.voterHash),
          UpdateExpression: 'SET notifyWhenWritten = :false',
          ExpressionAttributeValues: { ':false': false },
        };
  try {
    await documentClient().send(
      new UpdateCommand({ TableName: table(), ConditionExpression: 'attribute_exists(pk)', ...update }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}
