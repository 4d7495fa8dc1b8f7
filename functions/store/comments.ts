/**
 * Comments in the table: create, count, and move between statuses with every counter that depends
 * on the status changed in the same transaction. The public reads (with the markdown tree) are in
 * public-comments.ts, so groups that never list comments do not bundle the markdown parser.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../core/limits';
import type { CommentAction } from '../core/moderation';
import { isVisible, statusAfter } from '../core/moderation';
import type { CommentStatus } from '../core/schemas';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { indexKeys, keys, partitions } from './keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface NewCommentRecord {
  id: string;
  page: string;
  parentId: string | null;
  name: string;
  website?: string;
  text: string;
  status: CommentStatus;
  createdAt: string;
  emailEnc: string;
  emailHash: string;
  ipHash?: string;
  pageUrl?: string;
  pageTitle?: string;
  lang: string;
  holdReasons?: string[];
  /** She asked to be mailed about replies (sent only once her address is confirmed). */
  notifyReplies?: boolean;
  /** Keyed hash of the edit key the writer's browser keeps (core/privacy.ts `editKeyHash`). */
  editKeyHash?: string;
  /** Keyed hash of her "remember me" reader key; approval trusts this address with this key. */
  readerKeyHash?: string;
  /** Written by the author at her desk (never settable through POST /comments). */
  byAuthor?: boolean;
  authorLabel?: string;
}

/** A comment as the author sees it: everything, the email still sealed. */
export type StoredComment = NewCommentRecord & {
  editedAt?: string;
  visibleReplies?: number;
  compliment?: boolean;
  complimentedAt?: string;
  placeholder?: boolean;
};

export class ParentNotVisibleError extends Error {
  constructor() {
    super('parent_not_found');
  }
}

const table = () => config().tableName;

/** A comment as an item: in its moderation queue always, in the page's public index when listed. */
export function commentItem<T extends { id: string; page: string; status: CommentStatus }>(
  record: T,
  listed: boolean,
) {
  return {
    ...keys.comment(record.id),
    kind: 'comment',
    ...record,
    visibleReplies: 0,
    ...indexKeys.moderationQueue('comment', record.status, record.id),
    ...(listed ? indexKeys.visibleComment(record.page, record.id) : {}),
    // A placeholder keeps its place in the thread, not in the feed of the latest comments.
    ...(listed && isVisible(record.status) ? indexKeys.recentComment(record.id) : {}),
  };
}

/**
 * Stores a new comment. A reply is written only if its parent is visible on the same page (checked
 * inside the transaction, so a parent deleted meanwhile cannot get a reply).
 * `extraItems` lets a caller add its own writes (e.g. an idempotency record) to the transaction.
 */
export async function putComment(record: NewCommentRecord, extraItems: TransactItem[] = []): Promise<void> {
  const visible = isVisible(record.status);
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table(),
        Item: commentItem(record, visible),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (record.parentId) {
    items.push(
      visible
        ? {
            Update: {
              TableName: table(),
              Key: keys.comment(record.parentId),
              UpdateExpression: 'ADD visibleReplies :one',
              ConditionExpression: '#status = :approved AND page = :page',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':one': 1, ':approved': 'approved', ':page': record.page },
            },
          }
        : {
            ConditionCheck: {
              TableName: table(),
              Key: keys.comment(record.parentId),
              ConditionExpression: '#status = :approved AND page = :page',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':approved': 'approved', ':page': record.page },
            },
          },
    );
  }
  if (visible) items.push(counterUpdate(record.page, 1));
  items.push(...extraItems);
  try {
    await documentClient().send(
      new TransactWriteCommand({ TableName: table(), TransactItems: items } as never),
    );
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (record.parentId && reasons?.[1]?.Code === 'ConditionalCheckFailed') throw new ParentNotVisibleError();
    throw error;
  }
}

/** The page's visible-comment counter moved by `delta` (also used by a backup's restore). */
export function counterUpdate(page: string, delta: number): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: keys.pageCounter(page),
      UpdateExpression: 'ADD #count :delta SET page = :page',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': delta, ':page': page },
    },
  };
}

