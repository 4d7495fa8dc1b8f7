/**
 * The WordPress importer cuts the items with comments out of the file before parsing it. A broken
 * file of many `<item` without a close once made each of them search to the end of the file
 * (quadratic: 5,000 of them before a megabyte took 14 s); the file below would run into the
 * test's timeout that way. The speed itself is measured in bench, not here. Elements nested a
 * hundred thousand deep once overflowed the call stack of the tree walk (a RangeError, a 500).
 */
import { parseWordPress } from '../../functions/importers/wordpress';

const WXR = (items: string) =>
  `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>${items}</channel></rss>`;
const commented = (title: string) =>
  `<item><title>${title}</title><link>https://blog.example/${title}/</link><wp:post_type>post</wp:post_type><wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Anna</wp:comment_author><wp:comment_content>Zu ${title}</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment></item>`;

describe('items of a WordPress export', () => {
  it('reads the items with comments between items without any', () => {
    const parsed = parseWordPress(
      WXR(`${commented('eins')}<item><title>leer</title></item>${commented('zwei')}`),
    );
    expect(parsed.comments.map((c) => [c.pageUrl, c.text])).toEqual([
      ['https://blog.example/eins/', 'Zu eins'],
      ['https://blog.example/zwei/', 'Zu zwei'],
    ]);
  });

  it('reads a broken file of many unclosed items before two megabytes in one pass', () => {
    const broken = `${commented('vorher')}${'<item>x'.repeat(20_000)}${'y'.repeat(2_000_000)}`;
    const parsed = parseWordPress(WXR(broken));
    expect(parsed.comments.map((c) => c.text)).toEqual(['Zu vorher']);
  });

  it('reads a file whose elements nest a hundred thousand deep (no stack overflow)', () => {
    const deep = '<x>'.repeat(100_000);
    expect(
      parseWordPress(WXR(`${commented('flach')}<item><wp:comment>${deep}`)).comments.map((c) => c.text),
    ).toEqual(['Zu flach']);
    expect(parseWordPress(`<rss xmlns:wp="http://wordpress.org/export/1.2/">${deep}`).comments).toEqual([]);
  });
});
