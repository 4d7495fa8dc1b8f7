import { handler } from '../../functions/handlers/comments';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'none' });
});

const post = (json: unknown, headers: Record<string, string> = {}) =>
  call(handler, { method: 'POST', path: '/comments', json, headers });
const list = (query: string) => call(handler, { method: 'GET', path: '/comments', rawQueryString: query });

describe('posting a comment', () => {
  it('stores it and returns its public view', async () => {
    const response = await post(validComment({ page: '/posts/one', website: 'https://anna.example' }));
    expect(response.status).toBe(201);
    expect(response.body.visible).toBe(true);
    expect(response.body.comment).toMatchObject({
      page: '/posts/one',
      name: 'Anna Leserin',
      website: 'https://anna.example',
      text: 'Ein wunderbarer Beitrag, danke!',
      parentId: null,
      status: 'approved',
    });
    expect(response.body.comment.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(JSON.stringify(response.body)).not.toContain('@example.org');
  });

  it('completes a website typed without https://', async () => {
    const response = await post(validComment({ page: '/posts/www', website: 'www.kim-design.de' }));
    expect(response.body.comment.website).toBe('https://www.kim-design.de');
    const bare = await post(validComment({ page: '/posts/www', website: 'kim-design.de/blog' }));
    expect(bare.body.comment.website).toBe('https://kim-design.de/blog');
    expect((await post(validComment({ page: '/posts/www', website: 'javascript:alert(1)' }))).status).toBe(
      400,
    );
  });

  it('treats every spelling of a URL as the same page', async () => {
    await post(validComment({ page: 'https://Blog.Example/posts/same/?utm_source=x#comments' }));
    await post(validComment({ page: '/posts/same' }));
    await post(validComment({ page: 'https://blog.example//posts/same//' }));
    const response = await list('page=%2Fposts%2Fsame%2F');
    expect(response.body.page).toBe('/posts/same');
    expect(response.body.comments).toHaveLength(3);
  });

  it('names every invalid field and stores nothing', async () => {
    const before = (await stack.dump()).length;
    const response = await post({
      page: '',
      name: 'x'.repeat(500),
      email: 'no-at-sign',
      text: 'y',
      consent: false,
      website: 'javascript:alert(1)',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_input');
    const fields = Object.fromEntries(
      response.body.error.fields.map((f: { field: string; code: string }) => [f.field, f.code]),
    );
    expect(fields).toEqual({
      page: 'required',
      name: 'too_long',
      email: 'invalid_email',
      text: 'too_short',
      consent: 'consent_required',
      website: 'invalid_url',
    });
    expect(response.body.error.fields[0].message).toMatch(/\S/);
    expect((await stack.dump()).length).toBe(before);
  });

  it('answers in English when the reader asks for it', async () => {
    const response = await post(
      { ...validComment(), email: 'nope' },
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    expect(response.body.error.fields[0].message).toBe('Please enter a valid email address.');
    const german = await post({ ...validComment(), email: 'nope' }, { 'accept-language': 'de-DE' });
    expect(german.body.error.fields[0].message).toBe('Bitte eine gültige E-Mail-Adresse angeben.');
  });

  it('refuses malformed JSON, a wrong content type and an oversized body with 4xx', async () => {
    const malformed = await call(handler, {
      method: 'POST',
      path: '/comments',
      body: '{"page": "/a",',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const wrongType = await call(handler, {
      method: 'POST',
      path: '/comments',
      body: 'page=/a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);
    const huge = await post(validComment({ text: 'x'.repeat(20_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('accepts a reply to a visible comment on the same page only', async () => {
    const parent = await post(validComment({ page: '/posts/thread' }));
    const reply = await post(
      validComment({ page: '/posts/thread', parentId: parent.body.comment.id, text: 'Antwort!' }),
    );
    expect(reply.status).toBe(201);
    expect(reply.body.comment.parentId).toBe(parent.body.comment.id);
    const elsewhere = await post(validComment({ page: '/posts/other', parentId: parent.body.comment.id }));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.fields).toEqual([
      expect.objectContaining({ field: 'parentId', code: 'parent_not_found' }),
    ]);
    const unknown = await post(
      validComment({ page: '/posts/thread', parentId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }),
    );
    expect(unknown.status).toBe(400);
  });

  it('accepts a page URL only on an allowed origin', async () => {
    const planted = await post(validComment({ pageUrl: 'https://phishing.example/login' }));
    expect(planted.status).toBe(400);
    expect(planted.body.error.fields[0]).toMatchObject({ field: 'pageUrl', code: 'origin_not_allowed' });
    const own = await post(
      validComment({ pageUrl: 'https://blog.example/posts/one', pageTitle: 'Mein <b>Titel</b>' }),
    );
    expect(own.status).toBe(201);
  });
});

describe('listing comments', () => {
  const page = '/posts/paged';
  beforeAll(async () => {
    for (let i = 1; i <= 7; i++) await post(validComment({ page, text: `Kommentar Nummer ${i}` }));
  });

  it('pages through oldest first with an opaque cursor', async () => {
    const first = await list(`page=${page}&limit=3`);
    expect(first.body.comments.map((c: { text: string }) => c.text)).toEqual([
      'Kommentar Nummer 1',
      'Kommentar Nummer 2',
      'Kommentar Nummer 3',
    ]);
    const second = await list(`page=${page}&limit=3&cursor=${first.body.cursor}`);
    expect(second.body.comments.map((c: { text: string }) => c.text)).toEqual([
      'Kommentar Nummer 4',
      'Kommentar Nummer 5',
      'Kommentar Nummer 6',
    ]);
    const third = await list(`page=${page}&limit=3&cursor=${second.body.cursor}`);
    expect(third.body.comments.map((c: { text: string }) => c.text)).toEqual(['Kommentar Nummer 7']);
    expect(third.body.cursor).toBeNull();
  });

  it('lists newest first on request', async () => {
    const newest = await list(`page=${page}&order=newest&limit=2`);
    expect(newest.body.comments.map((c: { text: string }) => c.text)).toEqual([
      'Kommentar Nummer 7',
      'Kommentar Nummer 6',
    ]);
  });

  it('refuses a cursor made for another page', async () => {
    const first = await list(`page=${page}&limit=1`);
    const misuse = await list(`page=/posts/one&cursor=${first.body.cursor}`);
    expect(misuse.status).toBe(400);
    expect(misuse.body.error.fields[0]).toMatchObject({ field: 'cursor', code: 'invalid_cursor' });
  });

  it('counts visible comments of many pages in one request', async () => {
    const response = await call(handler, {
      method: 'GET',
      path: '/comments/counts',
      rawQueryString: `pages=${encodeURIComponent(`${page},/posts/one,/never/commented`)}`,
    });
    expect(response.status).toBe(200);
    expect(response.body.counts).toEqual({ [page]: 7, '/posts/one': 1, '/never/commented': 0 });
  });
});

describe('routing', () => {
  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    const missing = await call(handler, { method: 'GET', path: '/nothing-here' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const wrong = await call(handler, { method: 'PUT', path: '/comments' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST, GET');
  });

  it('answers CORS preflights for configured origins only', async () => {
    const allowed = await call(handler, { method: 'OPTIONS', path: '/comments' });
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://blog.example');
    const foreign = await call(handler, {
      method: 'OPTIONS',
      path: '/comments',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('cursors from clients', () => {
  const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

  it.each([
    ['a partial key', { pub1pk: 'PAGE#/posts/paged' }],
    ['a mistyped key', { pk: 1, sk: 'COMMENT', pub1pk: 'PAGE#/posts/paged', pub1sk: 'C#x' }],
    [
      'a key with extra attributes',
      { pk: 'a', sk: 'b', pub1pk: 'PAGE#/posts/paged', pub1sk: 'c', emailEnc: 'x' },
    ],
    ['not JSON', 'bm90IGpzb24'],
  ])('refuses %s with a 400 naming the cursor', async (_, key) => {
    const cursor = typeof key === 'string' ? key : forge(key);
    const response = await list(`page=/posts/paged&cursor=${cursor}`);
    expect(response.status).toBe(400);
    expect(response.body.error.fields[0]).toMatchObject({ field: 'cursor', code: 'invalid_cursor' });
  });
});
