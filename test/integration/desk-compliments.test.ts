/**
 * Her compliment collection at the desk: starred comments and compliments entered by hand, newest
 * first, searchable, private unless she shows an entry publicly; only public entries reach
 * `GET /compliments`. Real desk, moderation and comments handlers on DynamoDB Local.
 */
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { newId } from '../../functions/core/ids';
import { LIMITS } from '../../functions/core/limits';
import { issueToken } from '../../functions/core/tokens';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as moderation } from '../../functions/handlers/moderation';
import { linkKey } from '../../functions/runtime/keys';
import { listAllCompliments, saveHandCompliment } from '../../functions/store/compliments';
import { logInWithLink } from '../../functions/usecases/desk';
import { csrfIn, DESK_URL, deskGet, deskPost } from '../support/desk';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';

const PAGE = '/posts/komplimente';
let stack: TestStack;
let session: string;
let csrf: string;

beforeAll(async () => {
  stack = await createTestStack({ DESK_URL, MODERATION: 'all', ALLOWED_ORIGINS: 'https://blog.example' });
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  session = login.sessionId;
  csrf = csrfIn((await deskGet('/desk/compliments', session)).text);
});

async function postComment(text: string): Promise<string> {
  const response = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: PAGE, text, pageTitle: 'Komplimente sammeln' }),
  });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.comment.id;
}

