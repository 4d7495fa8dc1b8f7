/**
 * One-click moderation links through the real handler on DynamoDB Local: GET shows and changes
 * nothing, POST acts once, and every kind of bad link gets a 403 page.
 */

import fc from 'fast-check';
import { issueToken, type LinkKind } from '../../functions/core/tokens';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as moderation } from '../../functions/handlers/moderation';
import { linkKey } from '../../functions/runtime/keys';
import { listAllCompliments } from '../../functions/store/compliments';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';
import { validWish, wishApi } from '../support/wishes';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'all' });
});

const PAGE = '/posts/links';

async function postComment(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: PAGE, ...overrides }),
  });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.comment.id;
}

async function token(action: string, target: string, kind: LinkKind = 'comment', now = new Date()) {
  return issueToken({ kind, action, target }, await linkKey('author'), now);
}

const open = (t: string, headers: Record<string, string> = {}) =>
  call(moderation, {
    method: 'GET',
    path: '/moderate',
    rawQueryString: `t=${encodeURIComponent(t)}`,
    headers,
  });
const confirm = (t: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  call(moderation, {
    method: 'POST',
    path: '/moderate',
    body: new URLSearchParams({ t, ...extra }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

const visibleIds = async (page = PAGE) => {
  const response = await call(comments, {
    method: 'GET',
    path: '/comments',
    rawQueryString: `page=${encodeURIComponent(page)}`,
  });
  return (response.body.comments as { id: string }[]).map((comment) => comment.id);
};
const item = async (id: string) => (await stack.dump()).find((entry) => entry.pk === `COMMENT#${id}`)!;

describe('a moderation link', () => {
  it('shows a confirmation page on GET and changes nothing, however often it is opened', async () => {
    const id = await postComment({ name: 'Anna <b>Leserin</b>', text: 'Toll & <script>alert(1)</script>' });
    const t = await token('approve', id);
    for (let i = 0; i < 3; i++) {
      const page = await open(t);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(page.text).toContain('Kommentar freigeben?');
      expect(page.text).toContain('Anna &lt;b&gt;Leserin&lt;/b&gt;');
      expect(page.text).toContain('Toll &amp; &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text).toContain(PAGE);
      expect(page.text).not.toMatch(/<script/i);
      expect(page.text).toMatch(/<form method="post" action="moderate">/);
      expect(page.text).toContain(`name="t" value="${t}"`);
    }
    expect(await visibleIds()).not.toContain(id);
    expect((await item(id)).status).toBe('pending');
  });

  it('acts on POST, once: the second POST says "already done"', async () => {
    const id = await postComment();
    const t = await token('approve', id);
    const first = await confirm(t);
    expect(first.status).toBe(200);
    expect(first.text).toContain('Erledigt');
    expect(await visibleIds()).toContain(id);
    const second = await confirm(t);
    expect(second.status).toBe(200);
    expect(second.text).toContain('Schon erledigt');
    expect((await open(t)).text).toContain('Schon erledigt');
  });

  it('speaks English when the browser asks for it', async () => {
    const id = await postComment();
    const page = await open(await token('spam', id), { 'accept-language': 'en-US,en;q=0.8' });
    expect(page.text).toContain('Mark as spam?');
    expect(page.headers['content-language']).toBe('en');
  });

  it('refuses a forged, malformed or expired token with 403 and changes nothing', async () => {
    const id = await postComment();
    const t = await token('approve', id);
    const [kind, action, target, expiry, mac] = t.split('.');
    const flipped = `${mac!.slice(0, 10)}${mac![10] === 'A' ? 'B' : 'A'}${mac!.slice(11)}`;
    const expired = await token('approve', id, 'comment', new Date(Date.now() - 8 * 24 * 3600 * 1000));
    const cases: [string, RegExp][] = [
      [[kind, action, target, expiry, flipped].join('.'), /beschädigt oder wurde verändert/],
      [t.slice(0, 40), /unvollständig/],
      ['', /unvollständig/],
      [expired, /abgelaufen/],
    ];
    for (const [bad, message] of cases) {
      for (const response of [await open(bad), await confirm(bad)]) {
        expect(response.status).toBe(403);
        expect(response.text).toContain('Dieser Link gilt nicht');
        expect(response.text).toMatch(message);
      }
    }
    expect((await item(id)).status).toBe('pending');
  });

  it('still works on its sixth day (links last 7 days)', async () => {
    const id = await postComment();
    const sixDaysOld = await token('approve', id, 'comment', new Date(Date.now() - 6 * 24 * 3600 * 1000));
    expect((await open(sixDaysOld)).status).toBe(200);
    expect((await confirm(sixDaysOld)).status).toBe(200);
    expect((await item(id)).status).toBe('approved');
  });

  it('cannot be turned into another action or pointed at another comment', async () => {
    const mine = await postComment();
    const other = await postComment();
    const t = await token('approve', mine);
    const parts = t.split('.');
    const asDelete = [parts[0], 'delete', ...parts.slice(2)].join('.');
    const atOther = [parts[0], parts[1], other, ...parts.slice(3)].join('.');
    const asWish = ['wish', 'accept', ...parts.slice(2)].join('.');
    for (const bad of [asDelete, atOther, asWish]) {
      expect((await confirm(bad)).status).toBe(403);
    }
    expect((await item(mine)).status).toBe('pending');
    expect((await item(mine)).name).toBe('Anna Leserin');
    expect((await item(other)).status).toBe('pending');
  });

  it('is refused when reused after the comment moved on, instead of undoing the later decision', async () => {
    const id = await postComment();
    const approve = await token('approve', id);
    expect((await confirm(approve)).status).toBe(200);
    const spam = await token('spam', id);
    expect((await confirm(spam)).text).toContain('Erledigt');
    const replay = await confirm(approve);
    expect(replay.status).toBe(403);
    expect(replay.text).toContain('schon benutzt');
    expect((await item(id)).status).toBe('spam');
    expect(await visibleIds()).not.toContain(id);
  });

  it('is single-use even when two clicks race', async () => {
    const id = await postComment();
    const t = await token('approve', id);
    const answers = await Promise.all([confirm(t), confirm(t), confirm(t)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.filter((answer) => answer.text.includes('<h1>Erledigt</h1>'))).toHaveLength(1);
    const used = (await stack.dump()).filter((entry) => String(entry.pk).startsWith('TOKEN#'));
    expect(used.some((entry) => entry.target === id && entry.action === 'approve')).toBe(true);
    // Only a hash of the token is kept.
    expect(JSON.stringify(used)).not.toContain(t.split('.')[4]);
  });

  it('compliment approves and keeps the comment in her private collection, newest first', async () => {
    const older = await postComment({ text: 'Dein Beitrag hat mir den Tag gerettet.' });
    const newer = await postComment({ text: 'So klar erklärt, danke!' });
    await confirm(await token('compliment', older));
    await confirm(await token('compliment', newer));
    expect(await visibleIds()).toEqual(expect.arrayContaining([older, newer]));
    const collected = (await listAllCompliments()).entries.map((entry) => entry.id);
    expect(collected.indexOf(newer)).toBeLessThan(collected.indexOf(older));
    expect(collected.indexOf(older)).toBeGreaterThanOrEqual(0);
    // Private until she shows it publicly at her desk.
    const list = await call(comments, { method: 'GET', path: '/compliments' });
    expect(list.status).toBe(200);
    expect((list.body.comments as { id: string }[]).map((comment) => comment.id)).not.toContain(older);
    // Spam takes a compliment out of the collection.
    await confirm(await token('spam', newer));
    expect((await listAllCompliments()).entries.map((entry) => entry.id)).not.toContain(newer);
  });

  it('compliment on a comment visible already says it only collects it, and the result links on', async () => {
    const id = await postComment({ text: 'Schon sichtbar und trotzdem ein Lob.', pageTitle: 'Links-Test' });
    await confirm(await token('approve', id));
    const t = await token('compliment', id);
    const asked = await open(t);
    expect(asked.text).toContain('Der Kommentar ist schon sichtbar und bleibt es.');
    expect(asked.text).not.toContain('Der Kommentar wird sichtbar');
    const done = await confirm(t);
    expect(done.text).toContain(
      'Der Kommentar war schon sichtbar; jetzt ist er in deiner Kompliment-Sammlung.',
    );
    // The post's page is a link to the post on the blog, and the desk is one click away.
    expect(done.text).toContain(`<a href="https://blog.example${PAGE}">Links-Test (${PAGE})</a>`);
    expect(done.text).toContain(`<a href="https://blog.example${PAGE}">Zum Beitrag</a>`);
    expect(done.text).toMatch(new RegExp(`<a href="[^"]*/desk/comments/${id}">Zum Schreibtisch</a>`));

    const fresh = await postComment({ text: 'Noch verborgen, bald ein Lob.' });
    const freshLink = await token('compliment', fresh);
    expect((await open(freshLink)).text).toContain('Der Kommentar wird sichtbar');
    const english = await confirm(freshLink, {}, { 'accept-language': 'en' });
    expect(english.text).toContain('The comment is visible and in your collection of compliments.');
    expect(english.text).toContain('To the post');
  });

  it('delete keeps a placeholder without name or text when the comment has visible replies', async () => {
    const page = '/posts/thread';
    const parent = await postComment({ page, name: 'Bert', text: 'Erste Frage?' });
    await confirm(await token('approve', parent));
    const reply = await postComment({ page, parentId: parent, text: 'Antwort darauf.' });
    await confirm(await token('approve', reply));
    const lonely = await postComment({ page, text: 'Ohne Antwort.' });
    await confirm(await token('approve', lonely));

    await confirm(await token('delete', parent));
    await confirm(await token('delete', lonely));
    const list = await call(comments, { method: 'GET', path: '/comments', rawQueryString: `page=${page}` });
    const shown = list.body.comments as {
      id: string;
      name: string | null;
      text: string | null;
      placeholder?: boolean;
    }[];
    expect(shown.map((comment) => comment.id)).toEqual([parent, reply]);
    expect(shown[0]).toMatchObject({ name: null, text: null, placeholder: true });
    const stored = await item(parent);
    expect(stored.name).toBeUndefined();
    expect(stored.emailEnc).toBeUndefined();

    // A deleted comment cannot be brought back by an approve link (a fresh one, not the used one).
    const revive = await confirm(await token('approve', lonely, 'comment', new Date(Date.now() + 5000)));
    expect(revive.status).toBe(409);
    expect(revive.text).toContain('gelöscht');
    expect(await visibleIds(page)).not.toContain(lonely);
  });

  it('answers 404 for a comment that does not exist', async () => {
    const response = await open(await token('approve', '01JD0000000000000000000000'));
    expect(response.status).toBe(404);
    expect(response.text).toContain('gibt es nicht mehr');
  });

  it('wants a form body on POST', async () => {
    const id = await postComment();
    const response = await call(moderation, {
      method: 'POST',
      path: '/moderate',
      json: { t: await token('approve', id) },
    });
    expect(response.status).toBe(415);
    expect((await item(id)).status).toBe('pending');
  });
});

describe('a wish link', () => {
  const wishItem = async (id: string) => (await stack.dump()).find((entry) => entry.pk === `WISH#${id}`)!;
  async function postWish(): Promise<string> {
    const response = await wishApi.post(validWish({ topic: 'Preise <erhöhen> ohne Angst' }));
    expect(response.status).toBe(201);
    return response.body.wish.id;
  }

  it('accepts a wish after the confirmation, and not before', async () => {
    const id = await postWish();
    const t = await token('accept', id, 'wish');
    const page = await open(t);
    expect(page.text).toContain('Themenwunsch annehmen?');
    expect(page.text).toContain('Preise &lt;erhöhen&gt; ohne Angst');
    expect((await wishItem(id)).status).toBe('new');
    expect((await confirm(t)).text).toContain('Erledigt');
    expect((await wishItem(id)).status).toBe('accepted');
    // A step that does not fit the status any more is explained, not done.
    const decline = await confirm(await token('plan', id, 'wish'));
    expect(decline.status).toBe(200);
    const late = await confirm(await token('decline', id, 'wish'));
    expect(late.status).toBe(409);
    expect((await wishItem(id)).status).toBe('planned');
  });

  it('"written" asks for the article and checks it belongs to the blog', async () => {
    const id = await postWish();
    const t = await token('written', id, 'wish');
    const page = await open(t);
    expect(page.text).toMatch(/<input type="url" name="articleUrl" required/);
    expect(page.text).toMatch(/<input type="date" name="writtenAt"/);

    const missing = await confirm(t);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Adresse des Artikels');
    const foreign = await confirm(t, { articleUrl: 'https://evil.example/"><script>x</script>' });
    expect(foreign.status).toBe(400);
    expect(foreign.text).not.toContain('<script>x');
    expect(foreign.text).toContain('value="https://evil.example/&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect((await wishItem(id)).status).toBe('new');

    const done = await confirm(t, {
      articleUrl: 'https://blog.example/2026/11/preise',
      writtenAt: '2026-11-20',
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Erledigt');
    expect(await wishItem(id)).toMatchObject({
      status: 'written',
      articleUrl: 'https://blog.example/2026/11/preise',
      writtenAt: '2026-11-20T00:00:00.000Z',
    });
    expect((await confirm(t, { articleUrl: 'https://blog.example/other' })).text).toContain('Schon erledigt');
  });

  it('"written" refuses a day that is not on the calendar (2026-02-31) instead of storing another day', async () => {
    const id = await postWish();
    const t = await token('written', id, 'wish');
    // A month and a day past its end (28 to 31 days, leap years included; 32 for the longest), with or without a time.
    const impossibleDay = fc
      .record({ year: fc.integer({ min: 1970, max: 2100 }), month: fc.integer({ min: 1, max: 12 }) })
      .chain(({ year, month }) => {
        const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
        return fc
          .record({
            day: fc.integer({ min: daysInMonth + 1, max: 32 }),
            time: fc.constantFrom('', 'T10:00', ' 08:30:00Z', 'T23:59:59+02:00'),
          })
          .map(
            ({ day, time }) =>
              `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}${time}`,
          );
      });
    await fc.assert(
      fc.asyncProperty(impossibleDay, async (writtenAt) => {
        const refused = await confirm(t, { articleUrl: 'https://blog.example/2026/11/preise', writtenAt });
        expect({ writtenAt, status: refused.status }).toEqual({ writtenAt, status: 400 });
        expect(refused.text).toContain('Bitte ein Datum wie 2026-11-27 angeben.');
        expect((await wishItem(id)).status).toBe('new');
      }),
      { numRuns: 30 },
    );
    // The last day of February in a leap year is on the calendar.
    const done = await confirm(t, {
      articleUrl: 'https://blog.example/2028/02/schalttag',
      writtenAt: '2028-02-29',
    });
    expect(done.status).toBe(200);
    expect(await wishItem(id)).toMatchObject({ status: 'written', writtenAt: '2028-02-29T00:00:00.000Z' });
  });

  it('a comment token cannot act on a wish with the same id', async () => {
    const id = await postWish();
    const t = await token('spam', id, 'comment');
    const response = await confirm(t);
    expect(response.status).toBe(404);
    expect((await wishItem(id)).status).toBe('new');
  });
});
