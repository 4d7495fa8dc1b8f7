/**
 * What a reader's browser may learn of her own held comment or waiting wish: only whether it still
 * waits, is public now, or is not there (any more). A key that does not fit answers exactly as an
 * unknown id does, so the answer tells a stranger nothing. Spam, declined and deleted look the same.
 */
import type { OwnStatus } from './schemas';

type Stored = Record<string, unknown> | undefined;

export function ownCommentStatus(item: Stored, keyHash: string): OwnStatus {
  if (!item || item.editKeyHash !== keyHash) return 'gone';
  if (item.status === 'pending') return 'pending';
  return item.status === 'approved' && item.placeholder !== true ? 'visible' : 'gone';
}

/** A merged wish counts as public: her topic lives on in the accepted wish it joined. */
export function ownWishStatus(item: Stored, keyHash: string): OwnStatus {
  if (!item || item.wishKeyHash !== keyHash) return 'gone';
  if (item.status === 'new') return 'pending';
  return ['accepted', 'planned', 'written', 'merged'].includes(String(item.status)) ? 'visible' : 'gone';
}
