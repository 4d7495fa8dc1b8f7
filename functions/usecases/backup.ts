/**
 * The backup (Sicherung), independent of the caller (the desk, the author's command line): the
 * whole blog as one file, and that file restored into an empty stack — same ids, statuses, threads
 * and dates; counters rebuilt from what is written; addresses, when the file has them, sealed with
 * this stack's key and hashed with its lookup key.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type Backup,
  type BackupComment,
  type BackupCompliment,
  type BackupWish,
  checkBackup,
  type RestorePlan,
  threadDepths,
} from '../core/backup';
import { LIMITS } from '../core/limits';
import { isVisible } from '../core/moderation';
import { config } from '../runtime/config';
import { openEmail, sealEmail } from '../runtime/email-keys';
import { lookupHashOf } from '../runtime/keys';
import {
  listEveryComment,
  listEveryWish,
  listStoredIds,
  type RestoredComment,
  type RestoredWish,
  writeRestoredComments,
  writeRestoredHandCompliments,
  writeRestoredVotes,
  writeRestoredWishes,
} from '../store/backup';
import type { StoredComment } from '../store/comments';
import { type ComplimentEntry, type HandCompliment, listAllCompliments } from '../store/compliments';
import { getDeskSettings, saveAuthorLabel } from '../store/desk';
import type { StoredWish } from '../store/wishes';
import { DomainError, invalidField } from './errors';

/** Stands where a reader's address hash would on her own replies and hand-entered wishes. */
const AUTHOR_EMAIL_HASH = 'author';

/**
 * Marks what a restore wrote as brought over, like an import: the notifier sends nothing for such
 * an insert, so a restore mails neither the author once per comment and wish nor readers about
 * replies of long ago. A comment imported before keeps where it came from.
 */
const RESTORED_FROM = 'leserpost-backup';

export interface ExportResult {
  backup: Backup;
  /** Addresses that could not be opened (asked for, but left out of the file). */
  unreadableEmails: number;
}

/** Everything, read with Queries on the moderation index; addresses opened only when asked for. */
export async function exportBackup(options: {
  emails: boolean;
  now: Date;
  /** At most this many comments and wishes when addresses are opened (the desk's time is short). */
  maxEmailItems?: number;
}): Promise<ExportResult> {
  const [comments, wishes, desk, collection] = await Promise.all([
    listEveryComment(),
    listEveryWish(),
    getDeskSettings(),
    everyCompliment(),
  ]);
  const tooMany =
    options.maxEmailItems !== undefined && comments.length + wishes.length > options.maxEmailItems;
  if (options.emails && tooMany)
    throw new DomainError('too_large', [{ field: 'backup', code: 'too_many_emails' }]);
  const { siteName, siteLang, timeZone, moderation, allowedOrigins } = config();
  let unreadableEmails = 0;
  const emailOf = async (item: { emailEnc?: string; emailHash?: string }) => {
    if (!options.emails || !item.emailEnc || item.emailHash === AUTHOR_EMAIL_HASH) return {};
    try {
      return { email: await openEmail(item.emailEnc) };
    } catch {
      unreadableEmails++;
      return {};
    }
  };
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  const backup: Backup = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: options.now.toISOString(),
    withEmails: options.emails,
    site: { name: siteName, lang: siteLang, timeZone, moderation, allowedOrigins: [...allowedOrigins] },
    desk: desk.authorLabel ? { authorLabel: desk.authorLabel } : {},
    comments: await inOrder([...comments].sort(byId), async (c) => ({
      ...commentOf(c),
      ...(await emailOf(c)),
    })),
    wishes: await inOrder([...wishes].sort(byId), async (w) => ({ ...wishOf(w), ...(await emailOf(w)) })),
    compliments: complimentsOf(collection, comments),
  };
  return { backup, unreadableEmails };
}

async function inOrder<T, R>(items: T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await map(item));
  return out;
}

/** Copies only the named attributes that are set: nothing keyed with this stack's secrets. */
function pick<T extends object, K extends keyof T>(item: T, names: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const name of names) if (item[name] !== undefined && item[name] !== null) out[name] = item[name];
  return out;
}

const COMMENT_FIELDS = [
  'name',
  'website',
  'text',
  'pageUrl',
  'pageTitle',
  'lang',
  'editedAt',
  'moderatedAt',
  'byAuthor',
  'authorLabel',
  'placeholder',
  'holdReasons',
  'notifyReplies',
  'importedFrom',
] as const;

