/**
 * The valibot schemas of every request the API takes. The widget imports this very module, so a
 * reader sees the same verdict in the browser that the Lambda gives. Issue messages are stable
 * codes (see `messages.ts` for the German and English texts).
 */
import * as v from 'valibot';
import { startsWithCalendarDay } from './calendar-day';
import { LIMITS } from './limits';
import type { MdNode } from './markdown';
import { normalisePage } from './page';
import {
  hasShortLocalPart,
  hasVisibleText,
  isHttpUrl,
  isMultiLineClean,
  isSingleLineClean,
  normaliseNewlines,
} from './text';
import { typeMessage } from './type-message';
import type { PublicWishStatus } from './wish-statuses';

// The wish statuses live in a module of their own, as the moderation link forms do
// (core/moderation-forms.ts): esbuild keeps every schema here that reads LIMITS, used or not, in
// each bundle that imports this module, and the wish store (in moderation and the notifier too)
// needs only the statuses.
export {
  isPublicWishStatus,
  PUBLIC_WISH_STATUSES,
  type PublicWishStatus,
  WISH_STATUSES,
  type WishStatus,
} from './wish-statuses';

/** A trimmed one-line string that cannot disguise itself or break a mail header. */
function singleLine(max: number, min = 1) {
  return v.pipe(
    v.string(typeMessage),
    v.trim(),
    v.minLength(1, 'required'),
    v.check(hasVisibleText, 'required'),
    v.minLength(min, 'too_short'),
    v.maxLength(max, 'too_long'),
    v.check(isSingleLineClean, 'invalid_characters'),
  );
}

function multiLine(max: number, min: number) {
  return v.pipe(
    v.string(typeMessage),
    v.transform(normaliseNewlines),
    v.trim(),
    v.minLength(1, 'required'),
    v.check(hasVisibleText, 'required'),
    v.minLength(min, 'too_short'),
    v.maxLength(max, 'too_long'),
    v.check(isMultiLineClean, 'invalid_characters'),
  );
}

/** An optional field: absent, null and blank all mean "not given". */
function optionalBlank<T extends v.GenericSchema<string, unknown>>(schema: T) {
  // A pipe, not a union of '' and the schema: the same verdicts with fewer valibot parts in the widget.
  return v.optional(
    v.pipe(
      v.nullable(v.string('wrong_type')),
      v.transform((value) => (value ?? '').trim() || undefined),
      v.optional(schema),
    ),
  );
}

// Checked again after normalising: decoding `%00` or `%E2%80%8B` must not smuggle into a key what the raw text could not.
export const PageSchema = v.pipe(
  singleLine(LIMITS.page.maxChars),
  v.transform(normalisePage),
  v.check(isSingleLineClean, 'invalid_characters'),
);

export const EmailSchema = v.pipe(
  singleLine(LIMITS.comment.emailMaxChars),
  v.email('invalid_email'),
  v.check((email) => hasShortLocalPart(email, LIMITS.comment.emailLocalMaxChars), 'invalid_email'),
);

/**
 * The address on the desk's sign-in form: only its shape, as a desk address may be a local one
 * (autorin@localhost) that EmailSchema refuses; but, like every line, without control or
 * invisible characters (a NUL in it is a forged form, not a typo to count against a rate limit).
 */
export const DeskAddressSchema = v.pipe(
  singleLine(LIMITS.comment.emailMaxChars),
  v.regex(/^[^\s@]+@[^\s@]+$/, 'invalid_email'),
  v.check((email) => hasShortLocalPart(email, LIMITS.comment.emailLocalMaxChars), 'invalid_email'),
);

