/**
 * The backup file (Sicherung): everything of a blog's Leserpost in one versioned JSON document, and
 * the check an uploaded one must pass before anything is written. Pure: no AWS, no HTTP.
 *
 * What travels: comments in every status with their threads, the author's replies with their mark,
 * wishes in every status with their vote counts and credits, the compliment collection, the desk
 * settings, and the blog's settings for reference. Addresses only when she asks for them (`email`
 * in the clear, since the receiving stack seals with its own key); never a seal, a lookup hash, an
 * IP hash, an edit key's or a voter's hash: those are keyed with this stack's secrets and mean
 * nothing elsewhere.
 */
import * as v from 'valibot';
import { startsWithCalendarDay } from './calendar-day';
import { LIMITS } from './limits';
import { COMMENT_STATUSES, type CommentStatus, WISH_STATUSES, type WishStatus } from './schemas';

export const BACKUP_FORMAT = 'leserpost-backup';
export const BACKUP_VERSION = 1;

export interface BackupComment {
  id: string;
  page: string;
  parentId: string | null;
  status: CommentStatus;
  createdAt: string;
  name?: string;
  website?: string;
  text?: string;
  pageUrl?: string;
  pageTitle?: string;
  lang?: string;
  editedAt?: string;
  moderatedAt?: string;
  byAuthor?: boolean;
  authorLabel?: string;
  placeholder?: boolean;
  holdReasons?: string[];
  notifyReplies?: boolean;
  importedFrom?: string;
  /** Only in a backup with addresses. */
  email?: string;
}

export interface BackupWish {
  id: string;
  topic: string;
  status: WishStatus;
  votes: number;
  createdAt: string;
  details?: string;
  publicName?: string;
  requesterName?: string;
  lang?: string;
  notifyWhenWritten?: boolean;
  articleUrl?: string;
  articlePage?: string;
  writtenAt?: string;
  plannedAt?: string;
  mergedInto?: string;
  mergedAt?: string;
  moderatedAt?: string;
  holdReasons?: string[];
  /** Only in a backup with addresses. */
  email?: string;
}

/**
 * One entry of her compliment collection, private unless `public`: a starred comment (its text is
 * the comment's), or one she entered by hand — `from` whom, `where` it came from (private, like at
 * the desk), when it was said (`complimentedAt`) and when she entered it. Never an address.
 */
export type BackupCompliment =
  | { source: 'comment'; commentId: string; complimentedAt: string; public: boolean }
  | {
      source: 'hand';
      id: string;
      text: string;
      from?: string;
      where?: string;
      complimentedAt: string;
      createdAt: string;
      public: boolean;
    };

export interface Backup {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  exportedAt: string;
  withEmails: boolean;
  /** The blog's deploy settings, for reference: a restore does not change them (they live in the deploy). */
  site: {
    name: string;
    lang: string;
    timeZone: string;
    moderation: string;
    allowedOrigins: string[];
  };
  desk: { authorLabel?: string };
  comments: BackupComment[];
  wishes: BackupWish[];
  compliments: BackupCompliment[];
}

const ID = v.pipe(v.string(), v.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'invalid_id'));
const TIME = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'invalid_date'),
  v.check((value) => !Number.isNaN(Date.parse(value)) && startsWithCalendarDay(value), 'invalid_date'),
);
/** Generous: imported comments may be longer than a reader may write today; an item holds 400 KB. */
const TEXT = v.pipe(v.string(), v.maxLength(100_000, 'too_long'));
const LINE = v.pipe(v.string(), v.maxLength(LIMITS.pageUrl.maxChars, 'too_long'));
const PAGE = v.pipe(v.string(), v.minLength(1, 'required'), v.maxLength(LIMITS.page.maxChars, 'too_long'));
const EMAIL = v.pipe(
  v.string(),
  v.maxLength(LIMITS.comment.emailMaxChars, 'too_long'),
  v.regex(/^[^\s@]+@[^\s@]+$/, 'invalid_email'),
);
const REASONS = v.pipe(
  v.array(v.pipe(v.string(), v.maxLength(100, 'too_long'))),
  v.maxLength(20, 'too_long'),
);

