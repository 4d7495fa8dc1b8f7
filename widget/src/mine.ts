/**
 * The reader's own comments in this browser (localStorage, no cookies): the edit key of each
 * comment she posted and until when it works, and, when it went up at once, the comment itself:
 * a list from the edge cache or her browser's cache may be older than it for a while.
 */
import { LIMITS } from '../../functions/core/limits';
import type { PublicComment } from '../../functions/core/schemas';
import type { Kit } from './kit';

type Mine = Record<string, [key: string, until: number, visible?: PublicComment]>;

export function mine(kit: Kit) {
  const read = () => {
    const all = (kit.store('mine') as Mine | null) ?? {};
    // Keys past their window are useless: forget them.
    for (const id in all) if (all[id]![1] <= Date.now()) delete all[id];
    return all;
  };
  return {
    /** The edit key and its end, while it still works. */
    get: (id: string): Mine[string] | undefined => read()[id],
    add(id: string, key: string, visible?: PublicComment): void {
      kit.store('mine', {
        ...read(),
        [id]: [key, Date.now() + LIMITS.comment.editWindowSeconds * 1000, visible],
      });
    },
    remove(id: string): void {
      const all = read();
      delete all[id];
      kit.store('mine', all);
    },
    /** Her visible comments of this page that a cached list may not have yet. */
    fresh: (page: string): PublicComment[] =>
      Object.values(read()).flatMap(([, until, c]) =>
        c?.page === page &&
        // Posted less than the edge cache's whole life ago (until = posted + edit window).
        until - Date.now() >
          (LIMITS.comment.editWindowSeconds -
            LIMITS.edgeCache.maxAgeSeconds -
            LIMITS.edgeCache.staleWhileRevalidateSeconds) *
            1000
          ? [c]
          : [],
      ),
  };
}
