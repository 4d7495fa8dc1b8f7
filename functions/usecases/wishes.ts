/**
 * What happens to a reader's topic wish, independent of HTTP: readers submit and vote; the author
 * (by signed link or the command line) accepts, plans, marks written, declines, or merges a
 * duplicate into another wish.
 */
import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import { normalisePage, originOf } from '../core/page';
import { clientIpHash, keyedHash } from '../core/privacy';
import type { CastVoteInput, NewWishInput, PublicWish, WishStatus } from '../core/schemas';
import { isHttpUrl, isSingleLineClean } from '../core/text';
import { config } from '../runtime/config';
import { hashKeys, lookupHashOf, sealEmail } from '../runtime/keys';
import { commitWith } from '../store/transact';
import { addVoteOptIn, changeVote, moveVotes, type VoteOptIn } from '../store/votes';
import {
  backoff,
  canTakeMergedVotes,
  changeWishStatus,
  getWish,
  markMerged,
  type NewWishRecord,
  putWish,
  type StoredWish,
  toPublicWish,
} from '../store/wishes';
import { askForConfirmation } from './confirmations';
import { DomainError } from './errors';
import { guardSubmission, type SubmissionContext, submissionWrites } from './guard';

export type WishContext = SubmissionContext;

/** A new wish starts `new`: private, in the author's queue, not on the board. */
export async function submitWish(
  input: NewWishInput,
  context: WishContext,
): Promise<{ wish: PublicWish; visible: false }> {
  // Bots are refused and rate limits checked before anything is written (usecases/guard.ts).
  const guard = await guardSubmission({
    kind: 'wish',
    fields: input,
    sourceIp: context.sourceIp,
    content: {
      body: [input.topic, input.details ?? ''].join('\n'),
      others: [input.displayName],
      akismet: {
        type: 'contact-form',
        content: [input.topic, input.details ?? ''].join('\n\n'),
        author: input.displayName,
        userAgent: context.userAgent,
        lang: context.lang,
      },
    },
    now: context.now,
  });
  const keys = await hashKeys();
  const record: NewWishRecord = {
    id: newId(),
    topic: input.topic,
    details: input.details,
    publicName: input.showName ? input.displayName : undefined,
    requesterName: input.displayName,
    emailEnc: await sealEmail(input.email),
    emailHash: await lookupHashOf(input.email),
    notifyWhenWritten: input.notifyWhenWritten === true,
    status: 'new',
    votes: 0,
    createdAt: context.now.toISOString(),
    lang: context.lang,
    ipHash: context.sourceIp ? clientIpHash(context.sourceIp, keys.clientIp, context.now) : undefined,
    ...(guard.holdReasons.length ? { holdReasons: guard.holdReasons } : {}),
  };
  const result = { wish: toPublicWish(record), visible: false as const };
  // The wish, the rate counter, the proof-of-work marker and the stored response: all or nothing.
  await commitWith(submissionWrites(guard, context, { status: 201, body: result }), (items) =>
    putWish(record, items),
  );
  if (record.notifyWhenWritten) {
    const { emailHash, emailEnc, lang } = record;
    await askForConfirmation(
      { emailHash, emailEnc, lang, purpose: 'written', sourceIp: context.sourceIp },
      context.now,
    );
  }
  return result;
}

export interface VoteResult {
  wishId: string;
  votes: number;
  voted: boolean;
}

/**
 * `pow`: the solved proof of work (GET /guard), checked when that guard is on. With
 * `notifyWhenWritten` and `email` the vote keeps her sealed address for the one mail when the wish
 * is written, and a confirmation mail asks her first (double opt-in). A voter who already voted
 * may send that again to add the address (same guards). The answer is the same whether the
 * address is known, confirmed or limited.
 */