const CommentSchema = v.strictObject({
  id: ID,
  page: PAGE,
  parentId: v.nullable(ID),
  status: v.picklist(COMMENT_STATUSES, 'invalid_status'),
  createdAt: TIME,
  name: v.optional(LINE),
  website: v.optional(LINE),
  text: v.optional(TEXT),
  pageUrl: v.optional(LINE),
  pageTitle: v.optional(LINE),
  lang: v.optional(v.pipe(v.string(), v.maxLength(10, 'too_long'))),
  editedAt: v.optional(TIME),
  moderatedAt: v.optional(TIME),
  byAuthor: v.optional(v.boolean()),
  authorLabel: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.desk.authorLabelMaxChars, 'too_long'))),
  placeholder: v.optional(v.boolean()),
  holdReasons: v.optional(REASONS),
  notifyReplies: v.optional(v.boolean()),
  importedFrom: v.optional(LINE),
  email: v.optional(EMAIL),
});

const WishSchema = v.strictObject({
  id: ID,
  topic: v.pipe(v.string(), v.minLength(1, 'required'), v.maxLength(LIMITS.wish.topicMaxChars, 'too_long')),
  status: v.picklist(WISH_STATUSES, 'invalid_status'),
  votes: v.pipe(v.number(), v.safeInteger('invalid_number'), v.minValue(0, 'invalid_number')),
  createdAt: TIME,
  details: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.wish.detailsMaxChars, 'too_long'))),
  publicName: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.wish.displayNameMaxChars, 'too_long'))),
  requesterName: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.wish.displayNameMaxChars, 'too_long'))),
  lang: v.optional(v.pipe(v.string(), v.maxLength(10, 'too_long'))),
  notifyWhenWritten: v.optional(v.boolean()),
  articleUrl: v.optional(LINE),
  articlePage: v.optional(PAGE),
  writtenAt: v.optional(TIME),
  plannedAt: v.optional(TIME),
  mergedInto: v.optional(ID),
  mergedAt: v.optional(TIME),
  moderatedAt: v.optional(TIME),
  holdReasons: v.optional(REASONS),
  email: v.optional(EMAIL),
});

const ComplimentSchema = v.variant('source', [
  v.strictObject({ source: v.literal('comment'), commentId: ID, complimentedAt: TIME, public: v.boolean() }),
  v.strictObject({
    source: v.literal('hand'),
    id: ID,
    text: v.pipe(
      v.string(),
      v.minLength(1, 'required'),
      v.maxLength(LIMITS.compliments.textMaxChars, 'too_long'),
    ),
    from: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.compliments.fromMaxChars, 'too_long'))),
    where: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.compliments.sourceMaxChars, 'too_long'))),
    complimentedAt: TIME,
    createdAt: TIME,
    public: v.boolean(),
  }),
]);

const BackupSchema = v.strictObject({
  format: v.literal(BACKUP_FORMAT, 'not_a_backup'),
  version: v.literal(BACKUP_VERSION, 'unsupported_version'),
  exportedAt: TIME,
  withEmails: v.boolean(),
  site: v.strictObject({
    name: LINE,
    lang: LINE,
    timeZone: LINE,
    moderation: LINE,
    allowedOrigins: v.array(LINE),
  }),
  desk: v.strictObject({
    authorLabel: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.desk.authorLabelMaxChars, 'too_long'))),
  }),
  comments: v.array(CommentSchema),
  wishes: v.array(WishSchema),
  compliments: v.array(ComplimentSchema),
});

/** What a file holds, and what a restore of it would write. */
export interface RestorePlan {
  comments: number;
  wishes: number;
  votes: number;
  compliments: number;
  withEmails: boolean;
  exportedAt: string;
  /** Comments, wishes and hand compliments of the file already stored here (an interrupted restore). */
  alreadyHere: number;
  /** The stack holds comments, wishes or hand compliments not in the file: a restore would be refused. */
  foreign: boolean;
}

/** Why a file is refused: the field as a path into the file (`comments[3].status`) and a code. */
export interface BackupIssue {
  field: string;
  code: string;
}

export type BackupCheck = { ok: true; backup: Backup } | { ok: false; issue: BackupIssue };

const refuse = (field: string, code: string): BackupCheck => ({ ok: false, issue: { field, code } });

/**
 * Checks a parsed file: the shape (every field, by its path), and what the shape cannot say: ids
 * unique, a reply's parent in the file on the same page and no thread in a circle, a merged wish's
 * original in the file, each starred comment an approved comment of the file, hand entries unique.
 */
