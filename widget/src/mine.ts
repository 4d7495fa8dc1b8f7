/**
 * The reader's own comments in this browser (localStorage, no cookies): the edit key of each
 * comment she posted and until when it works, and the comment itself. When it went up at once, a
 * list from the edge cache or her browser's cache may be older than it for a while; when it is
 * held (status pending), only she sees it, marked, until the API says it is approved or gone (asked
 * with its edit key, forms.ts settleHeld), at most LIMITS.comment.heldShownSeconds.
 */
import { LIMITS } from '../../functions/core/limits';
import type { PublicComment } from '../../functions/core/schemas';
import type { Kit } from './kit';

export type Mine = Record<string, [key: string, until: number, comment?: PublicComment]>;

export function mine(kit: Kit) {
  const read = () => {
    // A copy: whatever the entry holds (a string, a number, null), it is an object of entries.
    const all: Mine = { ...(kit.store('mine') as Mine) };
    // Keys past their window are useless: forget them; a held comment stays a while longer. So goes
    // an entry this widget did not write (a hand-edited or broken one).
    for (const id in all) {
      const entry = all[id]!;
      if (
        !Array.isArray(entry) ||
        !(
          entry[1] + (entry[2]?.status === 'pending' ? LIMITS.comment.heldShownSeconds * 1000 : 0) >
          Date.now()
        )
      )
        delete all[id];
    }
    return all;
  };
  return {
    /** The edit key and its end, while it still works. */
    get: (id: string): Mine[string] | undefined => read()[id],
    add(id: string, key: string, comment: PublicComment): void {
      kit.store('mine', {
        ...read(),
        [id]: [key, Date.now() + LIMITS.comment.editWindowSeconds * 1000, comment],
      });
    },
    remove(id: string): void {
      const all = read();
      delete all[id];
      kit.store('mine', all);
    },
    /** Her comments of this page that a cached list may not have yet, and her held ones. */
    fresh: (page: string): PublicComment[] =>
      Object.values(read()).flatMap(([, until, c]) =>
        c?.page === page &&
        (c.status === 'pending' ||
          // Posted less than the edge cache's whole life ago (until = posted + edit window).
          until - Date.now() >
            (LIMITS.comment.editWindowSeconds -
              LIMITS.edgeCache.maxAgeSeconds -
              LIMITS.edgeCache.staleWhileRevalidateSeconds) *
              1000)
          ? [c]
          : [],
      ),
  };
}
