/**
 * What is stored for one reader, found by her address's lookup hash only: a Query on the private
 * reader index (every item that carries `emailHash`), plus the trust marker, which is keyed by it.
 * And the writes that take her out again: anonymise, scrub, delete.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { type Key, keys } from './keys';

const table = () => config().tableName;

export type ReaderItem = Record<string, unknown> & Key & { kind?: string };

const readerQuery = (
  emailHash: string,
  more: { ExclusiveStartKey?: Record<string, unknown>; Limit?: number },
) =>
  new QueryCommand({
    TableName: table(),
    IndexName: 'reader',
    KeyConditionExpression: 'emailHash = :hash',
    ExpressionAttributeValues: { ':hash': emailHash },
    ...more,
  });

/** Every item of the reader index under this hash, page by page. */
export async function listReaderItems(emailHash: string): Promise<ReaderItem[]> {
  const items: ReaderItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(readerQuery(emailHash, { ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as ReaderItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Whether the reader index holds anything under this hash (one item read at most). */
export async function hasReaderItems(emailHash: string): Promise<boolean> {
  const result = await documentClient().send(readerQuery(emailHash, { Limit: 1 }));
  return (result.Items ?? []).length > 0;
}

/** When an approved comment made this address trusted, if it did. */
export async function trustedSince(emailHash: string): Promise<string | null> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.trustedEmail(emailHash), ConsistentRead: true }),
  );
  if (!result.Item) return null;
  return typeof result.Item.trustedAt === 'string' ? result.Item.trustedAt : '';
}

/** Removes the item; true when there was one. */
export async function deleteItem(key: Key): Promise<boolean> {
  const result = await documentClient().send(
    new DeleteCommand({ TableName: table(), Key: key, ReturnValues: 'ALL_OLD' }),
  );
  return result.Attributes !== undefined;
}

/** Removes these attributes from an item that still exists (nothing happens to a vanished one). */
export async function removeAttributes(key: Key, attributes: readonly string[], now: Date): Promise<void> {
  const names = Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name]));
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: key,
        UpdateExpression: `SET erasedAt = :now REMOVE ${Object.keys(names).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

/** The author hears that an erasure happened (the notifier mails it): counts, no address, no hash. */
export async function putErasureNotice(
  id: string,
  counts: Record<string, number>,
  now: Date,
  ttlSeconds: number,
  via?: 'reader' | 'desk',
): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...keys.erasureNotice(id),
        kind: 'erasure',
        id,
        counts,
        ...(via ? { via } : {}),
        createdAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + ttlSeconds,
      },
    }),
  );
}
