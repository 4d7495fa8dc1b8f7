/**
 * Wishes in the table: create, read for the author, list the public board (public indexes only),
 * find the wish an article fulfilled, and change the status with the sparse index keys that belong
 * to it. Votes live in votes.ts.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PUBLIC_WISH_FIELDS } from '../core/public-wish-fields';
import type { PublicWish } from '../core/schemas';
import { isPublicWishStatus, type PublicWishStatus, type WishStatus } from '../core/wish-statuses';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { indexAttributes, indexKeys, type Key, keys, partitions } from './keys';
import { queryPublicIndex } from './public-query';
import type { PUBLIC_ATTRIBUTES } from './table-definition';
import { cancellationCodes, type TransactItem } from './transact';

export const table = () => config().tableName;

export type NewWishRecord = {
  id: string;
  topic: string;
  details?: string;
  /** Only when the reader chose to show her name. */
  publicName?: string;
  /** The link for the credit, only on a wish she entered by hand (http or https, checked). */
  website?: string;
  /** The name as given, for the author only. */
  requesterName?: string;
  emailEnc: string;
  emailHash: string;
  notifyWhenWritten: boolean;
  status: 'new';
  votes: number;
  createdAt: string;
  lang: string;
  ipHash?: string;
  /** Why the content checks flagged it (core/guards.ts HOLD_REASONS); private, for the author's mail. */
  holdReasons?: string[];
  /** Keyed hash of the key her browser keeps to ask what became of the wish (POST /wishes/status). */
  wishKeyHash?: string;
};

/** A wish as the author sees it: everything, the email still sealed. Never returned by a public route. */
export type StoredWish = Omit<NewWishRecord, 'status'> & {
  kind: 'wish';
  status: WishStatus;
  articleUrl?: string;
  articlePage?: string;
  writtenAt?: string;
  plannedAt?: string;
  mergedInto?: string;
  mergedAt?: string;
  moderatedAt?: string;
};

/** The attributes a PublicWish is built from; the type keeps them inside the public projection. */
const WISH_FIELDS: readonly (typeof PUBLIC_ATTRIBUTES)[number][] = PUBLIC_WISH_FIELDS;

export function toPublicWish(item: Record<string, unknown>): PublicWish {
  return {
    id: String(item.id),
    topic: String(item.topic),
    details: (item.details as string | undefined) ?? null,
    publicName: (item.publicName as string | undefined) ?? null,
    website: (item.website as string | undefined) ?? null,
    status: item.status as PublicWishStatus | 'new',
    votes: Number(item.votes ?? 0),
    articleUrl: (item.articleUrl as string | undefined) ?? null,
    writtenAt: (item.writtenAt as string | undefined) ?? null,
    createdAt: String(item.createdAt),
  };
}

/**
 * Stores a new wish; it starts private (no public index keys), in the author's queue.
 * `extraItems` (e.g. rate counters) commit in the same transaction, after the wish.
 */
export async function putWish(record: NewWishRecord, extraItems: TransactItem[] = []): Promise<void> {
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: {
              ...keys.wish(record.id),
              kind: 'wish',
              ...record,
              ...indexKeys.moderationQueue('wish', record.status, record.id),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...extraItems,
      ],
    }),
  );
}

export async function getWish(id: string): Promise<StoredWish | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.wish(id), ConsistentRead: true }),
  );
  return result.Item as StoredWish | undefined;
}

/** The author's queue: wishes in one status, oldest first. */
export async function listWishesByStatus(status: WishStatus, limit = 100): Promise<StoredWish[]> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'moderation',
      KeyConditionExpression: 'modPk = :pk',
      ExpressionAttributeValues: { ':pk': partitions.moderationQueue('wish', status) },
      Limit: limit,
    }),
  );
  return (result.Items ?? []) as StoredWish[];
}

export interface WishPage {
  wishes: PublicWish[];
  cursor: string | null;
}

/** The public board: one Query on a public index per page, highest votes or newest first. */
export async function listPublicWishes(
  sort: 'votes' | 'newest',
  limit: number,
  cursor: string | undefined,
): Promise<WishPage | 'invalid_cursor'> {
  const result = await queryPublicIndex({
    index: sort === 'votes' ? 'ranked' : 'public',
    partition: partitions.board(),
    forward: false,
    limit,
    cursor,
    attributes: WISH_FIELDS,
  });
  if (result === 'invalid_cursor') return result;
  return { wishes: result.items.map(toPublicWish), cursor: result.cursor };
}

/** The written wish whose article is this page (the first one asked, if several), via a public index. */
export async function findCreditedWish(articlePage: string): Promise<PublicWish | null> {
  const result = await queryPublicIndex({
    index: 'public2',
    partition: partitions.article(articlePage),
    forward: true,
    limit: 1,
    attributes: WISH_FIELDS,
  });
  const item = result === 'invalid_cursor' ? undefined : result.items[0];
  return item ? toPublicWish(item) : null;
}

export interface WishTransition {
  from: WishStatus;
  to: WishStatus;
  now: Date;
  /** For `written`. */
  article?: { url: string; page: string; writtenAt: string };
  /** For `merged`. */
  mergedInto?: string;
}

/**
 * The update that moves a wish from one status to another, conditional on the status it was read
 * with, so two concurrent changes cannot both happen (and the stream shows each transition once).
 * Public index keys exist exactly while the wish is public; the article index only while written.
 */