export function checkBackup(parsed: unknown): BackupCheck {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return refuse('file', 'not_a_backup');
  const top = parsed as Record<string, unknown>;
  // The format and version first: a file of another kind is named as such, not by its first odd field.
  if (top.format !== BACKUP_FORMAT) return refuse('format', 'not_a_backup');
  if (top.version !== BACKUP_VERSION) return refuse('version', 'unsupported_version');
  const result = v.safeParse(BackupSchema, parsed, { abortEarly: true });
  if (!result.success) {
    const issue = result.issues[0];
    return refuse(pathOf(issue.path), codeOf(issue));
  }
  return checkReferences(result.output as Backup);
}

function codeOf(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === 'schema' && issue.type === 'strict_object' && issue.input !== undefined)
    return 'unknown_field';
  if (issue.kind === 'schema' && issue.input === undefined) return 'required';
  if (/^[a-z_]{1,40}$/.test(issue.message)) return issue.message;
  return 'wrong_type';
}

function pathOf(path: v.BaseIssue<unknown>['path']): string {
  let field = '';
  for (const item of path ?? []) {
    const key = (item as { key: unknown }).key;
    field += typeof key === 'number' ? `[${key}]` : `${field ? '.' : ''}${String(key)}`;
  }
  return field || 'file';
}

function checkReferences(backup: Backup): BackupCheck {
  const comments = new Map<string, number>();
  for (const [i, comment] of backup.comments.entries()) {
    if (comments.has(comment.id)) return refuse(`comments[${i}].id`, 'duplicate_id');
    comments.set(comment.id, i);
  }
  for (const [i, comment] of backup.comments.entries()) {
    if (comment.parentId === null) continue;
    const parent = comments.get(comment.parentId);
    if (parent === undefined || backup.comments[parent]!.page !== comment.page)
      return refuse(`comments[${i}].parentId`, 'parent_not_in_file');
  }
  if (threadDepths(backup.comments) === undefined) return refuse('comments', 'thread_cycle');
  const wishes = new Map(backup.wishes.map((wish, i) => [wish.id, i]));
  if (wishes.size !== backup.wishes.length) {
    const seen = new Set<string>();
    const i = backup.wishes.findIndex((wish) => seen.size === seen.add(wish.id).size);
    return refuse(`wishes[${i}].id`, 'duplicate_id');
  }
  for (const [i, wish] of backup.wishes.entries()) {
    if (wish.mergedInto !== undefined && (!wishes.has(wish.mergedInto) || wish.mergedInto === wish.id))
      return refuse(`wishes[${i}].mergedInto`, 'wish_not_in_file');
  }
  const starred = new Set<string>();
  const handIds = new Set<string>();
  for (const [i, compliment] of backup.compliments.entries()) {
    if (compliment.source === 'hand') {
      if (handIds.has(compliment.id)) return refuse(`compliments[${i}].id`, 'duplicate_id');
      handIds.add(compliment.id);
      continue;
    }
    const at = comments.get(compliment.commentId);
    if (at === undefined || backup.comments[at]!.status !== 'approved' || starred.has(compliment.commentId))
      return refuse(`compliments[${i}].commentId`, 'comment_not_in_file');
    starred.add(compliment.commentId);
  }
  return { ok: true, backup };
}

/** Each comment's depth in its thread (0 on top), or undefined when a thread runs in a circle. */
export function threadDepths(comments: readonly BackupComment[]): Map<string, number> | undefined {
  const parentOf = new Map(comments.map((comment) => [comment.id, comment.parentId]));
  const depths = new Map<string, number>();
  for (const comment of comments) {
    const chain = new Set<string>();
    let current: string | null = comment.id;
    while (current !== null && !depths.has(current)) {
      if (chain.has(current)) return undefined;
      chain.add(current);
      current = parentOf.get(current) ?? null;
    }
    let depth = current === null ? -1 : depths.get(current)!;
    for (const id of [...chain].reverse()) depths.set(id, ++depth);
  }
  return depths;
}

/** The name she saves the download under: leserpost-backup-YYYY-MM-DD.json. */
export function backupFileName(exportedAt: Date): string {
  return `leserpost-backup-${exportedAt.toISOString().slice(0, 10)}.json`;
}