export const WebUrlSchema = v.pipe(
  v.string(),
  // `www.kim-design.de` means https://www.kim-design.de: a bare domain (no scheme) gets https://.
  v.transform((value) =>
    /^[\p{L}\d-]+(\.[\p{L}\d-]+)+([/?#:]|$)/u.test(value) ? `https://${value}` : value,
  ),
  v.maxLength(LIMITS.comment.websiteMaxChars, 'too_long'),
  v.check(isSingleLineClean, 'invalid_characters'),
  v.check(isHttpUrl, 'invalid_url'),
);

export const ConsentSchema = v.literal(true, 'consent_required');

export const IdSchema = v.pipe(v.string(typeMessage), v.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'invalid_id'));

/**
 * Fields a browser form sends for the spam guards (see GET /guard); each guard decides what it
 * needs. With BROWSER_GUARDS=off (scripted local stacks) they may be left out.
 */
export const GuardFields = {
  /** Honeypot: a field people never see; anything in it means a bot. */
  hp: v.optional(
    v.pipe(
      v.string('wrong_type'),
      v.maxLength(LIMITS.comment.textMaxChars, 'too_long'),
      v.description('Honeypot: an input people never see. Send it empty (or leave it out).'),
    ),
  ),
  formToken: v.optional(
    v.pipe(
      v.string('wrong_type'),
      v.maxLength(512, 'too_long'),
      v.description(
        '`formToken` from GET /guard, unchanged. It must be some seconds old (minimum fill time) and not expired.',
      ),
    ),
  ),
  pow: v.optional(
    v.pipe(
      v.string('wrong_type'),
      v.maxLength(2048, 'too_long'),
      v.description(
        'The solved proof of work of GET /guard: base64(JSON {algorithm, challenge, number, salt, signature}), where SHA-256(salt + number) = challenge. Each challenge works once.',
      ),
    ),
  ),
};

/** A random key the widget makes and keeps to edit its own comment; only a keyed hash is stored. */
export const EditKeySchema = v.pipe(
  v.string(typeMessage),
  v.minLength(LIMITS.comment.editKeyMinChars, 'too_short'),
  v.maxLength(LIMITS.comment.editKeyMaxChars, 'too_long'),
  v.regex(/^[A-Za-z0-9_-]+$/, 'invalid_characters'),
);

export const CommentTextSchema = multiLine(LIMITS.comment.textMaxChars, LIMITS.comment.textMinChars);

export const NewCommentSchema = v.strictObject(
  {
    page: PageSchema,
    name: singleLine(LIMITS.comment.nameMaxChars),
    email: EmailSchema,
    website: optionalBlank(WebUrlSchema),
    text: CommentTextSchema,
    parentId: v.optional(v.nullable(IdSchema)),
    /** "Benachrichtige mich bei Antworten": mails only after she confirmed the address (double opt-in). */
    notifyReplies: v.optional(v.boolean('wrong_type'), false),
    consent: ConsentSchema,
    pageTitle: optionalBlank(singleLine(LIMITS.pageTitle.maxChars)),
    pageUrl: optionalBlank(
      v.pipe(
        v.string(),
        v.maxLength(LIMITS.pageUrl.maxChars, 'too_long'),
        v.check(isSingleLineClean, 'invalid_characters'),
        v.check(isHttpUrl, 'invalid_url'),
      ),
    ),
    /** Lets this browser edit or delete the comment for a while (LIMITS.comment.editWindowSeconds). */
    editKey: v.optional(EditKeySchema),
    /** "Remember me": her browser's own key; only with it does a trusted address skip moderation. */
    readerKey: v.optional(EditKeySchema),
    ...GuardFields,
  },
  'unknown_field',
);
export type NewCommentInput = v.InferOutput<typeof NewCommentSchema>;

/** PATCH /comments/{id}: the writer's new text, proven by her edit key. */
export const EditCommentSchema = v.strictObject(
  // The guard fields are allowed (a browser form sends them) but not needed: the key proves her.
  { editKey: EditKeySchema, text: CommentTextSchema, ...GuardFields },
  'unknown_field',
);
export type EditCommentInput = v.InferOutput<typeof EditCommentSchema>;

/** DELETE /comments/{id}: the writer's edit key. */
export const DeleteCommentSchema = v.strictObject({ editKey: EditKeySchema }, 'unknown_field');

/**
 * POST /comments/status and /wishes/status: her own items with the key her browser keeps for each
 * (a comment's edit key, a wish's `wishKey`); each id at most once.
 */
export const OwnStatusSchema = v.strictObject(
  {
    items: v.pipe(
      v.array(v.strictObject({ id: IdSchema, key: EditKeySchema }, 'unknown_field'), typeMessage),
      v.minLength(1, 'required'),
      v.maxLength(LIMITS.ownStatus.maxItems, 'too_many'),
      v.check((items) => new Set(items.map((item) => item.id)).size === items.length, 'duplicate'),
    ),
  },
  'unknown_field',
);
export type OwnStatusInput = v.InferOutput<typeof OwnStatusSchema>;
/** What her browser learns of an item of hers: waiting, public now, or not (any more) there. */
export type OwnStatus = 'pending' | 'visible' | 'gone';

const pageSize = v.optional(
  v.pipe(
    v.string(),
    v.regex(/^\d{1,3}$/, 'invalid_number'),
    v.transform(Number),
    v.minValue(1, 'too_small'),
    v.maxValue(LIMITS.list.maxPageSize, 'too_large'),
  ),
);

export const ListCommentsQuerySchema = v.strictObject(
  {
    page: PageSchema,
    order: v.optional(v.picklist(['oldest', 'newest'], 'invalid_choice'), 'oldest'),
    limit: pageSize,
    cursor: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.cursorMaxChars, 'too_long'))),
  },
  'unknown_field',
);