export async function castVote(
  wishId: string,
  input: Pick<CastVoteInput, 'voterId' | 'pow' | 'email' | 'notifyWhenWritten'>,
  context: WishContext,
): Promise<VoteResult> {
  const optIn: VoteOptIn | undefined =
    input.notifyWhenWritten && input.email
      ? {
          emailEnc: await sealEmail(input.email),
          emailHash: await lookupHashOf(input.email),
          lang: context.lang,
          createdAt: context.now.toISOString(),
        }
      : undefined;
  const result = await changeVoteOf(wishId, input.voterId, 1, context, { pow: input.pow }, optIn);
  if (optIn) {
    const { emailHash, emailEnc, lang } = optIn;
    await askForConfirmation(
      { emailHash, emailEnc, lang, purpose: 'vote', sourceIp: context.sourceIp },
      context.now,
    );
  }
  return result;
}

export function withdrawVote(wishId: string, voterId: string, context: Omit<WishContext, 'lang'>) {
  return changeVoteOf(wishId, voterId, -1, context);
}

async function changeVoteOf(
  wishId: string,
  voterId: string,
  delta: 1 | -1,
  context: Omit<WishContext, 'lang'>,
  fields?: { pow?: string },
  optIn?: VoteOptIn,
): Promise<VoteResult> {
  // The per-IP and per-wish vote limits count in the vote's own transaction: a refused vote
  // counts nothing. Taking a vote back needs no proof of work (it adds nothing).
  const guard = await guardSubmission({
    kind: 'vote',
    fields,
    sourceIp: context.sourceIp,
    wishId,
    now: context.now,
  });
  const hash = voterHash(voterId, (await hashKeys()).voterIds);
  let result = await commitWith(guard.writes, (items) => changeVote(wishId, hash, delta, items, optIn));
  // Her vote is there already: the address joins it.
  if (result.outcome === 'already_voted' && optIn)
    result = await commitWith(guard.writes, (items) => addVoteOptIn(wishId, hash, optIn, items));
  switch (result.outcome) {
    case 'done':
      return { wishId, votes: result.votes, voted: delta === 1 };
    case 'wish_not_found':
      throw new DomainError('wish_not_found');
    case 'already_voted':
    case 'not_voted':
      throw new DomainError(result.outcome);
    case 'busy':
      throw new DomainError('busy', [], 1);
  }
}

/**
 * The stored stand-in for a browser's voter id: a keyed hash under a key of its own, so the id
 * never sits in the table and the hash matches nothing else there. It does not include the wish,
 * because merging must recognise a voter who voted for both wishes (she then counts once).
 */
export function voterHash(voterId: string, key: Buffer): string {
  return keyedHash(voterId, key);
}

export const WISH_ACTIONS = ['accept', 'decline', 'spam', 'plan', 'written'] as const;
export type WishAction = (typeof WISH_ACTIONS)[number];

/** Why an action cannot be applied; each code has de/en texts in core/messages.ts. */
export type WishActionProblem =
  | 'action_not_allowed'
  | 'article_url_required'
  | 'invalid_url'
  | 'origin_not_allowed'
  | 'invalid_date';

export type WishActionResult =
  | { outcome: 'done' | 'already'; wish: StoredWish }
  | { outcome: 'not_found' }
  | { outcome: 'invalid'; wish: StoredWish; reason: WishActionProblem };

/** Where each action leads, from which statuses it may start, and where it has nothing left to do. */
const ACTION_RULES: Record<WishAction, { to: WishStatus; from: WishStatus[]; done: WishStatus[] }> = {
  accept: { to: 'accepted', from: ['new', 'declined', 'spam'], done: ['accepted', 'planned', 'written'] },
  decline: { to: 'declined', from: ['new', 'accepted'], done: ['declined'] },
  spam: { to: 'spam', from: ['new', 'accepted', 'declined'], done: ['spam'] },
  plan: { to: 'planned', from: ['new', 'accepted'], done: ['planned', 'written'] },
  written: { to: 'written', from: ['new', 'accepted', 'planned'], done: ['written'] },
};

export function nextWishStatus(
  status: WishStatus,
  action: WishAction,
): WishStatus | 'already' | 'not_allowed' {
  const rule = ACTION_RULES[action];
  if (rule.done.includes(status)) return 'already';
  return rule.from.includes(status) ? rule.to : 'not_allowed';
}

/**
 * Moves a wish on by the author's action. The update is conditional on the status it was read in,
 * so marking a wish written twice changes it once: the stream carries exactly one transition to
 * `written`, and the wisher gets exactly one mail.
 */
