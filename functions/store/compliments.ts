/**
 * Her compliment collection: starred comments (flags on the comment item) and compliments she
 * entered by hand (items of their own). Every entry sits in the private desk index, newest first;
 * only entries she marked public also sit in the public index that `GET /compliments` reads.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../core/limits';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { type StoredComment, UNSTARRED } from './comments';
import { indexKeys, keys, partitions } from './keys';

const table = () => config().tableName;

/** A compliment entered by hand, as stored. */
export interface HandCompliment {
  id: string;
  text: string;
  /** From whom ('' when she gave no name). */
  name: string;
  /** Where it came from ("per Mail", an address); private, never in a public read. */
  source: string;
  /** When it was said (what the collection sorts by). */
  complimentedAt: string;
  /** When she entered it. */
  createdAt: string;
  public: boolean;
}

/**
 * One entry of the collection, as the desk and the export read it. `kind: 'comment'` is a starred
 * comment (`id` is the comment's id, `complimentedAt` when she starred it, `createdAt` when it was
 * written, `page`/`pageTitle`/`pageUrl` where); `kind: 'hand'` one she entered (`source` says where
 * it came from, `complimentedAt` when it was said, `createdAt` when she entered it).
 */
export interface ComplimentEntry {
  kind: 'comment' | 'hand';
  id: string;
  text: string;
  name: string;
  source: string;
  complimentedAt: string;
  createdAt: string;
  public: boolean;
  page?: string;
  pageTitle?: string;
  pageUrl?: string;
}

export interface CollectionPage {
  entries: ComplimentEntry[];
  /** Continues after the last entry read; null at the end. */
  cursor: string | null;
}

/**
 * What places an item (a starred comment or a hand entry) in her collection, and among the public
 * compliments only when `shown`.
 */
export function collectedAttributes(complimentedAt: string, id: string, shown: boolean) {
  return {
    compliment: true,
    complimentedAt,
    ...indexKeys.collectedCompliment(complimentedAt, id),
    ...(shown ? { complimentPublic: true, ...indexKeys.compliment(complimentedAt, id) } : {}),
  };
}

/** A hand entry as stored (also what a restore puts). */
export function handComplimentItem(entry: HandCompliment) {
  return {
    ...keys.handCompliment(entry.id),
    kind: 'compliment',
    id: entry.id,
    text: entry.text,
    ...(entry.name ? { name: entry.name } : {}),
    ...(entry.source ? { source: entry.source } : {}),
    createdAt: entry.createdAt,
    ...collectedAttributes(entry.complimentedAt, entry.id, entry.public),
  };
}

function entryOf(item: Record<string, unknown>): ComplimentEntry {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const base = {
    id: String(item.id),
    text: text(item.text),
    name: text(item.name),
    complimentedAt: String(item.complimentedAt),
    createdAt: String(item.createdAt),
    public: item.complimentPublic === true,
  };
  if (item.kind === 'compliment') return { kind: 'hand', ...base, source: text(item.source) };
  return {
    kind: 'comment',
    ...base,
    source: '',
    page: String(item.page),
    ...(typeof item.pageTitle === 'string' ? { pageTitle: item.pageTitle } : {}),
    ...(typeof item.pageUrl === 'string' ? { pageUrl: item.pageUrl } : {}),
  };
}

/** A hand entry stored new (false if the id exists) or replacing one (false if it is gone). */
export async function saveHandCompliment(entry: HandCompliment, replace: boolean): Promise<boolean> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: handComplimentItem(entry),
        ConditionExpression: replace ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function getHandCompliment(id: string): Promise<HandCompliment | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.handCompliment(id), ConsistentRead: true }),
  );
  if (!result.Item) return undefined;
  const entry = entryOf(result.Item);
  return {
    id: entry.id,
    text: entry.text,
    name: entry.name,
    source: entry.source,
    complimentedAt: entry.complimentedAt,
    createdAt: entry.createdAt,
    public: entry.public,
  };
}

