/**
 * Importing real WordPress (WXR) and Disqus exports from other projects' test data: German,
 * Cyrillic and Chinese text, malformed files, orphans, deleted threads, spam and trash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handler } from '../../functions/handlers/comments';
import { parseDisqus } from '../../functions/importers/disqus';
import { parseWordPress } from '../../functions/importers/wordpress';
import { importComments } from '../../functions/usecases/import';
import { call, createTestStack, type TestStack } from '../support/stack';

const IMPORTS = join(__dirname, '../../../shared/fixtures/import');
const read = (path: string) => readFileSync(join(IMPORTS, path), 'utf8');
const list = async (page: string) =>
  (
    await call(handler, {
      method: 'GET',
      path: '/comments',
      rawQueryString: `page=${encodeURIComponent(page)}&limit=100`,
    })
  ).body;

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});

describe('WordPress WXR', () => {
  it('imports the German isso export with its reply chain and keeps dates', async () => {
    const summary = await importComments(parseWordPress(read('wordpress/isso-wordpress.xml')));
    expect(summary.imported).toBe(8);
    const thread = await list('http://example.tld/2014/test/');
    const texts = thread.comments.map((c: { text: string }) => c.text);
    expect(texts).toEqual(expect.arrayContaining(['Erster!1', 'Zweiter.', 'Drölfter!']));
    const second = thread.comments.find((c: { text: string }) => c.text === 'Zweiter.');
    const reply = thread.comments.find((c: { text: string }) => c.text === 'Drölfter!');
    expect(reply.parentId).toBe(second.id);
    expect(reply.createdAt).toBe('2014-04-29T15:21:35.000Z');
  });

  it('keeps the 10-level reply chain, holds unapproved comments and skips pingbacks and trackbacks', async () => {
    const parsed = parseWordPress(read('wordpress/wpimporter-theme-unit-test-data.xml'));
    const summary = await importComments(parsed);
    expect(summary.skipped).toEqual({ pingback: 2, trackback: 2 });
    expect(summary.imported).toBe(29);
    const pending = (await stack.dump()).filter(
      (item) => item.kind === 'comment' && item.status === 'pending',
    );
    expect(pending).toHaveLength(3);
    const deepest = parsed.comments.find((c) => c.sourceId.endsWith('#915'))!;
    const page = await list(deepest.pageUrl);
    const byId = new Map(page.comments.map((c: { id: string; parentId: string | null }) => [c.id, c]));
    let depth = 0;
    let current = page.comments.find((c: { text: string }) => c.text === deepest.text);
    while (current?.parentId) {
      current = byId.get(current.parentId);
      depth++;
    }
    expect(depth).toBeGreaterThanOrEqual(9);
  });

  it('turns an orphan reply into a top-level comment and drops the trashed pingback (pelican)', async () => {
    const summary = await importComments(parseWordPress(read('wordpress/pelican-wordpressexport.xml')));
    expect(summary.skipped).toEqual({ pingback: 1 });
    expect(summary.orphanReplies).toBe(1);
    expect(summary.imported).toBe(3);
  });

  it('reads CDATA-wrapped fields, missing fields and ?p= links (wordpress-importer files)', async () => {
    const meta = await importComments(
      parseWordPress(read('wordpress/wpimporter-serialized-comment-meta.xml')),
    );
    const minimal = await importComments(parseWordPress(read('wordpress/wpimporter-wxr-with-sub-data.xml')));
    const legacy = await importComments(parseWordPress(read('wordpress/wpimporter-valid-wxr-1.0.xml')));
    expect([meta.imported, minimal.imported, legacy.imported]).toEqual([1, 1, 1]);
    expect(legacy.pages).toEqual(['/p/1']);
    const [comment] = (await list('/p/1')).comments;
    expect(comment.name).toBe('Mr WordPress');
    expect(comment.text).toContain("view the post's comments");
    expect(comment.text).not.toContain('<br');
  });

  it('stores nothing twice when the same export is imported again', async () => {
    const again = await importComments(parseWordPress(read('wordpress/isso-wordpress.xml')));
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 8 });
    expect((await list('http://example.tld/2014/test/')).comments.length).toBeGreaterThanOrEqual(7);
  });

  it('holds a comment whose status or entity is a word every object has (a hand-edited export)', async () => {
    const comment = (id: number, approved: string, content: string) =>
      `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>Anna</wp:comment_author><wp:comment_content><![CDATA[${content}]]></wp:comment_content><wp:comment_approved>${approved}</wp:comment_approved><wp:comment_date_gmt>2020-05-0${id} 10:00:00</wp:comment_date_gmt></wp:comment>`;
    const xml = `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>Objektwörter</title><link>https://blog.example/objektwoerter/</link><wp:post_type>post</wp:post_type>${comment(1, 'constructor', 'Erstens &constructor; bleibt')}${comment(2, '__proto__', 'Zweitens')}${comment(3, 'toString', 'Drittens')}</item></channel></rss>`;
    const parsed = parseWordPress(xml);
    expect(parsed.comments.map((c) => [c.status, c.text])).toEqual([
      ['pending', 'Erstens &constructor; bleibt'],
      ['pending', 'Zweitens'],
      ['pending', 'Drittens'],
    ]);
    expect(await importComments(parsed)).toMatchObject({ imported: 3 });
    const stored = (await stack.dump()).filter(
      (item) => item.kind === 'comment' && String(item.page).includes('objektwoerter'),
    );
    expect(stored.map((item) => item.status)).toEqual(['pending', 'pending', 'pending']);
  });
});

describe('Disqus', () => {
  it('reads the malformed Cyrillic export leniently and keeps spam out of sight', async () => {
    const summary = await importComments(parseDisqus(read('disqus/remark42-disqus.xml')));
    expect(summary.skipped.no_id).toBe(1);
    expect(summary.imported).toBe(5);
    const visible = (await list('https://radio-t.com/p/2011/03/05/podcast-229/')).comments;
    expect(visible.map((c: { text: string }) => c.text).join(' ')).not.toContain('spam');
    const all = (await stack.dump()).filter((item) => String(item.importedFrom).startsWith('disqus:'));
    expect(all.some((item) => item.status === 'spam')).toBe(true);
    expect(JSON.stringify(all)).toMatch(/Радио-Т|Google App Engine/);
  });

  it('drops the posts of a deleted thread', async () => {
    const parsed = parseDisqus(read('disqus/remark42-disqus-deleted-thread.xml'));
    expect(parsed.skipped.filter((s) => s.reason === 'deleted_thread').length).toBeGreaterThanOrEqual(2);
  });

  it('keeps a deleted post with a visible reply as a placeholder (isso)', async () => {
    const summary = await importComments(parseDisqus(read('disqus/isso-disqus.xml')));
    expect(summary.placeholders).toBe(1);
    expect(summary.skipped.orphan_thread).toBe(1);
    const pages = await Promise.all(summary.pages.map(list));
    const placeholder = pages
      .flatMap((p) => p.comments)
      .find((c: { placeholder?: boolean }) => c.placeholder);
    expect(placeholder).toMatchObject({ name: null, text: null, placeholder: true });
  });

  it('imports the real Chinese export, skipping orphans and deleted posts without replies', async () => {
    const summary = await importComments(parseDisqus(read('disqus/gyk001-disqus2duoshuo-export.xml')));
    expect(summary.skipped.orphan_thread).toBe(6);
    expect(summary.imported + summary.droppedDeleted).toBe(17);
    const dump = JSON.stringify(await stack.dump());
    expect(dump).toContain('可以');
    expect(dump).not.toContain('gyk001@gmail.com');
    expect(dump).not.toContain('anonymized-959466055@disqus.com');
  });

  it('imports the schnack export with its 3-level chain', async () => {
    const summary = await importComments(parseDisqus(read('disqus/schnack-disqus.xml')));
    expect(summary).toMatchObject({ imported: 5, orphanReplies: 0 });
  });
});