/** GET /feeds/comments: one page's comments, or (without `page`) the blog's latest. */
export const CommentFeedQuerySchema = v.strictObject({ page: v.optional(PageSchema) }, 'unknown_field');

/** GET /feeds/wishes takes no parameters. */
export const WishFeedQuerySchema = v.strictObject({}, 'unknown_field');

export const CountsQuerySchema = v.strictObject(
  {
    pages: v.pipe(
      v.string(typeMessage),
      v.transform((value) => value.split(',').filter((part) => part.trim() !== '')),
      v.minLength(1, 'required'),
      v.maxLength(LIMITS.counts.maxPages, 'too_many'),
      v.array(PageSchema),
    ),
  },
  'unknown_field',
);

export const ListComplimentsQuerySchema = v.strictObject(
  {
    limit: pageSize,
    cursor: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.cursorMaxChars, 'too_long'))),
  },
  'unknown_field',
);

/** A compliment she enters or edits by hand at the desk (form fields; the form token is checked before). */
export const HandComplimentSchema = v.object({
  text: multiLine(LIMITS.compliments.textMaxChars, 1),
  from: optionalBlank(singleLine(LIMITS.compliments.fromMaxChars)),
  source: optionalBlank(singleLine(LIMITS.compliments.sourceMaxChars)),
  /** The day it was said (a date field: YYYY-MM-DD); blank: today. */
  date: optionalBlank(
    v.pipe(
      v.string(),
      v.regex(/^\d{4}-\d{2}-\d{2}$/, 'invalid_date'),
      v.check(startsWithCalendarDay, 'invalid_date'),
    ),
  ),
});

export const COMMENT_STATUSES = ['pending', 'approved', 'spam', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** What anyone may see of a comment. */
export interface PublicComment {
  id: string;
  page: string;
  parentId: string | null;
  name: string | null;
  website: string | null;
  text: string | null;
  createdAt: string;
  status: CommentStatus;
  /** True for a deleted comment kept as a placeholder because it has visible replies. */
  placeholder?: boolean;
  /** The text's markdown as a whitelisted tree (core/markdown.ts); absent when the text has no markup. */
  md?: MdNode[];
  /** When its writer last changed it (shown as "bearbeitet"). */
  editedAt?: string;
  /** Written by the blog's author from her desk; readers can never set these. */
  byAuthor?: boolean;
  /** Her own label for the mark; absent or empty: "Autorin"/"Author" by language. */
  authorLabel?: string;
  /** Only in `GET /compliments`: a compliment she entered by hand (its `page` is null). */
  byHand?: boolean;
}

/** One entry of `GET /compliments`: a starred comment, or one entered by hand (no page). */
export type PublicCompliment = Omit<PublicComment, 'page'> & { page: string | null };

export const NewWishSchema = v.strictObject(
  {
    topic: singleLine(LIMITS.wish.topicMaxChars, LIMITS.wish.topicMinChars),
    details: optionalBlank(multiLine(LIMITS.wish.detailsMaxChars, 1)),
    /** Kept privately for the author; shown with the wish only if `showName` is true. */
    displayName: optionalBlank(singleLine(LIMITS.wish.displayNameMaxChars)),
    showName: v.optional(v.boolean('wrong_type'), false),
    /** Never published: the author answers to it, and it gets the mail when the wish is written. */
    email: EmailSchema,
    notifyWhenWritten: v.optional(v.boolean('wrong_type'), false),
    consent: ConsentSchema,
    /** Lets this browser ask what became of its wish while it waits (POST /wishes/status). */
    wishKey: v.optional(EditKeySchema),
    ...GuardFields,
  },
  'unknown_field',
);
export type NewWishInput = v.InferOutput<typeof NewWishSchema>;

export const ListWishesQuerySchema = v.strictObject(
  {
    sort: v.optional(v.picklist(['votes', 'newest'], 'invalid_choice'), 'votes'),
    limit: pageSize,
    cursor: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.cursorMaxChars, 'too_long'))),
  },
  'unknown_field',
);