export async function applyWishAction(
  id: string,
  action: WishAction,
  options: { articleUrl?: string; writtenAt?: string } = {},
  now: Date = new Date(),
): Promise<WishActionResult> {
  for (let attempt = 0; attempt < LIMITS.wish.actionAttempts; attempt++) {
    const wish = await getWish(id);
    if (!wish) return { outcome: 'not_found' };
    const next = nextWishStatus(wish.status, action);
    if (next === 'already') return { outcome: 'already', wish };
    if (next === 'not_allowed') return { outcome: 'invalid', wish, reason: 'action_not_allowed' };
    const article = next === 'written' ? checkArticle(options, now) : undefined;
    if (typeof article === 'string') return { outcome: 'invalid', wish, reason: article };
    const updated = await changeWishStatus(id, { from: wish.status, to: next, now, article });
    if (updated !== 'changed_meanwhile') return { outcome: 'done', wish: updated };
    await backoff(attempt);
  }
  throw new Error(`Wish ${id} kept changing while "${action}" was applied; try again.`);
}

/** The article must be a page of this blog: the wisher's mail links to it. */
function checkArticle(
  options: { articleUrl?: string; writtenAt?: string },
  now: Date,
): { url: string; page: string; writtenAt: string } | WishActionProblem {
  const url = options.articleUrl?.trim() ?? '';
  if (!url) return 'article_url_required';
  if (url.length > LIMITS.pageUrl.maxChars || !isSingleLineClean(url) || !isHttpUrl(url))
    return 'invalid_url';
  const origin = originOf(url);
  if (!origin || !config().allowedOrigins.includes(origin)) return 'origin_not_allowed';
  let writtenAt = now.toISOString();
  const date = options.writtenAt?.trim();
  if (date) {
    const parsed = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(date)
      ? new Date(date)
      : null;
    if (!parsed || Number.isNaN(parsed.getTime())) return 'invalid_date';
    writtenAt = parsed.toISOString();
  }
  return { url, page: normalisePage(url), writtenAt };
}

export type MergeResult =
  | { outcome: 'done' | 'already'; wish: StoredWish; moved: number; shared: number }
  | { outcome: 'not_found' }
  | { outcome: 'invalid'; reason: 'same_wish' | 'merged_elsewhere' | 'original_not_open' };

/**
 * Merges a duplicate into the original: the duplicate becomes `merged` (off the board, no more
 * votes) and points to the original, then its votes move over in bounded transactions; a voter
 * who voted for both counts once. Safe to run again after a crash: it finishes what is left.
 * `wish` in the result is the original, with its new count.
 */
export async function mergeWishes(
  duplicateId: string,
  originalId: string,
  now: Date = new Date(),
): Promise<MergeResult> {
  if (duplicateId === originalId) return { outcome: 'invalid', reason: 'same_wish' };
  for (let attempt = 0; attempt < LIMITS.wish.actionAttempts; attempt++) {
    const [duplicate, original] = await Promise.all([getWish(duplicateId), getWish(originalId)]);
    if (!duplicate || !original) return { outcome: 'not_found' };
    let marked = false;
    if (duplicate.status === 'merged') {
      if (duplicate.mergedInto !== originalId) return { outcome: 'invalid', reason: 'merged_elsewhere' };
    } else {
      if (!canTakeMergedVotes(original.status)) return { outcome: 'invalid', reason: 'original_not_open' };
      if ((await markMerged(duplicate, originalId, now)) === 'changed_meanwhile') {
        await backoff(attempt);
        continue;
      }
      marked = true;
    }
    const result = await moveVotes(duplicateId, originalId);
    if (result.outcome === 'original_gone') return { outcome: 'invalid', reason: 'original_not_open' };
    if (result.outcome === 'busy') throw new Error('The votes kept changing during the merge; run it again.');
    const changed = marked || result.moved + result.shared > 0;
    return {
      outcome: changed ? 'done' : 'already',
      wish: (await getWish(originalId))!,
      moved: result.moved,
      shared: result.shared,
    };
  }
  throw new Error(`Wish ${duplicateId} kept changing during the merge; run it again.`);
}