export async function deleteHandCompliment(id: string): Promise<boolean> {
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: table(),
        Key: keys.handCompliment(id),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/**
 * Stars an approved comment into her collection (private). 'not_approved' for a comment that is
 * not visible, 'already' when it is starred.
 */
export async function starComment(
  comment: StoredComment,
  now: Date,
): Promise<'done' | 'already' | 'not_approved'> {
  if (comment.status !== 'approved') return 'not_approved';
  if (comment.compliment === true) return 'already';
  const at = now.toISOString();
  const collected = indexKeys.collectedCompliment(at, comment.id);
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.comment(comment.id),
        UpdateExpression: 'SET compliment = :true, complimentedAt = :at, deskPk = :deskPk, deskSk = :deskSk',
        ConditionExpression: '#status = :approved AND attribute_not_exists(compliment)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':true': true,
          ':at': at,
          ':deskPk': collected.deskPk,
          ':deskSk': collected.deskSk,
          ':approved': 'approved',
        },
      }),
    );
    return 'done';
  } catch (error) {
    if (isConditionFailure(error)) return 'already';
    throw error;
  }
}

/** Takes a comment out of her collection, and out of the public compliments with it. */
export async function unstarComment(id: string): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.comment(id),
        UpdateExpression: `REMOVE ${UNSTARRED.join(', ')}`,
        ConditionExpression: 'compliment = :true',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Shows a starred, visible comment among the public compliments, or hides it again. False when it
 * is not (or no longer) starred and visible, or was starred again meanwhile.
 */
export async function setStarredCommentPublic(comment: StoredComment, shown: boolean): Promise<boolean> {
  if (comment.compliment !== true || !comment.complimentedAt) return false;
  const listed = indexKeys.compliment(comment.complimentedAt, comment.id);
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.comment(comment.id),
        ...(shown
          ? {
              UpdateExpression: 'SET complimentPublic = :true, pub2pk = :pub2pk, pub2sk = :pub2sk',
              ExpressionAttributeValues: {
                ':true': true,
                ':at': comment.complimentedAt,
                ':approved': 'approved',
                ':pub2pk': listed.pub2pk,
                ':pub2sk': listed.pub2sk,
              },
              ConditionExpression: 'complimentedAt = :at AND #status = :approved',
            }
          : {
              UpdateExpression: 'REMOVE complimentPublic, pub2pk, pub2sk',
              ExpressionAttributeValues: { ':at': comment.complimentedAt },
              ConditionExpression: 'complimentedAt = :at',
            }),
        ExpressionAttributeNames: shown ? { '#status': 'status' } : undefined,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

const CURSOR = /^([ch])(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([0-9A-HJKMNP-TV-Z]{26})$/;

/** The cursor that continues the collection after this entry. */
export function collectionCursorOf(entry: Pick<ComplimentEntry, 'kind' | 'id' | 'complimentedAt'>): string {
  return `${entry.kind === 'comment' ? 'c' : 'h'}${entry.complimentedAt}#${entry.id}`;
}

/** Whether a cursor from a link has the shape this store writes (rebuilt with the key builders). */
export function isCollectionCursor(cursor: string): boolean {
  return CURSOR.test(cursor);
}

function startKeyOf(cursor: string) {
  const [, kind, at, id] = CURSOR.exec(cursor)!;
  return {
    ...(kind === 'c' ? keys.comment(id!) : keys.handCompliment(id!)),
    ...indexKeys.collectedCompliment(at!, id!),
  };
}

/**
 * One page of her collection, newest first: one Query on the private desk index. A cursor that is
 * not one of this store's is refused ('invalid_cursor'), never handed to DynamoDB.
 */
export async function listComplimentCollection(options: {
  cursor?: string;
  limit: number;
}): Promise<CollectionPage | 'invalid_cursor'> {
  if (options.cursor !== undefined && !isCollectionCursor(options.cursor)) return 'invalid_cursor';
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'desk',
      KeyConditionExpression: 'deskPk = :pk',
      ExpressionAttributeValues: { ':pk': partitions.complimentCollection() },
      ScanIndexForward: false,
      Limit: options.limit,
      ...(options.cursor ? { ExclusiveStartKey: startKeyOf(options.cursor) } : {}),
    }),
  );
  const entries = (result.Items ?? []).map(entryOf);
  const last = entries.at(-1);
  return { entries, cursor: result.LastEvaluatedKey && last ? collectionCursorOf(last) : null };
}

/**
 * The whole collection a page at a time, for the export: call with the returned cursor until it
 * is null. Entries as `ComplimentEntry` (hand entries with their private source; no address).
 */
export async function listAllCompliments(
  cursor?: string,
  limit = LIMITS.compliments.searchBatchItems,
): Promise<CollectionPage> {
  const page = await listComplimentCollection({ cursor, limit });
  if (page === 'invalid_cursor') throw new Error('invalid compliment cursor');
  return page;
}
