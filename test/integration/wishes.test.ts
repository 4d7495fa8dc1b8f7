import { applyWishAction } from '../../functions/usecases/wishes';
import { createTestStack, type TestStack } from '../support/stack';
import { acceptedWish, newVoterId, publicResponses, validWish, wishApi } from '../support/wishes';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});

const wishItem = async (id: string) =>
  (await stack.dump()).find((item) => item.pk === `WISH#${id}` && item.sk === 'WISH')!;
const onBoard = async (id: string) =>
  ((await wishApi.list('sort=newest&limit=100')).body.wishes as { id: string }[]).some((w) => w.id === id);

describe('submitting a wish', () => {
  it('stores it privately and answers with its public view', async () => {
    const input = validWish();
    const response = await wishApi.post(input);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      visible: false,
      wish: {
        id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        topic: input.topic,
        details: input.details,
        publicName: 'Coach Miriam',
        website: null,
        status: 'new',
        votes: 0,
        articleUrl: null,
        writtenAt: null,
        createdAt: expect.any(String),
      },
    });
    const item = await wishItem(response.body.wish.id);
    expect(item).toMatchObject({ status: 'new', requesterName: 'Coach Miriam', notifyWhenWritten: true });
    expect(item.emailEnc).toEqual(expect.any(String));
    expect(JSON.stringify(item)).not.toContain(input.email);
    expect(await onBoard(response.body.wish.id)).toBe(false);
  });

  it('keeps the name private unless the reader chose to show it', async () => {
    const response = await wishApi.post(validWish({ displayName: 'Nur Für Die Autorin', showName: false }));
    expect(response.status).toBe(201);
    expect(response.body.wish.publicName).toBeNull();
    const item = await wishItem(response.body.wish.id);
    expect(item.requesterName).toBe('Nur Für Die Autorin');
    expect(item.publicName).toBeUndefined();
  });

  it('needs only topic, email and consent; no mail unless ticked', async () => {
    const response = await wishApi.post({
      topic: 'Preise erhöhen ohne Angst',
      email: 'a@example.org',
      consent: true,
    });
    expect(response.status).toBe(201);
    expect(response.body.wish).toMatchObject({ details: null, publicName: null });
    expect((await wishItem(response.body.wish.id)).notifyWhenWritten).toBe(false);
  });

  it('names every invalid field and stores nothing', async () => {
    const before = (await stack.dump()).length;
    const response = await wishApi.post({
      topic: 'Kurz',
      details: 'x'.repeat(2001),
      displayName: 'Name\u202Eevil',
      showName: 'yes',
      email: 'no-at-sign',
      notifyWhenWritten: 1,
      consent: false,
      surprise: true,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_input');
    const fields = Object.fromEntries(
      response.body.error.fields.map((f: { field: string; code: string }) => [f.field, f.code]),
    );
    expect(fields).toEqual({
      topic: 'too_short',
      details: 'too_long',
      displayName: 'invalid_characters',
      showName: 'wrong_type',
      email: 'invalid_email',
      notifyWhenWritten: 'wrong_type',
      consent: 'consent_required',
      surprise: 'unknown_field',
    });
    for (const field of response.body.error.fields) expect(field.message).toMatch(/\S/);
    expect((await stack.dump()).length).toBe(before);
  });

  it('asks for the required fields by name', async () => {
    const response = await wishApi.post({ topic: '   ' }, { 'accept-language': 'en' });
    expect(response.status).toBe(400);
    const fields = Object.fromEntries(
      response.body.error.fields.map((f: { field: string; code: string }) => [f.field, f.code]),
    );
    expect(fields).toEqual({ topic: 'required', email: 'required', consent: 'required' });
    expect(response.body.error.fields[0].message).toBe('Please fill this in.');
  });

  it('refuses a topic that is too long', async () => {
    const response = await wishApi.post(validWish({ topic: 't'.repeat(201) }));
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([
      expect.objectContaining({ field: 'topic', code: 'too_long' }),
    ]);
  });
});