/** Visible-comment counts of many pages with one BatchGetItem; unknown pages count 0. */
export async function countVisibleComments(pages: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(pages.map((page) => [page, 0]));
  const unique = [...new Set(pages)];
  let request: Record<string, unknown> | undefined = {
    [table()]: {
      Keys: unique.map((page) => keys.pageCounter(page)),
      ProjectionExpression: 'page, #count',
      ExpressionAttributeNames: { '#count': 'count' },
    },
  };
  for (let attempt = 0; request && attempt < 5; attempt++) {
    const result: BatchGetCommandOutput = await documentClient().send(
      new BatchGetCommand({ RequestItems: request as never }),
    );
    for (const item of result.Responses?.[table()] ?? []) counts[String(item.page)] = Number(item.count ?? 0);
    request =
      result.UnprocessedKeys && Object.keys(result.UnprocessedKeys).length > 0
        ? result.UnprocessedKeys
        : undefined;
    if (request) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
  }
  return counts;
}

/** The whole item, for the author (moderation, mail). Never returned by a public route. */
export async function getComment(id: string): Promise<StoredComment | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.comment(id), ConsistentRead: true }),
  );
  return result.Item as StoredComment | undefined;
}

/**
 * Trusted means: an approved comment came from this address AND from the browser with this
 * reader key. Knowing an address alone proves nothing.
 */
export async function isReaderTrusted(
  emailHash: string,
  readerKeyHash: string | undefined,
): Promise<boolean> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: keys.trustedEmail(emailHash),
      ProjectionExpression: 'readerKeys',
    }),
  );
  const known = result.Item?.readerKeys as Set<string> | undefined;
  return readerKeyHash !== undefined && known instanceof Set && known.has(readerKeyHash);
}

/** The author's queue: comments in one status, oldest first. */
export async function listCommentsByStatus(status: CommentStatus, limit = 100): Promise<StoredComment[]> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'moderation',
      KeyConditionExpression: 'modPk = :pk',
      ExpressionAttributeValues: { ':pk': partitions.moderationQueue('comment', status) },
      Limit: limit,
    }),
  );
  return (result.Items ?? []) as StoredComment[];
}

/**
 * The direct replies to one comment in the given statuses, oldest first: one Query per status on
 * the moderation index, starting after the parent's id (a reply is always younger: ids are ULIDs).
 */
export async function listReplies(
  parent: { id: string; page: string },
  statuses: readonly CommentStatus[],
): Promise<StoredComment[]> {
  const pages = await Promise.all(
    statuses.map((status) =>
      documentClient().send(
        new QueryCommand({
          TableName: table(),
          IndexName: 'moderation',
          KeyConditionExpression: 'modPk = :pk AND modSk > :after',
          FilterExpression: 'parentId = :parent AND #page = :page',
          ExpressionAttributeNames: { '#page': 'page' },
          ExpressionAttributeValues: {
            ':pk': partitions.moderationQueue('comment', status),
            ':after': parent.id,
            ':parent': parent.id,
            ':page': parent.page,
          },
        }),
      ),
    ),
  );
  return pages
    .flatMap((result) => (result.Items ?? []) as StoredComment[])
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface DeskCommentPage {
  comments: StoredComment[];
  /** The id of the last comment read, to continue from; null at the end. */
  cursor: string | null;
}

/**
 * One page of a moderation queue for the desk, newest first (the sort key is the ULID). The
 * cursor is a comment id; the start key is rebuilt from it with the key builders, so a cursor
 * can only continue inside this queue. A page filter narrows the Query (a page may then hold
 * fewer comments than the limit; the cursor still continues).
 */
export async function listDeskComments(
  status: CommentStatus,
  options: { page?: string; cursor?: string; limit: number },
): Promise<DeskCommentPage> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'moderation',
      KeyConditionExpression: 'modPk = :pk',
      ...(options.page
        ? { FilterExpression: '#page = :page', ExpressionAttributeNames: { '#page': 'page' } }
        : {}),
      ExpressionAttributeValues: {
        ':pk': partitions.moderationQueue('comment', status),
        ...(options.page ? { ':page': options.page } : {}),
      },
      ScanIndexForward: false,
      Limit: options.limit,
      ...(options.cursor
        ? {
            ExclusiveStartKey: {
              ...keys.comment(options.cursor),
              ...indexKeys.moderationQueue('comment', status, options.cursor),
            },
          }
        : {}),
    }),
  );
  const last = result.LastEvaluatedKey?.modSk;
  return {
    comments: (result.Items ?? []) as StoredComment[],
    cursor: typeof last === 'string' ? last : null,
  };
}

