/**
 * Unsubscribing from the link in every mail to a reader, without login, for a long time. The link
 * is bound to the comment or wish the mail was about, never to the address. GET shows a page
 * with buttons (this thread, or everything); a POST acts at once (RFC 8058 one-click, or a button).
 */
import { verifyToken } from '../core/tokens';
import { linkKey } from '../runtime/keys';
import { getComment } from '../store/comments';
import { putOptOut, stopNotifications } from '../store/reader-mail';
import { voteOfMail } from '../store/votes';
import { getWish } from '../store/wishes';

export type UnsubscribeScope = 'thread' | 'all';

export type UnsubscribeState =
  | { state: 'refused'; reason: 'malformed' | 'forged' | 'expired' }
  | { state: 'confirm' }
  | { state: 'done'; scope: UnsubscribeScope };

type Subject = (
  | { kind: 'comment' | 'wish'; id: string }
  | { kind: 'vote'; wishId: string; voterHash: string }
) & { emailHash?: string };

async function checkLink(
  token: unknown,
  now: Date,
): Promise<Extract<UnsubscribeState, { state: 'refused' }> | { subject?: Subject }> {
  const verified = verifyToken(token, await linkKey('reader'), now);
  if (!verified.ok) return { state: 'refused', reason: verified.reason };
  const { claims } = verified;
  if (claims.kind !== 'reader' || claims.action !== 'unsubscribe')
    return { state: 'refused', reason: 'malformed' };
  const comment = await getComment(claims.target);
  if (comment) return { subject: { kind: 'comment', id: comment.id, emailHash: comment.emailHash } };
  const wish = await getWish(claims.target);
  if (wish) return { subject: { kind: 'wish', id: wish.id, emailHash: wish.emailHash } };
  // A voter's mail about a written wish: its link names the vote, so "everything" is her address.
  const vote = await voteOfMail(claims.target);
  return {
    subject: vote && {
      kind: 'vote',
      wishId: String(vote.wishId),
      voterHash: String(vote.voterHash),
      emailHash: typeof vote.emailHash === 'string' ? vote.emailHash : undefined,
    },
  };
}

export async function inspectUnsubscribeLink(token: unknown, now: Date): Promise<UnsubscribeState> {
  const checked = await checkLink(token, now);
  return 'state' in checked ? checked : { state: 'confirm' };
}

/**
 * Acts at once. Whether anything was still subscribed, or the comment is gone, the answer is the
 * same "done": the page reveals nothing about the address.
 */
export async function followUnsubscribeLink(
  token: unknown,
  scope: UnsubscribeScope,
  now: Date,
): Promise<UnsubscribeState> {
  const checked = await checkLink(token, now);
  if ('state' in checked) return checked;
  const { subject } = checked;
  if (subject) {
    await stopNotifications(subject);
    if (scope === 'all' && subject.emailHash) await putOptOut(subject.emailHash, now);
  }
  return { state: 'done', scope };
}
