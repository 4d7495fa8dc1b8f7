/**
 * The RSS feeds, read back with a real feed parser: a page's comments, the blog's latest comments
 * and the wish board; formatted text arrives as safe HTML, links point at the comment's anchor.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import { handler as commentsHandler } from '../../functions/handlers/comments';
import { handler as wishesHandler } from '../../functions/handlers/wishes';
import { call, createTestStack, TEST_ORIGIN, validComment } from '../support/stack';
import { acceptedWish } from '../support/wishes';

beforeAll(async () => {
  await createTestStack({ MODERATION: 'none', SITE_NAME: 'Marketing mit Herz' });
});

const post = (json: unknown) => call(commentsHandler, { method: 'POST', path: '/comments', json });
const feed = (handler: typeof commentsHandler, path: string, query = '') =>
  call(handler, { method: 'GET', path, rawQueryString: query, headers: { host: 'api.blog.example' } });

describe('comment feeds', () => {
  it("lists a page's comments newest first, formatted and linked to each comment", async () => {
    const first = await post(
      validComment({ page: '/posts/feed', text: 'Erster **fetter** Gedanke <script>x</script>' }),
    );
    const second = await post(validComment({ page: '/posts/feed', name: 'Bea', text: 'Zweiter' }));
    await post(validComment({ page: '/posts/elsewhere', text: 'Woanders' }));
    const response = await feed(commentsHandler, '/feeds/comments', 'page=%2Fposts%2Ffeed');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const parsed = parseFeed(response.text);
    expect(parsed.title).toContain('Marketing mit Herz');
    expect(parsed.items.map((item) => item.title)).toEqual([
      'Kommentar von Bea',
      'Kommentar von Anna Leserin',
    ]);
    expect(parsed.items[0]!.url).toBe(`${TEST_ORIGIN}/posts/feed#kommentar-${second.body.comment.id}`);
    expect(parsed.items[1]!.description).toContain('<p>Erster <strong>fetter</strong> Gedanke');
    // The typed tag is text inside the HTML, escaped once more inside the XML (this parser
    // decodes entities twice, so the raw feed is checked).
    expect(response.text).toContain('Gedanke &amp;lt;script&amp;gt;x&amp;lt;/script&amp;gt;&lt;/p&gt;');
    expect(parsed.items[1]!.id).toBe(`comment-${first.body.comment.id}`);
  });

  it("lists the whole blog's latest comments without a page", async () => {
    const parsed = parseFeed((await feed(commentsHandler, '/feeds/comments')).text);
    expect(parsed.items.map((item) => item.description)).toEqual(
      expect.arrayContaining(['<p>Woanders</p>', '<p>Zweiter</p>']),
    );
    expect(parsed.items[0]!.description).toBe('<p>Woanders</p>');
  });

  it('names a bad page parameter', async () => {
    const response = await feed(commentsHandler, '/feeds/comments', 'page=&x=1');
    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['page', 'x']);
  });
});

describe('the wish feed', () => {
  it('lists the public wishes, newest first', async () => {
    await acceptedWish({ topic: 'Wie finde ich Kundinnen?' });
    const response = await feed(wishesHandler, '/feeds/wishes');
    expect(response.status).toBe(200);
    const parsed = parseFeed(response.text);
    expect(parsed.title).toBe('Themenwünsche – Marketing mit Herz');
    expect(parsed.items.map((item) => item.title)).toContain('Wie finde ich Kundinnen?');
  });
});
