/**
 * The author's moderation, independent of HTTP: the one-click links from her mail (inspect on GET,
 * act on POST) and the command line call the same functions here.
 *
 * A link acts once. After it acted, the same link only ever answers "already done" while its
 * action is still in effect; once the item has moved elsewhere (say a later "spam"), the old
 * "approve" link is refused instead of undoing that decision.
 */
import type { CommentAction } from '../core/moderation';
import type { WishStatus } from '../core/schemas';
import { type CommentLinkAction, type LinkClaims, verifyToken, type WishLinkAction } from '../core/tokens';
import { linkKey } from '../runtime/keys';
import { applyCommentAction, getComment, type StoredComment } from '../store/comments';
import { getUsedToken, recordUsedToken } from '../store/tokens';
import { retryOnConflict } from '../store/transact';
import { getWish, type StoredWish } from '../store/wishes';
import { applyWishAction, nextWishStatus, type WishActionProblem } from './wish-actions';

export type ModerationSubject = { kind: 'comment'; item: StoredComment } | { kind: 'wish'; item: StoredWish };

export type ModerationOutcome =
  | { outcome: 'done' | 'already'; subject: ModerationSubject }
  | { outcome: 'not_found' }
  | { outcome: 'invalid'; subject: ModerationSubject; reason: WishActionProblem | 'comment_deleted' };

export type LinkState =
  | { state: 'refused'; reason: 'malformed' | 'forged' | 'expired' | 'used' }
  | { state: 'not_found'; claims: LinkClaims }
  | {
      state: 'confirm' | 'already' | 'done';
      claims: LinkClaims;
      subject: ModerationSubject;
      /** The status before the link acted (done only): a compliment link may find it visible already. */
      before?: string;
    }
  | {
      state: 'invalid';
      claims: LinkClaims;
      subject: ModerationSubject;
      reason: WishActionProblem | 'comment_deleted';
    };

export interface WrittenOptions {
  articleUrl?: string;
  writtenAt?: string;
}

/** The same transition the links make, for the command line. */
export async function moderateComment(
  id: string,
  action: CommentAction,
  now: Date,
): Promise<ModerationOutcome> {
  const comment = await getComment(id);
  if (!comment) return { outcome: 'not_found' };
  // A deleted comment has lost its name, text and email; bringing it back would show an empty shell.
  if (comment.status === 'deleted' && action !== 'delete') {
    return { outcome: 'invalid', subject: { kind: 'comment', item: comment }, reason: 'comment_deleted' };
  }
  // Concurrent clicks and counter updates on the same page can make the transaction conflict.
  const result = await retryOnConflict(() => applyCommentAction(id, action, now));
  if (result.outcome === 'not_found') return result;
  return { outcome: result.outcome, subject: { kind: 'comment', item: result.comment } };
}

export async function moderateWish(
  id: string,
  action: WishLinkAction,
  options: WrittenOptions,
  now: Date,
): Promise<ModerationOutcome> {
  const result = await applyWishAction(id, action, options, now);
  if (result.outcome === 'not_found') return result;
  const subject: ModerationSubject = { kind: 'wish', item: result.wish };
  return result.outcome === 'invalid'
    ? { outcome: 'invalid', subject, reason: result.reason }
    : { ...result, subject };
}

/** GET on a link: what would happen. Changes nothing, so a mail scanner's prefetch is harmless. */
export async function inspectLink(token: unknown, now: Date): Promise<LinkState> {
  const checked = await checkLink(token, now);
  if ('state' in checked) return checked;
  const { claims, subject } = checked;
  if (isInEffect(claims, subject)) return { state: 'already', claims, subject };
  const blocked = blockedReason(claims, subject);
  if (blocked) return { state: 'invalid', claims, subject, reason: blocked };
  return { state: 'confirm', claims, subject };
}

/** POST on a link: act, once. */
export async function followLink(token: unknown, options: WrittenOptions, now: Date): Promise<LinkState> {
  const checked = await checkLink(token, now);
  if ('state' in checked) return checked;
  const { claims, tokenId } = checked;
  const result =
    claims.kind === 'comment'
      ? await moderateComment(claims.target, claims.action, now)
      : await moderateWish(claims.target, claims.action, options, now);
  if (result.outcome === 'not_found') return { state: 'not_found', claims };
  if (result.outcome === 'invalid')
    return { state: 'invalid', claims, subject: result.subject, reason: result.reason };
  // Recorded after acting: a failed action leaves the link usable. Concurrent clicks all reach the
  // conditional status change; only one changes anything and says "done", the others "already".
  await recordUsedToken(tokenId, claims, now);
  return { state: result.outcome, claims, subject: result.subject, before: checked.subject.item.status };
}

type CheckedLink = { claims: LinkClaims; tokenId: string; subject: ModerationSubject };

/** Signature, expiry, existence of the item, and single use — everything but the action itself. */
async function checkLink(token: unknown, now: Date): Promise<CheckedLink | LinkState> {
  const verified = verifyToken(token, await linkKey('author'), now);
  if (!verified.ok) return { state: 'refused', reason: verified.reason };
  // A reader's link is signed with another key and never verifies here; should one, it acts nowhere.
  if (verified.claims.kind === 'reader') return { state: 'refused', reason: 'forged' };
  const { claims, tokenId } = verified;
  const subject = await loadSubject(claims);
  if (!subject) return { state: 'not_found', claims };
  const used = await getUsedToken(tokenId);
  if (used) {
    return isInEffect(claims, subject)
      ? { state: 'already', claims, subject }
      : { state: 'refused', reason: 'used' };
  }
  return { claims, tokenId, subject };
}

async function loadSubject(claims: LinkClaims): Promise<ModerationSubject | undefined> {
  if (claims.kind === 'comment') {
    const item = await getComment(claims.target);
    return item && { kind: 'comment', item };
  }
  const item = await getWish(claims.target);
  return item && { kind: 'wish', item };
}

/** Whether what the link would do is already so. */
export function isInEffect(claims: LinkClaims, subject: ModerationSubject): boolean {
  if (claims.kind === 'comment' && subject.kind === 'comment') {
    return commentActionInEffect(claims.action, subject.item);
  }
  if (claims.kind === 'wish' && subject.kind === 'wish') {
    return nextWishStatus(subject.item.status as WishStatus, claims.action) === 'already';
  }
  return false;
}

function commentActionInEffect(action: CommentLinkAction, comment: StoredComment): boolean {
  switch (action) {
    case 'approve':
      return comment.status === 'approved';
    case 'compliment':
      return comment.status === 'approved' && comment.compliment === true;
    case 'spam':
      return comment.status === 'spam';
    case 'delete':
      return comment.status === 'deleted';
  }
}

function blockedReason(
  claims: LinkClaims,
  subject: ModerationSubject,
): WishActionProblem | 'comment_deleted' | undefined {
  if (subject.kind === 'comment') {
    return subject.item.status === 'deleted' && claims.action !== 'delete' ? 'comment_deleted' : undefined;
  }
  if (claims.kind !== 'wish') return undefined;
  return nextWishStatus(subject.item.status as WishStatus, claims.action) === 'not_allowed'
    ? 'action_not_allowed'
    : undefined;
}
