/**
 * The author's actions on a reader's topic wish, by signed link, desk or command line: accept,
 * plan, mark written (with the article), decline, or merge a duplicate into another wish. Apart
 * from wishes.ts (what readers do) so that the moderation group bundles no sealing or guards.
 */
import { startsWithCalendarDay } from '../core/calendar-day';
import { LIMITS } from '../core/limits';
import { normalisePage, originOf } from '../core/page';
import type { WishStatus } from '../core/schemas';
import { isHttpUrl, isSingleLineClean } from '../core/text';
import { config } from '../runtime/config';
import { moveVotes } from '../store/votes';
import {
  backoff,
  canTakeMergedVotes,
  changeWishStatus,
  getWish,
  markMerged,
  type StoredWish,
} from '../store/wishes';

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
    const parsed =
      /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(date) && startsWithCalendarDay(date)
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