describe('the author moves a wish', () => {
  it('puts an accepted wish on the board and takes a declined one off', async () => {
    const { body } = await wishApi.post(validWish());
    const accepted = await applyWishAction(body.wish.id, 'accept', {}, new Date());
    expect(accepted).toMatchObject({ outcome: 'done', wish: { status: 'accepted' } });
    expect(await onBoard(body.wish.id)).toBe(true);
    const again = await applyWishAction(body.wish.id, 'accept', {}, new Date());
    expect(again.outcome).toBe('already');
    const declined = await applyWishAction(body.wish.id, 'decline', {}, new Date());
    expect(declined).toMatchObject({ outcome: 'done', wish: { status: 'declined' } });
    expect(await onBoard(body.wish.id)).toBe(false);
    expect((await wishItem(body.wish.id)).modPk).toBe('MOD#wish#declined');
  });

  it('keeps a declined or spam wish off the board', async () => {
    const declined = (await wishApi.post(validWish())).body.wish.id;
    const spam = (await wishApi.post(validWish())).body.wish.id;
    expect((await applyWishAction(declined, 'decline', {}, new Date())).outcome).toBe('done');
    expect((await applyWishAction(spam, 'spam', {}, new Date())).outcome).toBe('done');
    expect(await onBoard(declined)).toBe(false);
    expect(await onBoard(spam)).toBe(false);
    expect((await wishApi.vote(declined, newVoterId())).status).toBe(404);
  });

  it('refuses steps that do not fit and unknown wishes', async () => {
    const id = await acceptedWish();
    expect(await applyWishAction(id, 'plan', {}, new Date())).toMatchObject({
      outcome: 'done',
      wish: { status: 'planned', plannedAt: expect.any(String) },
    });
    expect(await applyWishAction(id, 'decline', {}, new Date())).toMatchObject({
      outcome: 'invalid',
      reason: 'action_not_allowed',
    });
    expect((await applyWishAction(id, 'accept', {}, new Date())).outcome).toBe('already');
    expect((await applyWishAction('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'accept', {}, new Date())).outcome).toBe(
      'not_found',
    );
  });

  it('marks written only with an article on the blog, and only once', async () => {
    const id = await acceptedWish({ topic: 'Die schwierigste Kundin' });
    const check = (options: { articleUrl?: string; writtenAt?: string }) =>
      applyWishAction(id, 'written', options, new Date());
    expect(await check({})).toMatchObject({ outcome: 'invalid', reason: 'article_url_required' });
    expect(await check({ articleUrl: 'javascript:alert(1)' })).toMatchObject({ reason: 'invalid_url' });
    expect(await check({ articleUrl: 'https://phishing.example/post' })).toMatchObject({
      reason: 'origin_not_allowed',
    });
    expect(await check({ articleUrl: 'https://blog.example/x', writtenAt: 'gestern' })).toMatchObject({
      reason: 'invalid_date',
    });
    expect((await wishItem(id)).status).toBe('accepted');

    // Two clicks at once: exactly one changes the wish, so the stream carries one transition.
    const url = 'https://blog.example/2026/11/tag-27-kundinnen/?utm_source=mail';
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => check({ articleUrl: url, writtenAt: '2026-11-27' })),
    );
    expect(results.filter((r) => r.outcome === 'done')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already')).toHaveLength(4);
    const item = await wishItem(id);
    expect(item).toMatchObject({
      status: 'written',
      articleUrl: url,
      articlePage: '/2026/11/tag-27-kundinnen',
      writtenAt: '2026-11-27T00:00:00.000Z',
      pub2pk: 'ARTICLE#/2026/11/tag-27-kundinnen',
    });
    const later = await check({ articleUrl: 'https://blog.example/other' });
    expect(later.outcome).toBe('already');
    expect((await wishItem(id)).articleUrl).toBe(url);
    expect((await applyWishAction(id, 'plan', {}, new Date())).outcome).toBe('already');
  });
});

describe('crediting the wish an article fulfilled', () => {
  it('finds the written wish by its page, however the URL is spelled', async () => {
    const id = await acceptedWish({ topic: 'Wie du Preise erhöhst', displayName: 'Coach Jana' });
    await wishApi.vote(id, newVoterId());
    await wishApi.vote(id, newVoterId());
    expect((await wishApi.credit('/2026/12/preise')).body).toEqual({ wish: null });
    await applyWishAction(id, 'written', { articleUrl: 'https://blog.example/2026/12/preise/' }, new Date());
    for (const page of ['/2026/12/preise', 'https://Blog.Example/2026/12/preise/?ref=x#top']) {
      const response = await wishApi.credit(page);
      expect(response.status).toBe(200);
      expect(response.body.wish).toMatchObject({
        id,
        topic: 'Wie du Preise erhöhst',
        publicName: 'Coach Jana',
        votes: 2,
        status: 'written',
        articleUrl: 'https://blog.example/2026/12/preise/',
      });
    }
    expect((await wishApi.credit('/2026/12/anderes')).body.wish).toBeNull();
  });

  it('needs a page', async () => {
    const response = await wishApi.credit('');
    expect(response.status).toBe(400);
    expect(response.body.error.fields[0]).toMatchObject({ field: 'page', code: 'required' });
  });

  it('shows the written wish on the board with its article', async () => {
    const id = await acceptedWish();
    await applyWishAction(id, 'written', { articleUrl: 'https://blog.example/fertig' }, new Date());
    const board = (await wishApi.list('sort=newest&limit=100')).body.wishes;
    expect(board.find((w: { id: string }) => w.id === id)).toMatchObject({
      status: 'written',
      articleUrl: 'https://blog.example/fertig',
      writtenAt: expect.any(String),
    });
  });
});

describe('privacy', () => {
  it('never shows an email, its hash or a private name in any public response', async () => {
    const hidden = validWish({ displayName: 'Geheime Leserin', showName: false });
    const id = (await wishApi.post(hidden)).body.wish.id;
    await applyWishAction(id, 'accept', {}, new Date());
    const voterId = newVoterId();
    await wishApi.vote(id, voterId);
    await applyWishAction(id, 'written', { articleUrl: 'https://blog.example/geheim' }, new Date());
    await wishApi.credit('/geheim');
    await wishApi.list('sort=votes&limit=100');
    await wishApi.list('sort=newest&limit=100');

    const items = await stack.dump();
    const secrets = new Set<string>([hidden.email, 'Geheime Leserin', voterId]);
    for (const item of items) {
      for (const name of ['emailEnc', 'emailHash', 'ipHash', 'voterHash', 'requesterName'] as const) {
        if (typeof item[name] === 'string' && !(name === 'requesterName' && item.publicName)) {
          secrets.add(item[name] as string);
        }
      }
      if (typeof item.email === 'string') secrets.add(item.email);
    }
    expect(secrets.size).toBeGreaterThan(5);
    expect(publicResponses.length).toBeGreaterThan(20);
    for (const text of publicResponses) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/@example\.org/);
    }
  });
});
