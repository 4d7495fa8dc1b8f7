/**
 * An import writes parents before their replies. Each comment's depth was once walked to the top
 * of its thread inside every comparison of the sort, so a long reply chain cost hours (3,000 links:
 * 4 s; 12,000: minutes); the chain below would run into the test's timeout that way. The speed
 * itself is measured in bench, not here.
 */
import type { ImportedComment } from '../../functions/importers/types';
import { planImport } from '../../functions/usecases/import';

const comment = (
  sourceId: string,
  parentSourceId: string | undefined,
  page: string,
  at: number,
): ImportedComment => ({
  sourceId,
  parentSourceId,
  pageUrl: page,
  name: 'Anna',
  text: `Kommentar ${sourceId}`,
  createdAt: new Date(Date.UTC(2020, 0, 1) + at * 1000).toISOString(),
  status: 'approved',
});

describe('the order of an import', () => {
  it('puts every parent of a long reply chain before its reply', async () => {
    const links = 12_000;
    // Listed newest first, and the replies dated before their parents: only the depth orders them.
    const chain = Array.from({ length: links }, (_, i) =>
      comment(`kette#${i}`, i > 0 ? `kette#${i - 1}` : undefined, '/posts/kette', links - i),
    ).reverse();
    const plan = await planImport({ source: 'wordpress', comments: chain, skipped: [] });
    expect(plan.records).toHaveLength(links);
    expect(plan.records[0]!.parentId).toBeNull();
    for (let i = 1; i < links; i++) expect(plan.records[i]!.parentId).toBe(plan.records[i - 1]!.id);
  });

  it('breaks a circle of replies instead of following it', async () => {
    const plan = await planImport({
      source: 'wordpress',
      comments: [
        comment('kreis#a', 'kreis#b', '/posts/kreis', 1),
        comment('kreis#b', 'kreis#a', '/posts/kreis', 2),
        comment('kreis#c', 'kreis#a', '/posts/kreis', 3),
      ],
      skipped: [],
    });
    expect(plan.records).toHaveLength(3);
    const written = new Set<string>();
    for (const record of plan.records) {
      // Every reference points to a comment written before it.
      if (record.parentId !== null) expect(written.has(record.parentId)).toBe(true);
      written.add(record.id);
    }
    expect(plan.records.filter((record) => record.parentId === null)).toHaveLength(1);
  });
});