function commentOf(comment: StoredComment): BackupComment {
  return {
    id: comment.id,
    page: comment.page,
    parentId: comment.parentId ?? null,
    status: comment.status,
    createdAt: comment.createdAt,
    ...pick(comment as StoredComment & { moderatedAt?: string; importedFrom?: string }, COMMENT_FIELDS),
  };
}

const WISH_FIELDS = [
  'details',
  'publicName',
  'requesterName',
  'lang',
  'articleUrl',
  'articlePage',
  'writtenAt',
  'plannedAt',
  'mergedInto',
  'mergedAt',
  'moderatedAt',
  'holdReasons',
] as const;

function wishOf(wish: StoredWish): BackupWish {
  return {
    id: wish.id,
    topic: wish.topic,
    status: wish.status,
    votes: Number(wish.votes ?? 0),
    createdAt: wish.createdAt,
    ...pick(wish, WISH_FIELDS),
    ...(wish.notifyWhenWritten ? { notifyWhenWritten: true } : {}),
  };
}

/** Her whole collection, newest first, a page at a time from the private desk index. */
async function everyCompliment(): Promise<ComplimentEntry[]> {
  const entries: ComplimentEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAllCompliments(cursor);
    entries.push(...page.entries);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return entries;
}

/**
 * Her collection as the file holds it, newest first: starred comments by their id (only approved
 * ones, as the file's check wants), hand entries whole with their private source.
 */
function complimentsOf(
  collection: readonly ComplimentEntry[],
  comments: readonly StoredComment[],
): BackupCompliment[] {
  const approved = new Set(comments.filter((c) => c.status === 'approved').map((c) => c.id));
  return collection.flatMap((entry): BackupCompliment[] => {
    const { complimentedAt, public: shown } = entry;
    if (entry.kind === 'comment')
      return approved.has(entry.id)
        ? [{ source: 'comment', commentId: entry.id, complimentedAt, public: shown }]
        : [];
    return [
      {
        source: 'hand',
        id: entry.id,
        text: entry.text,
        ...(entry.name ? { from: entry.name } : {}),
        ...(entry.source ? { where: entry.source } : {}),
        complimentedAt,
        createdAt: entry.createdAt,
        public: shown,
      },
    ];
  });
}

/** The hand-entered compliments of a file, as the store keeps them. */
function handComplimentsOf(backup: Backup): HandCompliment[] {
  return backup.compliments.flatMap((entry) =>
    entry.source === 'hand'
      ? [
          {
            id: entry.id,
            text: entry.text,
            name: entry.from ?? '',
            source: entry.where ?? '',
            complimentedAt: entry.complimentedAt,
            createdAt: entry.createdAt,
            public: entry.public,
          },
        ]
      : [],
  );
}

/** The download: pretty JSON, gzip-compressed, refused above the limit a Lambda answer can carry. */
export function packBackup(backup: Backup): Buffer {
  const gzip = gzipSync(JSON.stringify(backup, null, 2));
  if (gzip.length > LIMITS.backup.downloadGzipBytes)
    throw new DomainError('too_large', [{ field: 'backup', code: 'too_large' }]);
  return gzip;
}

/**
 * An uploaded file (JSON, or JSON in gzip) as a checked backup. Every refusal names the field:
 * `file` for what is not JSON at all, else the path into the file.
 */
