/**
 * The desk's comment list: by status and page, newest first, a page at a time (a Query on the
 * moderation index), and one comment opened with the thread it answers. Real desk handler on
 * DynamoDB Local.
 */
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { newId } from '../../functions/core/ids';
import { LIMITS } from '../../functions/core/limits';
import { handler as comments } from '../../functions/handlers/comments';
import { linkKey } from '../../functions/runtime/keys';
import { putComment } from '../../functions/store/comments';
import { logInWithLink } from '../../functions/usecases/desk';
import { DESK_URL, deskGet } from '../support/desk';
import { call, createTestStack, validComment } from '../support/stack';

const PAGE = '/posts/desk-list';
const OTHER = '/posts/desk-other';
let session: string;

beforeAll(async () => {
  await createTestStack({ DESK_URL, MODERATION: 'none' });
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  session = login.sessionId;
});

async function post(page: string, text: string, parentId?: string): Promise<string> {
  const result = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page, text, ...(parentId ? { parentId } : {}) }),
  });
  expect(result.status).toBe(201);
  return result.body.comment.id;
}

/** The comment texts of a desk page, in the order shown. */
const textsOf = (html: string) => [...html.matchAll(/<p class="text">([^<]*)<\/p>/g)].map((m) => m[1]);

describe('the comment list of the desk', () => {
  it('lists approved comments newest first, narrows to one page, and opens one with its thread', async () => {
    const first = await post(PAGE, 'Erster Kommentar');
    const reply = await post(PAGE, 'Antwort auf den ersten', first);
    await post(OTHER, 'Auf einer anderen Seite');

    const all = await deskGet('/desk/comments', session);
    expect(all.status).toBe(200);
    expect(all.text).toContain('<title>Kommentare');
    expect(textsOf(all.text).slice(0, 3)).toEqual([
      'Auf einer anderen Seite',
      'Antwort auf den ersten',
      'Erster Kommentar',
    ]);

    const onePage = await deskGet(`/desk/comments?status=approved&page=${encodeURIComponent(PAGE)}`, session);
    expect(textsOf(onePage.text)).toEqual(['Antwort auf den ersten', 'Erster Kommentar']);
    expect(
      await deskGet(`/desk/comments?status=spam&page=${encodeURIComponent(PAGE)}`, session),
    ).toMatchObject({ status: 200 });

    const opened = await deskGet(`/desk/comments/${reply}`, session);
    expect(opened.status).toBe(200);
    expect(textsOf(opened.text)).toEqual(['Erster Kommentar', 'Antwort auf den ersten']);
    expect(opened.text).toContain('Antwort auf');
  });

  it('shows held comments under their own tab, and not among the approved', async () => {
    const id = newId();
    await putComment({
      id,
      page: PAGE,
      parentId: null,
      name: 'Gehalten',
      text: 'Wartet noch',
      status: 'pending',
      createdAt: new Date().toISOString(),
      emailEnc: 'sealed',
      emailHash: 'hash-held',
      lang: 'de',
    });
    expect(textsOf((await deskGet('/desk/comments?status=pending', session)).text)).toEqual(['Wartet noch']);
    expect(textsOf((await deskGet('/desk/comments', session)).text)).not.toContain('Wartet noch');
  });

  it('continues with older comments through the "older" link, none twice, none lost', async () => {
    const page = '/posts/desk-many';
    const total = LIMITS.desk.listPageSize + 3;
    for (let i = 0; i < total; i++) {
      await putComment({
        id: newId(),
        page,
        parentId: null,
        name: 'Viele',
        text: `Nummer ${i}`,
        status: 'approved',
        createdAt: new Date().toISOString(),
        emailEnc: 'sealed',
        emailHash: 'hash-many',
        lang: 'de',
      });
    }
    const seen: string[] = [];
    let path: string | undefined = `/desk/comments?status=approved&page=${encodeURIComponent(page)}`;
    for (let round = 0; path && round < 5; round++) {
      const result = await deskGet(path, session);
      expect(result.status).toBe(200);
      seen.push(...textsOf(result.text).map(String));
      const next = /<a href="([^"]+)" rel="next">/.exec(result.text)?.[1];
      path = next?.replaceAll('&amp;', '&');
    }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => `Nummer ${total - 1 - i}`));
  });

  it('refuses a forged cursor, an overlong page filter and an unknown comment with a clear page', async () => {
    const forged = await deskGet('/desk/comments?status=approved&after=COMMENT%23x', session);
    expect(forged.status).toBe(400);
    const long = await deskGet(`/desk/comments?page=${'a'.repeat(LIMITS.page.maxChars + 1)}`, session);
    expect(long.status).toBe(400);
    expect((await deskGet(`/desk/comments/${newId()}`, session)).status).toBe(404);
    expect((await deskGet('/desk/comments/nope', session)).status).toBe(404);
  });

  it('needs a session', async () => {
    const result = await deskGet('/desk/comments');
    expect(result.status).toBe(303);
    expect(result.headers.location).toBe('/desk/login');
  });
});
