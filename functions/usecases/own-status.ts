/**
 * Her browser asks what became of the comments it holds (held) or the wishes it sent (waiting),
 * each with the key it made for it: still waiting, public now, or gone. Only a keyed hash of each
 * key is stored, so the answer needs the key; a wrong key reads as gone. Changes nothing.
 */
import { ownCommentStatus, ownWishStatus } from '../core/own-status';
import { editKeyHash } from '../core/privacy';
import type { OwnStatus, OwnStatusInput } from '../core/schemas';
import { hashKeys } from '../runtime/keys';
import { ownItems } from '../store/own-items';
import { DomainError } from './errors';

const STATUS_OF = { comment: ownCommentStatus, wish: ownWishStatus };

export async function ownStatuses(
  kind: 'comment' | 'wish',
  items: OwnStatusInput['items'],
): Promise<Record<string, OwnStatus>> {
  const [found, { editKeys }] = await Promise.all([
    ownItems(
      kind,
      items.map(({ id }) => id),
    ),
    hashKeys(),
  ]);
  if (found === 'busy') throw new DomainError('busy', [], 1);
  return Object.fromEntries(
    items.map(({ id, key }) => [id, STATUS_OF[kind](found.get(id), editKeyHash(key, editKeys))]),
  );
}