export function readBackupFile(bytes: Buffer): Backup {
  let text: string;
  try {
    const raw =
      bytes[0] === 0x1f && bytes[1] === 0x8b
        ? gunzipSync(bytes, { maxOutputLength: LIMITS.backup.unpackedBytes })
        : bytes;
    if (raw.length > LIMITS.backup.unpackedBytes) throw new RangeError('too large');
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new DomainError('too_large', [{ field: 'file', code: 'too_large' }]);
    throw invalidField('file', 'not_json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw invalidField('file', 'not_json');
  }
  const checked = checkBackup(parsed);
  if (!checked.ok) throw invalidField(checked.issue.field, checked.issue.code);
  return checked.backup;
}

/**
 * Whether the file may go into this stack: into an empty one, or into one holding nothing but
 * items of this very file (a restore that was interrupted continues; stored items stay as they
 * are). A stack with anything else (`foreign`) is refused: nothing duplicated, nothing overwritten.
 */
export async function planRestore(backup: Backup): Promise<RestorePlan> {
  const [stored, collection] = await Promise.all([listStoredIds(), everyCompliment()]);
  const storedHand = collection.filter((entry) => entry.kind === 'hand').map((entry) => entry.id);
  const inFile = {
    comments: new Set(backup.comments.map((c) => c.id)),
    wishes: new Set(backup.wishes.map((w) => w.id)),
    hand: new Set(handComplimentsOf(backup).map((h) => h.id)),
  };
  const foreign =
    [...stored.comments].some((id) => !inFile.comments.has(id)) ||
    [...stored.wishes].some((id) => !inFile.wishes.has(id)) ||
    storedHand.some((id) => !inFile.hand.has(id));
  return {
    comments: backup.comments.length,
    wishes: backup.wishes.length,
    votes: backup.wishes.reduce((sum, wish) => sum + wish.votes, 0),
    compliments: backup.compliments.length,
    withEmails: backup.withEmails,
    exportedAt: backup.exportedAt,
    alreadyHere: stored.comments.size + stored.wishes.size + storedHand.length,
    foreign,
  };
}

export interface RestoreSummary extends RestorePlan {
  written: number;
  /** Items found stored already (an interrupted restore run again), left as they were. */
  present: number;
}

/**
 * Restores a checked backup. `maxItems` bounds what one run may write (the desk's Lambda has
 * seconds; the command line none): a larger file is refused before anything is written.
 */
export async function restoreBackup(
  backup: Backup,
  options: { maxItems?: number } = {},
): Promise<RestoreSummary> {
  const plan = await planRestore(backup);
  if (plan.foreign) throw new DomainError('stack_not_empty', [{ field: 'file', code: 'stack_not_empty' }]);
  if (
    options.maxItems !== undefined &&
    plan.comments + plan.wishes + plan.votes + plan.compliments > options.maxItems
  )
    throw new DomainError('too_large', [{ field: 'file', code: 'too_many_items' }]);
  const comments = await restoredComments(backup);
  const wishes = await inOrder(backup.wishes, restoredWish);
  const counts = [
    await writeRestoredComments(comments),
    await writeRestoredHandCompliments(handComplimentsOf(backup)),
    await writeRestoredWishes(wishes),
  ];
  for (const wish of backup.wishes)
    if (wish.votes > 0) counts.push(await writeRestoredVotes(wish.id, wish.votes));
  const label = backup.desk.authorLabel;
  if (label && !(await getDeskSettings()).authorLabel) await saveAuthorLabel(label);
  return {
    ...plan,
    written: counts.reduce((sum, count) => sum + count.written, 0),
    present: counts.reduce((sum, count) => sum + count.present, 0),
  };
}

/** Parents before replies; each with the count of its visible replies and its compliment. */
async function restoredComments(backup: Backup): Promise<RestoredComment[]> {
  const depths = threadDepths(backup.comments)!;
  const visibleReplies = new Map<string, number>();
  for (const comment of backup.comments)
    if (comment.parentId && isVisible(comment.status))
      visibleReplies.set(comment.parentId, (visibleReplies.get(comment.parentId) ?? 0) + 1);
  const starred = new Map(
    backup.compliments.flatMap((c) =>
      c.source === 'comment'
        ? [[c.commentId, { complimentedAt: c.complimentedAt, public: c.public }] as const]
        : [],
    ),
  );
  const ordered = [...backup.comments].sort(
    (a, b) => depths.get(a.id)! - depths.get(b.id)! || a.id.localeCompare(b.id),
  );
  return inOrder(ordered, async (comment) => {
    const { email, ...rest } = comment;
    const sealed = comment.byAuthor
      ? { emailEnc: '', emailHash: AUTHOR_EMAIL_HASH }
      : email
        ? { emailEnc: await sealEmail(email), emailHash: await lookupHashOf(email) }
        : {};
    return {
      record: {
        lang: config().siteLang,
        ...rest,
        importedFrom: rest.importedFrom ?? RESTORED_FROM,
        ...sealed,
      } as RestoredComment['record'],
      visibleReplies: visibleReplies.get(comment.id) ?? 0,
      ...(starred.has(comment.id) ? { compliment: starred.get(comment.id)! } : {}),
    };
  });
}

async function restoredWish(wish: BackupWish): Promise<RestoredWish> {
  const { email, notifyWhenWritten, ...rest } = wish;
  return {
    lang: config().siteLang,
    ...rest,
    importedFrom: RESTORED_FROM,
    // The "written" mail needs the address: without it nobody can be told.
    notifyWhenWritten: email !== undefined && notifyWhenWritten === true,
    ...(email
      ? { emailEnc: await sealEmail(email), emailHash: await lookupHashOf(email) }
      : { emailEnc: '' }),
  } as RestoredWish;
}
