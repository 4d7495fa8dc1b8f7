/**
 * Mails that could not be sent (keys.failedMail): the stream record's event name and new image,
 * kept until a later delivery sends the mail. The image is the table item as stored, so it holds
 * sealed addresses only; the mail is rendered again when it is resent. The notifier writes and
 * clears these and resends them (its sweep, her "Resend now" at the desk, `npm run admin --
 * mail-retry`); the desk reads only a summary without the records.
 */
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../core/limits';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys, partitions } from './keys';

export interface FailedMail {
  /** `<type>#<item id>`: one per notification, so a second failure updates the first. */
  notificationId: string;
  /** The stream record to hand to the notifier again (DynamoDB JSON, as Lambda delivers it). */
  record: { eventName: string; NewImage: Record<string, unknown> };
  firstFailedAt: string;
  lastFailedAt: string;
  attempts: number;
  lastError: string;
}

export async function keepFailedMail(
  notificationId: string,
  record: FailedMail['record'],
  errorName: string,
  now: Date,
  /** Another delivery held the mail's claim: the reason it failed before stays the one she reads. */
  stillSending = false,
): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: keys.failedMail(notificationId),
      UpdateExpression:
        `SET kind = :kind, #record = :record, lastError = ${stillSending ? 'if_not_exists(lastError, :error)' : ':error'}, lastFailedAt = :now, ` +
        'firstFailedAt = if_not_exists(firstFailedAt, :now), expiresAt = :expires ADD attempts :one',
      ExpressionAttributeNames: { '#record': 'record' },
      ExpressionAttributeValues: {
        ':kind': 'failedMail',
        ':record': JSON.stringify(record),
        ':error': errorName.slice(0, 200),
        ':now': now.toISOString(),
        ':expires': Math.floor(now.getTime() / 1000) + LIMITS.notifier.failedMailKeepSeconds,
        ':one': 1,
      },
    }),
  );
}

/** After a mail went out (or was found sent): nothing left to retry. */
export async function forgetFailedMail(notificationId: string): Promise<void> {
  await documentClient().send(
    new DeleteCommand({ TableName: config().tableName, Key: keys.failedMail(notificationId) }),
  );
}

export async function listFailedMails(): Promise<FailedMail[]> {
  return (await queryFailedMails()).map((item) => ({
    ...timesOf(item),
    notificationId: String(item.sk),
    record: JSON.parse(String(item.record)),
    attempts: Number(item.attempts ?? 0),
  }));
}

export interface FailedMailSummary {
  count: number;
  /** When the oldest waiting mail first failed. */
  oldestFailedAt?: string;
  /** The reason of the latest failure (an error name, e.g. MessageRejected). */
  lastError?: string;
}

/** What the desk shows: how many wait, since when, and why; the records (sealed addresses) stay unread. */
export async function summarizeFailedMails(): Promise<FailedMailSummary> {
  const mails = (await queryFailedMails('sk, firstFailedAt, lastFailedAt, lastError')).map(timesOf);
  if (mails.length === 0) return { count: 0 };
  const oldest = mails.reduce((a, b) => (b.firstFailedAt < a.firstFailedAt ? b : a));
  const latest = mails.reduce((a, b) => (b.lastFailedAt > a.lastFailedAt ? b : a));
  return { count: mails.length, oldestFailedAt: oldest.firstFailedAt, lastError: latest.lastError };
}

/**
 * Her "Resend now": one request item per time window (a second press in it writes nothing), whose
 * stream INSERT makes the notifier resend. Expires with the window; nothing else reads it.
 */
export async function requestMailResend(now: Date): Promise<void> {
  const windowSeconds = LIMITS.notifier.resendRequestWindowSeconds;
  const window = Math.floor(now.getTime() / 1000 / windowSeconds);
  try {
    await documentClient().send(
      new PutCommand({
        TableName: config().tableName,
        Item: {
          ...keys.mailResendRequest(window),
          kind: 'mail-resend-request',
          id: String(window),
          requestedAt: now.toISOString(),
          expiresAt: (window + 2) * windowSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

function timesOf(item: Record<string, unknown>) {
  return {
    firstFailedAt: String(item.firstFailedAt),
    lastFailedAt: String(item.lastFailedAt),
    lastError: String(item.lastError ?? ''),
  };
}

async function queryFailedMails(projection?: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partitions.failedMails() },
        ...(projection ? { ProjectionExpression: projection } : {}),
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
