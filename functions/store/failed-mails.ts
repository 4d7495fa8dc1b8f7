/**
 * Mails that could not be sent (keys.failedMail): the stream record's event name and new image,
 * kept until a later delivery sends the mail. The image is the table item as stored, so it holds
 * sealed addresses only; the mail is rendered again when it is resent. The notifier writes and
 * clears these; `npm run admin -- mail-retry` lists them.
 */
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: keys.failedMail(notificationId),
      UpdateExpression:
        'SET kind = :kind, #record = :record, lastError = :error, lastFailedAt = :now, ' +
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
  const mails: FailedMail[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partitions.failedMails() },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      mails.push({
        notificationId: String(item.sk),
        record: JSON.parse(String(item.record)),
        firstFailedAt: String(item.firstFailedAt),
        lastFailedAt: String(item.lastFailedAt),
        attempts: Number(item.attempts ?? 0),
        lastError: String(item.lastError ?? ''),
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return mails;
}
