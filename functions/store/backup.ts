/**
 * The backup's reads and writes. Reading: every comment and wish through the private moderation
 * index, one queue (kind and status) at a time, page by page — a Query, never a Scan. Writing: the
 * items of a restore as one stack would have written them itself (the same key builders, the index
 * keys each status carries), each put only where nothing is stored under its key, so a restore
 * can neither duplicate nor overwrite; the page counters move by what was actually written.
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../core/limits';
import { isVisible } from '../core/moderation';
import { COMMENT_STATUSES, isPublicWishStatus, WISH_STATUSES } from '../core/schemas';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { commentItem, counterUpdate, type StoredComment } from './comments';
import { collectedAttributes, type HandCompliment, handComplimentItem } from './compliments';
import { indexKeys, keys, partitions } from './keys';
import { cancellationCodes, retryOnConflict, type TransactItem } from './transact';
import { mergedWishItem, type StoredWish } from './wishes';

const table = () => config().tableName;

/** Every item of one moderation queue, page by page (a Query on the private moderation index). */
async function queryQueue(
  kind: 'comment' | 'wish',
  status: string,
  projection?: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'moderation',
        KeyConditionExpression: 'modPk = :pk',
        ExpressionAttributeValues: { ':pk': partitions.moderationQueue(kind, status) },
        ...(projection ? { ProjectionExpression: projection } : {}),
        Limit: LIMITS.backup.readPageSize,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every comment in every status, oldest first within a status. */
export async function listEveryComment(): Promise<StoredComment[]> {
  const queues = await Promise.all(COMMENT_STATUSES.map((status) => queryQueue('comment', status)));
  return queues.flat() as unknown as StoredComment[];
}

/** Every wish in every status, oldest first within a status. */
export async function listEveryWish(): Promise<StoredWish[]> {
  const queues = await Promise.all(WISH_STATUSES.map((status) => queryQueue('wish', status)));
  return queues.flat() as unknown as StoredWish[];
}

/** The ids of every comment and wish stored (only the ids are read). */
export async function listStoredIds(): Promise<{ comments: Set<string>; wishes: Set<string> }> {
  const [comments, wishes] = await Promise.all([
    Promise.all(COMMENT_STATUSES.map((status) => queryQueue('comment', status, 'id'))),
    Promise.all(WISH_STATUSES.map((status) => queryQueue('wish', status, 'id'))),
  ]);
  const ids = (queues: Record<string, unknown>[][]) => new Set(queues.flat().map((item) => String(item.id)));
  return { comments: ids(comments), wishes: ids(wishes) };
}

/**
 * A comment as a restore writes it: the record, its reply count and, when starred, since when and
 * whether it is shown among the public compliments.
 */
export interface RestoredComment {
  record: Omit<StoredComment, 'visibleReplies' | 'compliment' | 'complimentedAt'> & { importedFrom?: string };
  visibleReplies: number;
  compliment?: { complimentedAt: string; public: boolean };
}

/** `importedFrom`: brought over, not submitted (the notifier mails nothing for it). */
export type RestoredWish = Omit<StoredWish, 'kind'> & { importedFrom?: string };

/** What a batch of writes did: new items, and items whose key was taken already (left as they are). */
export interface WriteCount {
  written: number;
  present: number;
}

function commentWrites(comment: RestoredComment): { put: TransactItem; page?: string; trust?: TransactItem } {
  const { record } = comment;
  const counted = isVisible(record.status);
  const item = {
    ...commentItem(record, counted || record.placeholder === true),
    visibleReplies: comment.visibleReplies,
    ...(comment.compliment
      ? collectedAttributes(comment.compliment.complimentedAt, record.id, comment.compliment.public)
      : {}),
  };
  const trust =
    counted && record.emailHash && !record.byAuthor
      ? {
          Put: {
            TableName: table(),
            Item: { ...keys.trustedEmail(record.emailHash), trustedAt: record.createdAt },
          },
        }
      : undefined;
  return {
    put: putNew(item),
    ...(counted ? { page: record.page } : {}),
    ...(trust ? { trust } : {}),
  };
}

/**
 * Writes comments (parents before their replies) in transactions: the puts of a chunk, the page
 * counters raised by the visible ones, the trust markers. A chunk that meets an item already
 * stored (a restore run again after an interruption) is written one comment at a time instead.
 */
export async function writeRestoredComments(comments: readonly RestoredComment[]): Promise<WriteCount> {
  const count: WriteCount = { written: 0, present: 0 };
  for (let at = 0; at < comments.length; at += LIMITS.backup.itemsPerTransaction / 2) {
    const chunk = comments.slice(at, at + LIMITS.backup.itemsPerTransaction / 2).map(commentWrites);
    if (await commitAll(chunkItems(chunk))) count.written += chunk.length;
    else {
      for (const one of chunk) {
        if (await commitAll(chunkItems([one]))) count.written++;
        else count.present++;
      }
    }
  }
  return count;
}

function chunkItems(chunk: ReturnType<typeof commentWrites>[]): TransactItem[] {
  const perPage = new Map<string, number>();
  const trust = new Map<string, TransactItem>();
  for (const one of chunk) {
    if (one.page !== undefined) perPage.set(one.page, (perPage.get(one.page) ?? 0) + 1);
    // One write per item in a transaction: an address with several comments gets one marker.
    if (one.trust) trust.set(JSON.stringify(one.trust.Put!.Item!.pk), one.trust);
  }
  return [
    ...chunk.map((one) => one.put),
    ...[...perPage].map(([page, delta]) => counterUpdate(page, delta)),
    ...trust.values(),
  ];
}

/** Commits one transaction; false when a put's key was taken already (nothing of it written). */
async function commitAll(items: TransactItem[]): Promise<boolean> {
  try {
    await retryOnConflict(() => documentClient().send(new TransactWriteCommand({ TransactItems: items })));
    return true;
  } catch (error) {
    if ((cancellationCodes(error) ?? []).includes('ConditionalCheckFailed')) return false;
    throw error;
  }
}

/** A put that writes only where nothing is stored under the item's key. */
function putNew(item: Record<string, unknown>): TransactItem {
  return { Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

function wishPut(wish: RestoredWish): TransactItem {
  const item = {
    ...keys.wish(wish.id),
    kind: 'wish',
    ...wish,
    ...indexKeys.moderationQueue('wish', wish.status, wish.id),
    ...(isPublicWishStatus(wish.status) ? indexKeys.publicWish(wish.id) : {}),
    ...(wish.status === 'written' && wish.articlePage
      ? indexKeys.writtenWish(wish.articlePage, wish.id)
      : {}),
  };
  return putNew(item);
}

/** Writes her hand-entered compliments, each only where nothing is stored under its key. */
export async function writeRestoredHandCompliments(entries: readonly HandCompliment[]): Promise<WriteCount> {
  return writeEach(entries.map((entry) => putNew(handComplimentItem(entry))));
}

/**
 * Writes wishes, a chunk per transaction (one at a time where some are stored already), then the
 * pointer of each merged wish under its original, so its wisher still hears when that is written
 * (not counted: the file names the merge on the wish).
 */
export async function writeRestoredWishes(wishes: readonly RestoredWish[]): Promise<WriteCount> {
  const count = await writeEach(wishes.map(wishPut));
  await writeEach(
    wishes.flatMap((wish) =>
      wish.status === 'merged' && wish.mergedInto
        ? [putNew(mergedWishItem(wish.mergedInto, wish.id, wish.mergedAt ?? wish.createdAt))]
        : [],
    ),
  );
  return count;
}

/**
 * A wish's votes as vote items, so that the count is the number of vote items as everywhere else
 * (a later merge moves them). Who voted does not travel: voter ids are keyed with the old stack's
 * secret, so each vote is an anonymous item numbered within its wish.
 */
export async function writeRestoredVotes(wishId: string, votes: number): Promise<WriteCount> {
  const items: TransactItem[] = [];
  for (let n = 1; n <= votes; n++) {
    const voterHash = `restored-${n}`;
    items.push({
      Put: {
        TableName: table(),
        Item: { ...keys.vote(wishId, voterHash), kind: 'vote', wishId, voterHash },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  return writeEach(items);
}

async function writeEach(puts: TransactItem[]): Promise<WriteCount> {
  const count: WriteCount = { written: 0, present: 0 };
  for (let at = 0; at < puts.length; at += LIMITS.backup.itemsPerTransaction) {
    const chunk = puts.slice(at, at + LIMITS.backup.itemsPerTransaction);
    if (await commitAll(chunk)) count.written += chunk.length;
    else {
      for (const one of chunk) {
        if (await commitAll([one])) count.written++;
        else count.present++;
      }
    }
  }
  return count;
}
