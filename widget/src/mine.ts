/**
 * The reader's own comments in this browser (localStorage, no cookies): the edit key of each
 * comment she posted and until when it works. One small module, so later features (her pending
 * comments, "Meine Daten") can keep their state next to it.
 */
import { LIMITS } from '../../functions/core/limits';
import type { Kit } from './kit';

type Mine = Record<string, [key: string, until: number]>;

export function mine(kit: Kit) {
  const read = () => {
    const all = (kit.store('mine') as Mine | null) ?? {};
    // Keys past their window are useless: forget them.
    for (const id in all) if (all[id]![1] <= Date.now()) delete all[id];
    return all;
  };
  return {
    /** The edit key and its end, while it still works. */
    get: (id: string): [string, number] | undefined => read()[id],
    add(id: string, key: string): void {
      kit.store('mine', { ...read(), [id]: [key, Date.now() + LIMITS.comment.editWindowSeconds * 1000] });
    },
    remove(id: string): void {
      const all = read();
      delete all[id];
      kit.store('mine', all);
    },
  };
}
