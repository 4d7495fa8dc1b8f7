/**
 * Moderation policy: which new comment is held, and what each status means for readers.
 */
import type { CommentStatus } from './schemas';

export type ModerationPolicy = 'all' | 'first-time' | 'none';

export function isVisible(status: CommentStatus): boolean {
  return status === 'approved';
}

/**
 * Hold all, hold none, or (the default, as WordPress does) hold only first-time commenters:
 * an email whose earlier comment was approved is trusted. Content heuristics can still hold.
 */
export function initialStatus(
  policy: ModerationPolicy,
  emailIsTrusted: boolean,
  holdReasons: readonly string[],
): CommentStatus {
  if (holdReasons.length > 0) return 'pending';
  if (policy === 'none') return 'approved';
  if (policy === 'first-time' && emailIsTrusted) return 'approved';
  return 'pending';
}

export type CommentAction = 'approve' | 'spam' | 'delete' | 'compliment';

/** The status an action leads to. */
export function statusAfter(action: CommentAction): CommentStatus {
  switch (action) {
    case 'approve':
    case 'compliment':
      return 'approved';
    case 'spam':
      return 'spam';
    case 'delete':
      return 'deleted';
  }
}
