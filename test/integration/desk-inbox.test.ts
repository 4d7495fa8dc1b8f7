import { issueLoginToken } from '../../functions/core/desk/login-token';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as wishes } from '../../functions/handlers/wishes';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { csrfIn, DESK_URL, deskGet, deskPost } from '../support/desk';
import { call, createTestStack, validComment } from '../support/stack';
import { validWish } from '../support/wishes';

const PAGE = '/posts/inbox';
let session: string;

beforeAll(async () => {
  await createTestStack({ DESK_URL, MODERATION: 'all' });
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  session = login.sessionId;
});

async function postComment(text: string): Promise<string> {
  const result = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: PAGE, text }),
  });
  expect(result.status).toBe(201);
  return result.body.comment.id;
}

async function visibleTexts(): Promise<string[]> {
  const list = await call(comments, { method: 'GET', path: '/comments', rawQueryString: `page=${PAGE}` });
  return list.body.comments.map((comment: { text: string }) => comment.text);
}

describe('the inbox', () => {
  it('shows held comments and new wishes with counts in the title, and acts on one', async () => {
    const first = await postComment('Erster gehaltener Kommentar');
    await postComment('Zweiter gehaltener Kommentar');
    const wish = await call(wishes, {
      method: 'POST',
      path: '/wishes',
      json: validWish({ topic: 'Preise erhöhen' }),
    });
    expect(wish.status).toBe(201);

    const page = await deskGet('/desk', session);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>(3) Eingang');
    expect(page.text).toContain('Erster gehaltener Kommentar');
    expect(page.text).toContain('Preise erhöhen');
    expect(page.text).toContain('erster Kommentar dieser Adresse');
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');

    const acted = await deskPost(
      '/desk',
      { csrf: csrfIn(page.text), do: `approve:comment:${first}` },
      session,
    );
    expect(acted.status).toBe(303);
    expect(acted.headers.location).toBe('/desk?done=1');
    expect(await visibleTexts()).toEqual(['Erster gehaltener Kommentar']);
    const after = await deskGet('/desk?done=1', session);
    expect(after.text).toContain('1 Eintrag erledigt.');
    expect(after.text).toContain('<title>(2) Eingang');
  });

  it('acts on several selected items at once, each with the action that fits its kind', async () => {
    const page = await deskGet('/desk', session);
    const selected = [...page.text.matchAll(/name="sel" value="([^"]+)"/g)].map((match) => match[1]!);
    expect(selected).toHaveLength(2);
    const spam = await deskPost(
      '/desk',
      { csrf: csrfIn(page.text), do: 'spam:selected', sel: selected },
      session,
    );
    expect(spam.headers.location).toBe('/desk?done=2');
    expect((await deskGet('/desk', session)).text).toContain('Nichts wartet');
    expect(await visibleTexts()).toEqual(['Erster gehaltener Kommentar']);
  });

  it('says so when nothing was selected, and ignores targets that are not ids', async () => {
    const csrf = csrfIn((await deskGet('/desk', session)).text);
    const none = await deskPost(
      '/desk',
      { csrf, do: 'approve:selected', sel: ['comment:../x', 'user:1'] },
      session,
    );
    expect(none.headers.location).toBe('/desk?problem=none');
    expect((await deskGet('/desk?problem=none', session)).text).toContain('Nichts ausgewählt.');
  });
});
