/**
 * A reader changes her mind: within LIMITS.comment.editWindowSeconds of posting, the browser that
 * keeps the comment's edit key may edit or delete it. An edit passes the same validation, rate
 * limits and content checks as a new comment; an approved comment that now trips a check goes
 * back to the author, who gets the mail of a held comment about it.
 */
import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import { editKeyHash } from '../core/privacy';
import type { EditCommentInput } from '../core/schemas';
import { hashKeys } from '../runtime/keys';
import { changeOwnComment, getComment, heldEditNotice, type StoredComment } from '../store/comments';
import { toPublicComment } from '../store/public-comments';
import { commitWith } from '../store/transact';
import type { SubmittedComment } from './comments';
import { guardSubmission, type SubmissionContext } from './guard';

/** Why an edit or deletion was refused; the handler maps the code to a status. */
export class OwnCommentRefused extends Error {
  constructor(readonly code: 'comment_not_found' | 'edit_not_allowed') {
    super(code);
  }
}

/** The earliest creation time a comment may have to be changed now. */
function windowStart(now: Date): string {
  return new Date(now.getTime() - LIMITS.comment.editWindowSeconds * 1000).toISOString();
}

async function ownComment(id: string, editKey: string, now: Date): Promise<[StoredComment, string]> {
  const comment = await getComment(id);
  if (!comment || comment.status === 'deleted' || comment.status === 'spam')
    throw new OwnCommentRefused('comment_not_found');
  const hash = editKeyHash(editKey, (await hashKeys()).editKeys);
  // A wrong key and a late key get the same answer: neither says whether the other was right.
  if (comment.editKeyHash !== hash || comment.createdAt < windowStart(now))
    throw new OwnCommentRefused('edit_not_allowed');
  return [comment, hash];
}

export async function editOwnComment(
  id: string,
  input: EditCommentInput,
  context: SubmissionContext,
): Promise<SubmittedComment> {
  const [comment, hash] = await ownComment(id, input.editKey, context.now);
  const guard = await guardSubmission({
    kind: 'comment',
    sourceIp: context.sourceIp,
    content: { body: input.text, others: [comment.name] },
    now: context.now,
  });
  const held = guard.holdReasons.length > 0 && comment.status === 'approved';
  const target = held ? 'pending' : comment.status;
  const changed = await commitWith(guard.writes, (items) =>
    changeOwnComment(
      comment,
      {
        target,
        text: input.text,
        holdReasons: guard.holdReasons,
        editKeyHash: hash,
        notBefore: windowStart(context.now),
        now: context.now,
      },
      // The author hears of it as of a new held comment; the guard's writes stay last.
      held ? [heldEditNotice(newId(context.now.getTime()), comment.id, context.now), ...items] : items,
    ),
  );
  if (!changed) throw new OwnCommentRefused('edit_not_allowed');
  const edited = { ...comment, text: input.text, status: target, editedAt: context.now.toISOString() };
  return { comment: toPublicComment(edited), visible: target === 'approved' };
}

export async function deleteOwnComment(id: string, editKey: string, now: Date): Promise<{ deleted: true }> {
  const [comment, hash] = await ownComment(id, editKey, now);
  const changed = await changeOwnComment(comment, {
    target: 'deleted',
    editKeyHash: hash,
    notBefore: windowStart(now),
    now,
  });
  if (!changed) throw new OwnCommentRefused('edit_not_allowed');
  return { deleted: true };
}