/** A random id the browser keeps; only a keyed hash of it is stored. */
export const VoterIdSchema = v.pipe(
  v.string(typeMessage),
  v.minLength(1, 'required'),
  v.minLength(LIMITS.voterId.minChars, 'too_short'),
  v.maxLength(LIMITS.voterId.maxChars, 'too_long'),
  v.regex(/^[A-Za-z0-9_-]+$/, 'invalid_characters'),
);

/** A vote: the browser's voter id and, when the proof-of-work guard is on, a solved challenge. */
export const VoteSchema = v.strictObject({ voterId: VoterIdSchema, pow: GuardFields.pow }, 'unknown_field');

/**
 * Casting a vote, optionally with her address for the one mail when the wish is written (unticked
 * by default; double opt-in). Sent again with the address after the vote, it adds the address.
 */
export const CastVoteSchema = v.pipe(
  v.strictObject(
    {
      voterId: VoterIdSchema,
      pow: GuardFields.pow,
      email: v.optional(EmailSchema),
      notifyWhenWritten: v.optional(v.boolean('wrong_type'), false),
    },
    'unknown_field',
  ),
  // The address is only for that mail: the tick needs it, and without the tick it is not kept.
  v.forward(
    v.check((vote) => !vote.notifyWhenWritten || vote.email !== undefined, 'required'),
    ['email'],
  ),
);
export type CastVoteInput = v.InferOutput<typeof CastVoteSchema>;

/** The article page (path or full URL) whose wish is credited. */
export const CreditQuerySchema = v.strictObject({ page: PageSchema }, 'unknown_field');

/** What anyone may see of a wish. `new` appears only in the answer to its own submission. */
export interface PublicWish {
  id: string;
  topic: string;
  details: string | null;
  publicName: string | null;
  /** The link for the credit (a wish she entered by hand); null otherwise. */
  website: string | null;
  status: PublicWishStatus | 'new';
  votes: number;
  articleUrl: string | null;
  writtenAt: string | null;
  createdAt: string;
}

/** The token of a link in a mail to a reader, in the query (GET) or the page's form (POST). */
export const ReaderLinkFormSchema = v.object({
  t: v.pipe(v.string(typeMessage), v.maxLength(200, 'too_long')),
});

/** The unsubscribe page's buttons (`scope`), or an RFC 8058 one-click body (`List-Unsubscribe`). */
export const UnsubscribeFormSchema = v.object({
  t: v.optional(v.pipe(v.string(typeMessage), v.maxLength(200, 'too_long'))),
  scope: v.optional(v.picklist(['thread', 'all'], 'invalid_choice')),
  'List-Unsubscribe': v.optional(v.pipe(v.string(typeMessage), v.maxLength(40, 'too_long'))),
});

/** "Meine Daten": the form page's language (`?lang=de|en`, as the widget links it). */
export const DataFormQuerySchema = v.object({
  lang: v.optional(v.picklist(['de', 'en'], 'invalid_choice')),
});

/** "Meine Daten": the address to send her data link to, and the language of page and mail. */
export const DataRequestFormSchema = v.object({
  email: EmailSchema,
  lang: v.optional(v.picklist(['de', 'en'], 'invalid_choice')),
});

/** The buttons of her data page: download, or erase (with the ticked confirmation). */
export const DataActionFormSchema = v.object({
  t: v.pipe(v.string(typeMessage), v.maxLength(200, 'too_long')),
  do: v.picklist(['download', 'erase'], 'invalid_choice'),
  confirm: v.optional(v.literal('1', 'invalid_choice')),
});

export interface FieldIssue {
  field: string;
  code: string;
}

/** Turns valibot issues into one issue per field, with stable codes. */
export function fieldIssues(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  const seen = new Map<string, FieldIssue>();
  for (const issue of issues) {
    const path = issue.path?.map((item) => String(item.key)) ?? [];
    // A list field (e.g. pages) names the list, not the index inside it.
    const field = path.filter((part) => !/^\d+$/.test(part)).join('.') || 'body';
    // valibot reports a missing key with the object's own message ('unknown_field'): it is required.
    const missing =
      issue.kind === 'schema' && issue.type.endsWith('object') && issue.received === 'undefined';
    if (!seen.has(field)) seen.set(field, { field, code: missing ? 'required' : issue.message });
  }
  return [...seen.values()];
}
