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
import { csrfIn, DESK_URL, deskGet, deskPost } from '../support/desk';
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

  it('shows the replies under an opened comment, visible and held, each with its status', async () => {
    const page = '/posts/desk-replies';
    const parent = await post(page, 'Die Frage');
    const visible = await post(page, 'Eine sichtbare Antwort', parent);
    await post(page, 'Antwort auf die Antwort', visible);
    await post(page, 'Ein anderer Strang');
    const held = { id: newId(), page, name: 'Gehalten', status: 'pending' as const, lang: 'de' as const };
    const waiting = { createdAt: new Date().toISOString(), emailEnc: 'sealed', emailHash: 'hash-reply' };
    await putComment({ ...held, ...waiting, parentId: parent, text: 'Eine wartende Antwort' });
    await putComment({
      ...held,
      ...waiting,
      id: newId(),
      status: 'spam',
      parentId: parent,
      text: 'Spam-Antwort',
    });

    const opened = await deskGet(`/desk/comments/${parent}`, session);
    expect(opened.status).toBe(200);
    const [, under = ''] = opened.text.split('<h2 id="replies">');
    // Only the direct replies, oldest first, each with its status; not spam, not the grandchild.
    expect(textsOf(under)).toEqual(['Eine sichtbare Antwort', 'Eine wartende Antwort']);
    const statuses = [...under.matchAll(/· (Freigegeben|Zurückgehalten|Spam)<\/p>/g)].map((m) => m[1]);
    expect(statuses).toEqual(['Freigegeben', 'Zurückgehalten']);
    // The reply, opened, has the question above and its own reply below.
    const reply = await deskGet(`/desk/comments/${visible}`, session);
    expect(textsOf(reply.text)).toEqual(['Die Frage', 'Eine sichtbare Antwort', 'Antwort auf die Antwort']);
    // A comment without replies says so.
    const lonely = await deskGet(`/desk/comments/${await post(page, 'Allein')}`, session);
    expect(lonely.text).toContain('Noch keine Antworten.');
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
    expect(result.headers.location).toBe('/desk/login?next=%2Fdesk%2Fcomments');
  });

  it('lets her answer a comment as the author: stored approved and marked, with her label once set', async () => {
    const parent = await post(PAGE, 'Frage an die Autorin');
    const opened = await deskGet(`/desk/comments/${parent}`, session);
    const replied = await deskPost(
      `/desk/comments/${parent}`,
      { csrf: csrfIn(opened.text), text: 'Danke für die Frage!' },
      session,
    );
    expect(replied.status).toBe(303);
    expect(replied.headers.location).toBe(`/desk/comments/${parent}?done=1`);
    expect((await deskGet(`/desk/comments/${parent}?done=1`, session)).text).toContain(
      'Deine Antwort ist veröffentlicht.',
    );
    const visible = async () =>
      (await call(comments, { method: 'GET', path: '/comments', rawQueryString: `page=${PAGE}` })).body
        .comments as { text: string; byAuthor?: boolean; authorLabel?: string; parentId: string | null }[];
    const mine = (await visible()).find((comment) => comment.text === 'Danke für die Frage!');
    expect(mine).toMatchObject({ byAuthor: true, parentId: parent });
    expect(mine?.authorLabel).toBeUndefined();

    const settings = await deskGet('/desk/settings', session);
    expect(settings.status).toBe(200);
    const saved = await deskPost(
      '/desk/settings',
      { csrf: csrfIn(settings.text), authorLabel: '  Bloggerin  ' },
      session,
    );
    expect(saved.headers.location).toBe('/desk/settings?done=1');
    expect((await deskGet('/desk/settings', session)).text).toContain('value="Bloggerin"');
    await deskPost(`/desk/comments/${parent}`, { csrf: csrfIn(opened.text), text: 'Noch etwas.' }, session);
    const labelled = (await visible()).find((comment) => comment.text === 'Noch etwas.');
    expect(labelled).toMatchObject({ byAuthor: true, authorLabel: 'Bloggerin' });

    const tooLong = await deskPost(
      '/desk/settings',
      { csrf: csrfIn(settings.text), authorLabel: 'x'.repeat(LIMITS.desk.authorLabelMaxChars + 1) },
      session,
    );
    expect(tooLong.headers.location).toBe('/desk/settings?problem=label_too_long');
    expect((await deskGet('/desk/settings', session)).text).toContain('value="Bloggerin"');
    await deskPost('/desk/settings', { csrf: csrfIn(settings.text), authorLabel: '' }, session);
    expect((await deskGet('/desk/settings', session)).text).not.toContain('Bloggerin');
  });

  it('refuses an empty reply, a reply to a held comment, and a reply without the form token', async () => {
    const parent = await post(PAGE, 'Noch eine Frage');
    const opened = await deskGet(`/desk/comments/${parent}`, session);
    const empty = await deskPost(
      `/desk/comments/${parent}`,
      { csrf: csrfIn(opened.text), text: ' ' },
      session,
    );
    expect(empty.headers.location).toBe(`/desk/comments/${parent}?problem=invalid_text`);
    const held = newId();
    await putComment({
      id: held,
      page: PAGE,
      parentId: null,
      name: 'Gehalten',
      text: 'Noch nicht frei',
      status: 'pending',
      createdAt: new Date().toISOString(),
      emailEnc: 'sealed',
      emailHash: 'hash-held-2',
      lang: 'de',
    });
    const toHeld = await deskPost(
      `/desk/comments/${held}`,
      { csrf: csrfIn(opened.text), text: 'Hallo' },
      session,
    );
    expect(toHeld.headers.location).toBe(`/desk/comments/${held}?problem=parent_not_found`);
    const forged = await deskPost(`/desk/comments/${parent}`, { csrf: 'x', text: 'Hallo' }, session);
    expect(forged.status).toBe(403);
    const texts = (
      await call(comments, { method: 'GET', path: '/comments', rawQueryString: `page=${PAGE}` })
    ).body.comments.map((comment: { text: string }) => comment.text);
    expect(texts).not.toContain('Hallo');
  });
});