function transitionUpdate(wishId: string, change: WishTransition) {
  const set = ['#status = :to', 'modPk = :modPk', 'modSk = :modSk', 'moderatedAt = :now'];
  const remove: string[] = [];
  const values: Record<string, unknown> = {
    ':to': change.to,
    ':from': change.from,
    ':now': change.now.toISOString(),
    ...valuesOf(indexKeys.moderationQueue('wish', change.to, wishId)),
  };
  if (isPublicWishStatus(change.to)) {
    set.push('pub1pk = :pub1pk', 'pub1sk = :pub1sk', 'rankPk = :rankPk');
    Object.assign(values, valuesOf(indexKeys.publicWish(wishId)));
  } else {
    remove.push(...indexAttributes.public, ...indexAttributes.ranked);
  }
  if (change.to === 'written' && change.article) {
    set.push('articleUrl = :articleUrl', 'articlePage = :articlePage', 'writtenAt = :writtenAt');
    set.push('pub2pk = :pub2pk', 'pub2sk = :pub2sk');
    Object.assign(values, {
      ':articleUrl': change.article.url,
      ':articlePage': change.article.page,
      ':writtenAt': change.article.writtenAt,
      ...valuesOf(indexKeys.writtenWish(change.article.page, wishId)),
    });
  } else {
    remove.push(...indexAttributes.public2);
  }
  if (change.to === 'planned') set.push('plannedAt = :now');
  if (change.to === 'merged' && change.mergedInto) {
    set.push('mergedInto = :mergedInto', 'mergedAt = :now');
    values[':mergedInto'] = change.mergedInto;
  }
  return {
    TableName: table(),
    Key: keys.wish(wishId),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: '#status = :from',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: values,
  };
}

/** Changes the status; 'changed_meanwhile' when the wish is no longer in `change.from`. */
export async function changeWishStatus(
  wishId: string,
  change: WishTransition,
): Promise<StoredWish | 'changed_meanwhile'> {
  try {
    const result = await documentClient().send(
      new UpdateCommand({ ...transitionUpdate(wishId, change), ReturnValues: 'ALL_NEW' }),
    );
    return result.Attributes as StoredWish;
  } catch (error) {
    if (isRetryableConflict(error)) return 'changed_meanwhile';
    throw error;
  }
}

/** Statuses a wish may be merged into: not one that is itself merged away or refused. */
const MERGE_TARGET_STATUSES: readonly WishStatus[] = ['new', 'accepted', 'planned', 'written'];

/**
 * Marks the duplicate merged (it leaves the board and takes no more votes) in one transaction with
 * a check that the original can take its votes, and a pointer under the original to it.
 */
export async function markMerged(
  duplicate: StoredWish,
  originalId: string,
  now: Date,
): Promise<'done' | 'changed_meanwhile'> {
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: transitionUpdate(duplicate.id, {
              from: duplicate.status,
              to: 'merged',
              now,
              mergedInto: originalId,
            }),
          },
          { ConditionCheck: mergeTargetCheck(originalId) },
          // The duplicate's wisher hears when the original is written (notifier/reader-mails.ts).
          { Put: { TableName: table(), Item: mergedWishItem(originalId, duplicate.id, now.toISOString()) } },
        ],
      }),
    );
    return 'done';
  } catch (error) {
    if (isRetryableConflict(error)) return 'changed_meanwhile';
    throw error;
  }
}

/** The pointer under the original to a wish merged into it (ids only: nothing of her). */
export function mergedWishItem(originalId: string, duplicateId: string, mergedAt: string) {
  return { ...keys.mergedWish(originalId, duplicateId), kind: 'merged-wish', wishId: duplicateId, mergedAt };
}

export function mergeTargetCheck(originalId: string) {
  return { TableName: table(), Key: keys.wish(originalId), ...statusCondition(MERGE_TARGET_STATUSES) };
}

/** A condition that the item's status is one of these. */
export function statusCondition(statuses: readonly string[]) {
  return {
    ConditionExpression: `#status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status])) as Record<
      string,
      unknown
    >,
  };
}

export function canTakeMergedVotes(status: WishStatus): boolean {
  return MERGE_TARGET_STATUSES.includes(status);
}

/** A failed condition or a collision with a concurrent transaction: read again and retry. */
export function isRetryableConflict(error: unknown): boolean {
  const name = (error as Error)?.name;
  return (
    name === 'ConditionalCheckFailedException' ||
    name === 'TransactionConflictException' ||
    (name === 'TransactionCanceledException' &&
      (cancellationCodes(error) ?? []).some(
        (code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict',
      ))
  );
}

/** Full-jitter exponential backoff before the next try of a contended write. */
export function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** Math.min(attempt, 7)));
}

function valuesOf(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [`:${name}`, value]));
}

/** A new wish's title, changed before anyone but her sees it; false when it is no longer new. */
export async function retitleNewWish(id: string, topic: string): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.wish(id),
        UpdateExpression: 'SET topic = :topic',
        ConditionExpression: 'attribute_exists(pk) AND #status = :new',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':topic': topic, ':new': 'new' },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** The wishes merged into this one (directly), page by page: their ids. */
export async function* mergedInto(originalId: string): AsyncGenerator<string> {
  for await (const item of itemsUnder(keys.mergedWish(originalId, ''), { ProjectionExpression: 'wishId' }))
    yield String(item.wishId);
}

/**
 * The items of one partition whose sort key begins with `key.sk` (a wish's votes, its merged
 * wishes), page by page, read consistently; `more` may filter or project.
 */
export async function* itemsUnder(
  key: Key,
  more: {
    FilterExpression?: string;
    ProjectionExpression?: string;
    ExpressionAttributeValues?: Record<string, unknown>;
  } = {},
): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...more,
        ExpressionAttributeValues: { ...more.ExpressionAttributeValues, ':pk': key.pk, ':prefix': key.sk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