async function linkAction(action: string, id: string) {
  const t = issueToken({ kind: 'comment', action, target: id }, await linkKey('author'), new Date());
  const opened = await call(moderation, {
    method: 'GET',
    path: '/moderate',
    rawQueryString: `t=${encodeURIComponent(t)}`,
  });
  const done = await call(moderation, {
    method: 'POST',
    path: '/moderate',
    body: new URLSearchParams({ t }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { opened, done };
}

type Public = { id: string; page: string | null; name: string | null; text: string; byHand?: boolean };
async function publicCompliments(query = ''): Promise<{ comments: Public[]; cursor: string | null }> {
  const response = await call(comments, { method: 'GET', path: '/compliments', rawQueryString: query });
  expect(response.status).toBe(200);
  return response.body;
}
const publicIds = async () => (await publicCompliments('limit=100')).comments.map((entry) => entry.id);

/** The compliment texts of a collection page, in the order shown. */
const textsOf = (html: string) =>
  [...html.matchAll(/<blockquote class="text">([^<]*)<\/blockquote>/g)].map((m) => m[1]);

const act = (id: string, form: Record<string, string>) =>
  deskPost(`/desk/compliments/${id}`, { csrf, ...form }, session);

async function addByHand(form: Record<string, string>) {
  return deskPost('/desk/compliments', { csrf, ...form }, session);
}

async function handIdOf(text: string): Promise<string> {
  const { entries } = await listAllCompliments();
  const entry = entries.find((candidate) => candidate.kind === 'hand' && candidate.text === text);
  if (!entry) throw new Error(`no hand entry ${text}`);
  return entry.id;
}

describe('a starred comment', () => {
  it('is in her collection but not public until she shows it, and leaves the public list again', async () => {
    const id = await postComment('Dein Text hat mir Mut gemacht.');
    const { done } = await linkAction('compliment', id);
    expect(done.text).toContain('in deiner Kompliment-Sammlung');

    const desk = await deskGet('/desk/compliments', session);
    expect(desk.status).toBe(200);
    expect(textsOf(desk.text)).toContain('Dein Text hat mir Mut gemacht.');
    expect(desk.text).toContain('Privat');
    expect(await publicIds()).not.toContain(id);

    const shown = await act(id, { kind: 'comment', do: 'public' });
    expect(shown.status).toBe(303);
    expect(shown.headers.location).toBe('/desk/compliments?done=public');
    const listed = (await publicCompliments()).comments.find((entry) => entry.id === id);
    // The public shape of a comment, as before: its page, name and text, nothing private.
    expect(listed).toMatchObject({
      id,
      page: PAGE,
      text: 'Dein Text hat mir Mut gemacht.',
      status: 'approved',
    });
    expect(JSON.stringify(listed)).not.toMatch(/@|emailHash|source/);

    await act(id, { kind: 'comment', do: 'private' });
    expect(await publicIds()).not.toContain(id);
    expect(textsOf((await deskGet('/desk/compliments', session)).text)).toContain(
      'Dein Text hat mir Mut gemacht.',
    );

    // Spam takes it out of the collection and the public list.
    await act(id, { kind: 'comment', do: 'public' });
    await linkAction('spam', id);
    expect(await publicIds()).not.toContain(id);
    expect(textsOf((await deskGet('/desk/compliments', session)).text)).not.toContain(
      'Dein Text hat mir Mut gemacht.',
    );
  });

  it('is starred and unstarred from the comment at the desk; a held comment cannot be starred', async () => {
    const id = await postComment('Genau das habe ich gebraucht.');
    await linkAction('approve', id);
    const opened = await deskGet(`/desk/comments/${id}`, session);
    expect(opened.text).toContain('Als Kompliment merken');

    const starred = await act(id, { kind: 'comment', do: 'star', back: 'comment' });
    expect(starred.headers.location).toBe(`/desk/comments/${id}?compliment=star`);
    const after = await deskGet(starred.headers.location!, session);
    expect(after.text).toContain('Der Kommentar ist in deiner Sammlung (privat).');
    expect(after.text).toContain('Stern entfernen');
    expect(textsOf((await deskGet('/desk/compliments', session)).text)).toContain(
      'Genau das habe ich gebraucht.',
    );
    expect(await publicIds()).not.toContain(id);

    await act(id, { kind: 'comment', do: 'public' });
    expect(await publicIds()).toContain(id);
    await act(id, { kind: 'comment', do: 'unstar', back: 'comment' });
    expect(await publicIds()).not.toContain(id);
    expect(textsOf((await deskGet('/desk/compliments', session)).text)).not.toContain(
      'Genau das habe ich gebraucht.',
    );

    const held = await postComment('Noch nicht freigegeben.');
    const refused = await act(held, { kind: 'comment', do: 'star', back: 'comment' });
    expect(refused.headers.location).toBe(`/desk/comments/${held}?compliment=not_approved`);
    expect((await deskGet(refused.headers.location!, session)).text).not.toContain('Stern entfernen');
  });
});

describe('a compliment entered by hand', () => {
  it('is added, shown only at the desk, edited, made public with its name (not its source), and deleted', async () => {
    const added = await addByHand({
      text: 'Deine Workshops sind die besten.',
      from: 'Coach Bettina',
      source: 'per Mail',
      date: '2026-03-14',
    });
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe('/desk/compliments?done=added');
    const page = await deskGet('/desk/compliments?done=added', session);
    expect(page.text).toContain('Eingetragen.');
    expect(textsOf(page.text)).toContain('Deine Workshops sind die besten.');
    expect(page.text).toContain('Coach Bettina');
    expect(page.text).toContain('per Mail');
    const id = await handIdOf('Deine Workshops sind die besten.');
    expect(await publicIds()).not.toContain(id);

    const editPage = await deskGet(`/desk/compliments/${id}`, session);
    expect(editPage.status).toBe(200);
    expect(editPage.text).toContain('value="2026-03-14"');
    const edited = await act(id, {
      kind: 'hand',
      do: 'edit',
      text: 'Deine Workshops sind die allerbesten.',
      from: 'Bettina',
      source: 'https://linkedin.example/post/1',
      date: '2026-03-14',
    });
    expect(edited.headers.location).toBe('/desk/compliments?done=saved');
    const reread = await deskGet('/desk/compliments', session);
    expect(textsOf(reread.text)).toContain('Deine Workshops sind die allerbesten.');
    expect(reread.text).toContain('href="https://linkedin.example/post/1"');

    await act(id, { kind: 'hand', do: 'public' });
    const listed = (await publicCompliments('limit=100')).comments.find((entry) => entry.id === id);
    expect(listed).toMatchObject({
      id,
      page: null,
      name: 'Bettina',
      text: 'Deine Workshops sind die allerbesten.',
      byHand: true,
      createdAt: '2026-03-14T12:00:00.000Z',
    });
    expect(JSON.stringify(listed)).not.toContain('linkedin');

    const deleted = await act(id, { kind: 'hand', do: 'delete' });
    expect(deleted.headers.location).toBe('/desk/compliments?done=delete');
    expect(await publicIds()).not.toContain(id);
    expect((await deskGet(`/desk/compliments/${id}`, session)).status).toBe(404);
    expect((await stack.dump()).some((item) => item.pk === `COMPLIMENT#${id}`)).toBe(false);
  });

  it('marked public when added, it is listed publicly at once', async () => {
    await addByHand({ text: 'Ein öffentliches Lob.', from: 'Jana', public: '1' });
    const id = await handIdOf('Ein öffentliches Lob.');
    expect(await publicIds()).toContain(id);
    await act(id, { kind: 'hand', do: 'private' });
    expect(await publicIds()).not.toContain(id);
  });

  it('refuses bad input with 400 naming the field, keeps what she typed, and stores nothing', async () => {
    const before = JSON.stringify(await stack.dump());
    const cases: [Record<string, string>, string][] = [
      [{ text: '   ', from: 'Anna' }, 'Text: Bitte ausfüllen.'],
      [{ text: 'Gut!', from: 'A'.repeat(LIMITS.compliments.fromMaxChars + 1) }, 'Von wem: Das ist zu lang.'],
      [{ text: 'Gut!', from: 'Anna\r\nBcc: x' }, 'Von wem:'],
      [
        { text: 'Gut!', source: 'x'.repeat(LIMITS.compliments.sourceMaxChars + 1) },
        'Woher: Das ist zu lang.',
      ],
      [{ text: 'Gut!', date: '2026-02-30' }, 'Wann: Bitte ein Datum wie'],
      [{ text: 'Gut!', date: '3026-01-01' }, 'Wann: Dieses Datum liegt in der Zukunft.'],
      [{ text: `Gut!\u0000` }, 'Text: Enthält unzulässige'],
    ];
    for (const [form, message] of cases) {
      const answer = await addByHand(form);
      expect([form, answer.status]).toEqual([form, 400]);
      expect(answer.text).toContain(message);
      expect(answer.text).toContain('aria-invalid="true"');
      if (form.from === 'Anna') expect(answer.text).toContain('value="Anna"');
    }
    const editBad = await act(newId(), { kind: 'hand', do: 'edit', text: 'x' });
    expect(editBad.status).toBe(404);
    expect(JSON.stringify(await stack.dump())).toBe(before);
  });
});

describe('the collection', () => {
  it('is newest first, a page at a time, and searchable by word across pages', async () => {
    const base = Date.parse('2025-01-01T12:00:00.000Z');
    const { pageSize } = LIMITS.compliments;
    const total = pageSize + 5;
    for (let i = 0; i < total; i++) {
      const at = new Date(base + i * 86_400_000).toISOString();
      await saveHandCompliment(
        {
          id: newId(base + i * 1000),
          text: `Seite ${i}: ${i % 4 === 0 ? 'Ein Schönes Lob' : 'Danke'}`,
          name: 'Leserin',
          source: '',
          complimentedAt: at,
          createdAt: at,
          public: false,
        },
        false,
      );
    }
    const first = await deskGet('/desk/compliments', session);
    const firstTexts = textsOf(first.text);
    expect(firstTexts).toHaveLength(pageSize);
    const next = /<a href="([^"]+)" rel="next">/.exec(first.text)![1]!.replace(/&amp;/g, '&');
    const second = await deskGet(next, session);
    const all = [...firstTexts, ...textsOf(second.text)].filter((text) => text?.startsWith('Seite '));
    expect(all).toEqual(
      Array.from(
        { length: total },
        (_, i) => `Seite ${total - 1 - i}: ${(total - 1 - i) % 4 === 0 ? 'Ein Schönes Lob' : 'Danke'}`,
      ),
    );

    // Case and accents do not matter; every word must occur.
    const found = await deskGet(`/desk/compliments?q=${encodeURIComponent('schones LOB')}`, session);
    const matches = textsOf(found.text);
    expect(matches).toEqual(
      Array.from({ length: total }, (_, i) => total - 1 - i)
        .filter((i) => i % 4 === 0)
        .map((i) => `Seite ${i}: Ein Schönes Lob`),
    );
    expect(found.text).toContain('Einträge mit „schones LOB“');
    // A search with more matches than a page continues right after the last one shown.
    const wide = await deskGet('/desk/compliments?q=seite', session);
    expect(wide.text).toContain('Weiter suchen');
    const further = /<a href="([^"]+)" rel="next">/.exec(wide.text)![1]!.replace(/&amp;/g, '&');
    const both = [...textsOf(wide.text), ...textsOf((await deskGet(further, session)).text)];
    expect(both).toEqual(all);
    const none = await deskGet('/desk/compliments?q=Wolkenkratzer', session);
    expect(none.text).toContain('Kein Eintrag passt zu dieser Suche.');
  });

  it('refuses a foreign cursor or an overlong search with 400 naming the field', async () => {
    for (const after of ['x', `c2026-01-01T00:00:00.000Z#${'A'.repeat(26)}!`, 'h2026-13-01#abc']) {
      const answer = await deskGet(`/desk/compliments?after=${encodeURIComponent(after)}`, session);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('Weiter: Dieser Blätter-Verweis ist ungültig.');
    }
    const long = await deskGet(
      `/desk/compliments?q=${'a'.repeat(LIMITS.compliments.searchMaxChars + 1)}`,
      session,
    );
    expect(long.status).toBe(400);
    expect(long.text).toContain('Suche: Das ist zu lang.');
  });

  it('is in English too', async () => {
    const page = await deskGet('/desk/compliments?lang=en', session);
    expect(page.text).toContain('<h1>Compliments</h1>');
    expect(page.text).toContain('Enter a compliment by hand');
  });
});

describe('the compliment routes', () => {
  it('refuse a POST without the form token or from a foreign Origin, storing nothing', async () => {
    const id = await postComment('Schutz vor fremden Formularen.');
    await linkAction('approve', id);
    const before = JSON.stringify(await stack.dump());
    const posts: [string, Record<string, string>][] = [
      ['/desk/compliments', { text: 'Von fremder Seite' }],
      [`/desk/compliments/${id}`, { kind: 'comment', do: 'star' }],
    ];
    for (const [path, form] of posts) {
      expect((await deskPost(path, form, session)).status).toBe(403);
      expect((await deskPost(path, { ...form, csrf: 'falsch' }, session)).status).toBe(403);
      const foreign = await deskPost(path, { ...form, csrf }, session, { origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
    }
    expect(JSON.stringify(await stack.dump())).toBe(before);
  });
});
