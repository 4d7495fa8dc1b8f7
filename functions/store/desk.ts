/**
 * The desk's own items: sessions (by the hash of their id, expiring by TTL), used login links
 * (conditional put: a link logs in once) and the desk settings item, which also says since when
 * sessions count ("log out everywhere" moves that time).
 */
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys } from './keys';

const table = () => config().tableName;
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

export interface DeskSettings {
  /** Sessions made before this time (ISO) no longer count. */
  sessionsValidFrom?: string;
  /** The label beside her replies ("Autorin" in the widget when empty). */
  authorLabel?: string;
}

export interface DeskSession {
  createdAt: string;
  expiresAt: number;
}

/** Records that a login link was used; false when it had been used before. */
export async function recordUsedLoginLink(tokenId: string, expiresAt: number, now: Date): Promise<boolean> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.usedLoginLink(tokenId),
          usedAt: now.toISOString(),
          expiresAt: expiresAt + 24 * 60 * 60,
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

export async function putSession(sessionHash: string, now: Date, ttlSeconds: number): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...keys.deskSession(sessionHash),
        createdAt: now.toISOString(),
        expiresAt: epoch(now) + ttlSeconds,
      },
    }),
  );
}

/** The session and the settings in one read: what every desk request needs first. */
export async function getSessionAndSettings(
  sessionHash: string,
): Promise<{ session: DeskSession | undefined; settings: DeskSettings }> {
  const sessionKey = keys.deskSession(sessionHash);
  const result = await documentClient().send(
    new BatchGetCommand({
      RequestItems: { [table()]: { Keys: [sessionKey, keys.deskSettings()], ConsistentRead: true } },
    }),
  );
  // Fail closed and say "busy": a throttled read must neither log her out nor let anybody in.
  if (result.UnprocessedKeys?.[table()]) {
    throw Object.assign(new Error('desk session read throttled'), { name: 'ThrottlingException' });
  }
  const items = result.Responses?.[table()] ?? [];
  const session = items.find((item) => item.pk === sessionKey.pk) as DeskSession | undefined;
  const settings = (items.find((item) => item.pk === keys.deskSettings().pk) ?? {}) as DeskSettings;
  return { session, settings };
}

export async function deleteSession(sessionHash: string): Promise<void> {
  await documentClient().send(new DeleteCommand({ TableName: table(), Key: keys.deskSession(sessionHash) }));
}

/** Every session made before now stops counting. */
export async function revokeAllSessions(now: Date): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.deskSettings(),
      UpdateExpression: 'SET sessionsValidFrom = :now',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    }),
  );
}

/** The label beside her replies; an empty label removes it (the widget then says "Autorin"). */
export async function saveAuthorLabel(label: string): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.deskSettings(),
      ...(label
        ? { UpdateExpression: 'SET authorLabel = :label', ExpressionAttributeValues: { ':label': label } }
        : { UpdateExpression: 'REMOVE authorLabel' }),
    }),
  );
}

export async function getDeskSettings(): Promise<DeskSettings> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.deskSettings() }),
  );
  return (result.Item ?? {}) as DeskSettings;
}