export type TransitionResult =
  | { outcome: 'done' | 'already'; comment: StoredComment }
  | { outcome: 'not_found' };

/**
 * Applies a moderation action. The status change, the page counter, the parent's reply counter,
 * the trust of the email and the compliment index change together or not at all; a concurrent
 * change makes the condition fail and the action is retried on the fresh item.
 */
export async function applyCommentAction(
  id: string,
  action: CommentAction,
  now: Date,
): Promise<TransitionResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const comment = await getComment(id);
    if (!comment) return { outcome: 'not_found' };
    const target = statusAfter(action);
    const wantsCompliment = action === 'compliment';
    const alreadyDone = comment.status === target && (!wantsCompliment || comment.compliment === true);
    if (alreadyDone) return { outcome: 'already', comment };
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: transitionItems(comment, target, wantsCompliment, now) as never,
        }),
      );
      return { outcome: 'done', comment: (await getComment(id))! };
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException' || attempt === 2) throw error;
    }
  }
  throw new Error('unreachable');
}

export interface OwnChange {
  /** The status after the change: the same, 'pending' when an edit is held, or 'deleted'. */
  target: CommentStatus;
  text?: string;
  holdReasons?: string[];
  editKeyHash: string;
  /** The change is refused unless the comment was created at or after this time (the edit window). */
  notBefore: string;
  now: Date;
}

/**
 * The writer's own edit or deletion, in one transaction with `extraItems` (rate counters). The
 * edit key's hash and the window are part of the condition, so a key that is wrong or too late
 * changes nothing, even in a race. False when that condition refused it.
 */
/**
 * The cue, written with the edit that sent an approved comment back to moderation, for the
 * author's mail about it (notifier/mails.ts): one item per edit, so one mail per edit.
 */
export function heldEditNotice(noticeId: string, commentId: string, now: Date): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: {
        ...keys.heldEdit(noticeId),
        kind: 'held-edit',
        id: noticeId,
        commentId,
        createdAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + LIMITS.comment.heldEditNoticeTtlSeconds,
      },
    },
  };
}

export async function changeOwnComment(
  comment: StoredComment,
  change: OwnChange,
  extraItems: TransactItem[] = [],
): Promise<boolean> {
  const items: TransactItem[] =
    comment.status === change.target
      ? [
          {
            Update: {
              TableName: table(),
              Key: keys.comment(comment.id),
              UpdateExpression: 'SET modSk = modSk',
              ConditionExpression: '#status = :from',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':from': comment.status },
            },
          },
        ]
      : transitionItems(comment, change.target, false, change.now);
  const update = items[0]!.Update!;
  const set: string[] = [];
  const values = update.ExpressionAttributeValues!;
  if (change.text !== undefined) {
    set.push('#text = :text', 'editedAt = :editedAt');
    update.ExpressionAttributeNames!['#text'] = 'text';
    values[':text'] = change.text;
    values[':editedAt'] = change.now.toISOString();
  }
  if (change.holdReasons?.length) {
    set.push('holdReasons = :holdReasons');
    values[':holdReasons'] = change.holdReasons;
  }
  update.UpdateExpression = String(update.UpdateExpression).replace(
    /^SET /,
    `SET ${set.map((part) => `${part}, `).join('')}`,
  );
  update.ConditionExpression += ' AND editKeyHash = :editKeyHash AND createdAt >= :notBefore';
  values[':editKeyHash'] = change.editKeyHash;
  values[':notBefore'] = change.notBefore;
  try {
    await documentClient().send(
      new TransactWriteCommand({ TransactItems: [...items, ...extraItems] as never }),
    );
    return true;
  } catch (error) {
    if (
      (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.[0]?.Code ===
      'ConditionalCheckFailed'
    )
      return false;
    throw error;
  }
}

