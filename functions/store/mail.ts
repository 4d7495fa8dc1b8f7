/**
 * Markers for sent notifications (keys.sentMail), so a stream record that is delivered again
 * does not mail twice. A sender first claims the marker ('sending', with a short lease), sends,
 * then marks it 'sent'; a failed send releases the claim so the retry can send.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys } from './keys';

export type MailClaim = { claimed: true; claimId: string } | { claimed: false; state: 'sent' | 'sending' };

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/**
 * Claims the right to send one mail. A 'sending' claim whose lease ran out (the sender crashed)
 * can be taken over; a 'sent' marker never.
 */
export async function claimMail(
  mailId: string,
  now: Date,
  leaseSeconds: number,
  ttlSeconds?: number,
  emailHash?: string,
): Promise<MailClaim> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const claimId = randomUUID();
  try {
    await documentClient().send(
      new PutCommand({
        TableName: config().tableName,
        Item: {
          ...keys.sentMail(mailId),
          state: 'sending',
          claimId,
          leaseUntil: nowSeconds + leaseSeconds,
          ...(ttlSeconds ? { expiresAt: nowSeconds + ttlSeconds } : {}),
          // In the reader index while it names her address's hash (notifier/deliver.ts).
          ...(emailHash ? { emailHash } : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sending': 'sending', ':now': nowSeconds },
      }),
    );
    return { claimed: true, claimId };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const existing = await documentClient().send(
    new GetCommand({ TableName: config().tableName, Key: keys.sentMail(mailId), ConsistentRead: true }),
  );
  return { claimed: false, state: existing.Item?.state === 'sent' ? 'sent' : 'sending' };
}

export async function markMailSent(mailId: string, claimId: string, now: Date): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: keys.sentMail(mailId),
      UpdateExpression: 'SET #state = :sent, sentAt = :now REMOVE leaseUntil',
      ConditionExpression: 'claimId = :claimId',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':sent': 'sent', ':now': now.toISOString(), ':claimId': claimId },
    }),
  );
}

/** Gives a claim back after a failed send, so the next delivery of the record can send. */
export async function releaseMail(mailId: string, claimId: string): Promise<void> {
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: config().tableName,
        Key: keys.sentMail(mailId),
        ConditionExpression: 'claimId = :claimId AND #state = :sending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':claimId': claimId, ':sending': 'sending' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Whether this mail went out already (a redelivered record, or a reply sent in a digest). */
export async function isMailSent(mailId: string): Promise<boolean> {
  const existing = await documentClient().send(
    new GetCommand({ TableName: config().tableName, Key: keys.sentMail(mailId), ConsistentRead: true }),
  );
  return existing.Item?.state === 'sent';
}

/** Marks a mail sent that went out as part of another (a reply inside a digest). */
export async function putSentMarker(mailId: string, now: Date, ttlSeconds: number): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: config().tableName,
      Item: {
        ...keys.sentMail(mailId),
        state: 'sent',
        sentAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + ttlSeconds,
      },
    }),
  );
}