function transitionItems(
  comment: StoredComment,
  target: CommentStatus,
  compliment: boolean,
  now: Date,
): TransactItem[] {
  const becomesPlaceholder = target === 'deleted' && (comment.visibleReplies ?? 0) > 0;
  const willBeListed = isVisible(target) || becomesPlaceholder;
  const countedBefore = isVisible(comment.status);
  const countedAfter = isVisible(target);

  const set: string[] = ['#status = :target', 'modPk = :modPk', 'modSk = :modSk', 'moderatedAt = :now'];
  const remove: string[] = [];
  const values: Record<string, unknown> = {
    ':target': target,
    ':from': comment.status,
    ':now': now.toISOString(),
    ...prefixKeys(indexKeys.moderationQueue('comment', target, comment.id)),
  };
  if (willBeListed) {
    set.push('pub1pk = :pub1pk', 'pub1sk = :pub1sk');
    Object.assign(values, prefixKeys(indexKeys.visibleComment(comment.page, comment.id)));
  } else {
    remove.push('pub1pk', 'pub1sk');
  }
  if (countedAfter) {
    set.push('pub3pk = :pub3pk', 'pub3sk = :pub3sk');
    Object.assign(values, prefixKeys(indexKeys.recentComment(comment.id)));
  } else {
    remove.push('pub3pk', 'pub3sk');
  }
  if (becomesPlaceholder) set.push('placeholder = :true');
  else remove.push('placeholder');
  if (target === 'deleted') {
    // A deleted comment keeps no personal data; a placeholder keeps only its place in the thread.
    remove.push('#name', 'website', '#text', 'emailEnc', 'emailHash', 'ipHash', ...UNSTARRED);
  }
  if (target === 'spam') remove.push(...UNSTARRED);
  // Only a visible comment may stand among the public compliments.
  if (!countedAfter) remove.push('pub2pk', 'pub2sk', 'complimentPublic');
  if (compliment) {
    // Starred into her private collection; public only when she marks it so at the desk.
    const complimentedAt = now.toISOString();
    set.push(
      'compliment = :true',
      'complimentedAt = :complimentedAt',
      'deskPk = :deskPk',
      'deskSk = :deskSk',
    );
    values[':complimentedAt'] = complimentedAt;
    Object.assign(values, prefixKeys(indexKeys.collectedCompliment(complimentedAt, comment.id)));
  }
  if (set.some((part) => part.includes(':true'))) values[':true'] = true;
  const names: Record<string, string> = { '#status': 'status' };
  if (target === 'deleted') Object.assign(names, { '#name': 'name', '#text': 'text' });

  const items: TransactItem[] = [
    {
      Update: {
        TableName: table(),
        Key: keys.comment(comment.id),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${[...new Set(remove)].join(', ')}` : ''}`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  ];
  if (countedBefore !== countedAfter) items.push(counterUpdate(comment.page, countedAfter ? 1 : -1));
  if (comment.parentId && countedBefore !== countedAfter) {
    items.push({
      Update: {
        TableName: table(),
        Key: keys.comment(comment.parentId),
        UpdateExpression: 'ADD visibleReplies :delta',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':delta': countedAfter ? 1 : -1 },
      },
    });
  }
  if (countedAfter && comment.emailHash) {
    const withKey = comment.readerKeyHash !== undefined;
    items.push({
      Update: {
        TableName: table(),
        Key: keys.trustedEmail(comment.emailHash),
        UpdateExpression: `SET trustedAt = :now${withKey ? ' ADD readerKeys :readerKey' : ''}`,
        ExpressionAttributeValues: {
          ':now': now.toISOString(),
          ...(withKey ? { ':readerKey': new Set([comment.readerKeyHash]) } : {}),
        },
      },
    });
  }
  return items;
}

/** What a comment loses when it leaves her compliment collection (unstarred, spam, deleted). */
export const UNSTARRED = [
  'compliment',
  'complimentedAt',
  'complimentPublic',
  'deskPk',
  'deskSk',
  'pub2pk',
  'pub2sk',
] as const;

function prefixKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [`:${name}`, value]));
}
