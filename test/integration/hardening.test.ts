/**
 * What an outside test run broke, class by class, through the real handlers with API Gateway 2.0
 * events: crafted cursors, input that turns bad only after decoding or normalising, and the
 * moderation page's Origin check and error pages.
 */
import '../support/error-log';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueToken } from '../../functions/core/tokens';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as moderation } from '../../functions/handlers/moderation';
import { handler as wishes } from '../../functions/handlers/wishes';
import { linkKey } from '../../functions/runtime/keys';
import { applyWishAction } from '../../functions/usecases/wishes';
import { captureErrorLog } from '../support/error-log';
import {
  call,
  callWithEvent,
  createTestStack,
  resetRuntime,
  type TestStack,
  validComment,
} from '../support/stack';
import { validWish } from '../support/wishes';

const FIXTURES = join(__dirname, '../../../shared/fixtures/apigw');
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const keyOf = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

let stack: TestStack;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'none' });
  env = { ...process.env };
  for (const page of ['/posts/a', '/posts/a', '/posts/a', '/posts/b', '/posts/b'])
    await call(comments, { method: 'POST', path: '/comments', json: validComment({ page }) });
  for (let i = 0; i < 3; i++) {
    const wish = await call(wishes, { method: 'POST', path: '/wishes', json: validWish() });
    await applyWishAction(wish.body.wish.id, 'accept', {}, new Date());
  }
});

/** GET through a captured sam-local HTTP API event, as Lambda receives it. */
function lambdaGet(handler: typeof comments, path: string, rawQueryString: string) {
  const event = JSON.parse(readFileSync(join(FIXTURES, 'http-v2-sam-local-get-querystring.json'), 'utf8'));
  event.rawPath = path;
  event.requestContext.http.path = path;
  event.rawQueryString = rawQueryString;
  event.headers = { ...event.headers, 'Accept-Language': 'en' };
  return callWithEvent(handler, event);
}

const expectInvalidCursor = (response: { status: number; body: any }) => {
  expect(response.status).toBe(400);
  expect(response.body.error.code).toBe('invalid_input');
  expect(response.body.error.fields).toEqual([
    { field: 'cursor', code: 'invalid_cursor', message: 'This page cursor is not valid.' },
  ]);
};

describe('pagination cursors', () => {
  it('a real cursor continues its own listing, on the Lambda path', async () => {
    const first = await lambdaGet(comments, '/comments', 'page=%2Fposts%2Fa&limit=2');
    expect(first.body.comments).toHaveLength(2);
    const next = await lambdaGet(
      comments,
      '/comments',
      `page=%2Fposts%2Fa&limit=2&cursor=${first.body.cursor}`,
    );
    expect(next.status).toBe(200);
    expect(next.body.comments).toHaveLength(1);
    const votes = await lambdaGet(wishes, '/wishes', 'sort=votes&limit=1');
    const more = await lambdaGet(wishes, '/wishes', `sort=votes&limit=1&cursor=${votes.body.cursor}`);
    expect(more.status).toBe(200);
    expect(more.body.wishes[0].id).not.toBe(votes.body.wishes[0].id);
  });

  it('crafted cursors get 400 invalid_cursor and no ERROR log line, never a 500', async () => {
    const comment = keyOf((await lambdaGet(comments, '/comments', 'page=%2Fposts%2Fa&limit=1')).body.cursor);
    const ranked = keyOf((await lambdaGet(wishes, '/wishes', 'sort=votes&limit=1')).body.cursor);
    const newest = (await lambdaGet(wishes, '/wishes', 'sort=newest&limit=1')).body.cursor;
    const otherPage = (await lambdaGet(comments, '/comments', 'page=%2Fposts%2Fb&limit=1')).body.cursor;
    const crafted: [string, string, string][] = [
      ['/comments', 'page=%2Fposts%2Fa', b64(JSON.stringify({ ...comment, pk: '' }))],
      ['/comments', 'page=%2Fposts%2Fa', b64(JSON.stringify({ ...comment, sk: '' }))],
      ['/comments', 'page=%2Fposts%2Fa', b64(JSON.stringify({ ...comment, pub1sk: 'C#' }))],
      [
        '/comments',
        'page=%2Fposts%2Fa',
        b64(JSON.stringify({ ...comment, pk: 'COMMENT#01ARZ3NDEKTSV4RRFFQ69G5FAV' })),
      ],
      ['/comments', 'page=%2Fposts%2Fa', otherPage],
      ['/comments', 'page=%2Fposts%2Fa', b64('[1,2]')],
      ['/comments', 'page=%2Fposts%2Fa', b64('"just a string"')],
      ['/comments', 'page=%2Fposts%2Fa', 'not base64 at all!'],
      ['/wishes', 'sort=votes', b64(JSON.stringify(ranked).replace(/"votes":\d+/, '"votes":1e400'))],
      ['/wishes', 'sort=votes', b64(JSON.stringify({ ...ranked, votes: 1e200 }))],
      ['/wishes', 'sort=votes', b64(JSON.stringify({ ...ranked, votes: -1 }))],
      ['/wishes', 'sort=votes', b64(JSON.stringify({ ...ranked, votes: 0.5 }))],
      ['/wishes', 'sort=votes', b64(JSON.stringify({ ...ranked, votes: '3' }))],
      ['/wishes', 'sort=votes', b64(JSON.stringify({ ...ranked, pk: '' }))],
      ['/wishes', 'sort=votes', newest],
      ['/wishes', 'sort=newest', b64(JSON.stringify(ranked))],
      ['/compliments', '', b64(JSON.stringify({ ...comment, pub2pk: 'COMPLIMENTS', pub2sk: 'x#y' }))],
    ];
    for (const [path, query, cursor] of crafted) {
      const errors = captureErrorLog();
      const handler = path === '/wishes' ? wishes : comments;
      const response = await lambdaGet(
        handler,
        path,
        `${query}&cursor=${encodeURIComponent(cursor)}`,
      ).finally(errors.stop);
      expectInvalidCursor(response);
      expect(errors.lines).toEqual([]);
    }
  });
});

const postComment = (overrides: Record<string, unknown>) =>
  call(comments, { method: 'POST', path: '/comments', json: validComment(overrides) });

describe('input checked after decoding and normalising', () => {
  it('a NUL smuggled in by double percent-encoding is refused in a page key', async () => {
    for (const query of ['pages=%2500', 'pages=%2Fa%2500b,%2Fposts%2Fa', 'pages=%252Fa%2509']) {
      const response = await lambdaGet(comments, '/comments/counts', query);
      expect(response.status).toBe(400);
      expect(response.body.error.fields).toEqual([
        expect.objectContaining({ field: 'pages', code: 'invalid_characters' }),
      ]);
    }
    const listed = await lambdaGet(comments, '/comments', 'page=%2Fa%25E2%2580%258B');
    expect(listed.status).toBe(400);
    expect(listed.body.error.fields[0]).toMatchObject({ field: 'page', code: 'invalid_characters' });
  });

  it('lone surrogates are refused in every text field, naming the field, and nothing is stored', async () => {
    const before = (await stack.dump()).length;
    const lone = 'Hallo \ud800 Welt';
    const commentFields = {
      name: lone,
      text: `Text ${lone}`,
      website: `https://blog.example/${lone}`,
      pageTitle: lone,
      page: `/posts/${lone}`,
    };
    for (const [field, value] of Object.entries(commentFields)) {
      const response = await call(comments, {
        method: 'POST',
        path: '/comments',
        json: validComment({ [field]: value }),
      });
      expect(response.status).toBe(400);
      expect(response.body.error.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    for (const [field, value] of Object.entries({
      topic: `Thema ${lone}`,
      details: lone,
      displayName: lone,
    })) {
      const response = await call(wishes, {
        method: 'POST',
        path: '/wishes',
        json: validWish({ [field]: value }),
      });
      expect(response.status).toBe(400);
      expect(response.body.error.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    expect((await stack.dump()).length).toBe(before);
  });

  it('a text of only invisible characters is as empty as a blank one', async () => {
    for (const invisible of [
      '\u200b\u200b\u200b',
      '\ufeff\u2060\u00ad',
      '\u00ad\u00ad',
      '\ufe0f\ufe0f',
      '\u2800\u3164',
    ]) {
      for (const field of ['text', 'name']) {
        const refused = await postComment({ [field]: invisible });
        expect(refused.status).toBe(400);
        expect(refused.body.error.fields).toEqual([expect.objectContaining({ field, code: 'required' })]);
      }
    }
  });

  it('an email local part over 64 characters and a website with user:pass@ are refused', async () => {
    const longLocal = await call(comments, {
      method: 'POST',
      path: '/comments',
      json: validComment({ email: `${'a'.repeat(65)}@example.org` }),
    });
    expect(longLocal.body.error.fields).toEqual([
      expect.objectContaining({ field: 'email', code: 'invalid_email' }),
    ]);
    const fits = await call(comments, {
      method: 'POST',
      path: '/comments',
      json: validComment({ email: `${'a'.repeat(64)}@example.org`, page: '/posts/fits' }),
    });
    expect(fits.status).toBe(201);
    for (const website of [
      'https://user:pass@blog.example/',
      'https://bank.example@evil.example/',
      'http://:x@blog.example',
    ]) {
      const response = await call(comments, {
        method: 'POST',
        path: '/comments',
        json: validComment({ website }),
      });
      expect(response.body.error.fields).toEqual([
        expect.objectContaining({ field: 'website', code: 'invalid_url' }),
      ]);
    }
  });
});

describe('the moderation page', () => {
  const form = (t: string, origin: string | undefined, extra: Record<string, string> = {}) =>
    call(moderation, {
      method: 'POST',
      path: '/moderate',
      body: new URLSearchParams({ t }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'accept-language': 'en',
        ...(origin ? { origin } : {}),
        ...extra,
      },
    });
  const tokenFor = async (target: string, kind: 'comment' | 'wish' = 'comment') =>
    issueToken(
      { kind, action: kind === 'comment' ? 'spam' : 'decline', target },
      await linkKey('author'),
      new Date(),
    );
  const newComment = async () =>
    (await call(comments, { method: 'POST', path: '/comments', json: validComment({ page: '/posts/mod' }) }))
      .body.comment.id as string;

  it('refuses a POST from a foreign Origin with an HTML 403 page and changes nothing', async () => {
    const t = await tokenFor(await newComment());
    const before = await stack.dump();
    for (const origin of ['https://evil.example', 'null', 'https://api.blog.example.evil.example']) {
      const refused = await form(t, origin);
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toMatch(/text\/html/);
      expect(refused.text).toContain('This website may not use the API.');
    }
    expect(await stack.dump()).toEqual(before);
  });

  it('acts for the blog’s origin, the API’s own origin and a same-origin form under no-referrer', async () => {
    for (const [origin, extra] of [
      ['https://blog.example', {}],
      ['https://api.blog.example', {}],
      ['null', { 'sec-fetch-site': 'same-origin' }],
      [undefined, {}],
    ] as const) {
      const id = await newComment();
      const done = await form(await tokenFor(id), origin, extra);
      expect(done.status).toBe(200);
      expect((await stack.dump()).find((item) => item.pk === `COMMENT#${id}`)?.status).toBe('spam');
    }
  });

  it('GET stays free of side effects, whatever the Origin', async () => {
    const t = await tokenFor(await newComment());
    const before = await stack.dump();
    for (const origin of [undefined, 'https://evil.example']) {
      const page = await call(moderation, {
        method: 'GET',
        path: '/moderate',
        rawQueryString: `t=${encodeURIComponent(t)}`,
        headers: origin ? { origin } : {},
      });
      expect(page.status).toBe(200);
    }
    expect(await stack.dump()).toEqual(before);
  });

  it('answers a wrong content type, an outage and a failure as HTML pages in the reader’s language', async () => {
    const t = await tokenFor(await newComment());
    const wrongType = await call(moderation, {
      method: 'POST',
      path: '/moderate',
      json: { t },
      headers: { 'accept-language': 'de' },
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers['content-type']).toMatch(/text\/html/);
    expect(wrongType.text).toContain('<html lang="de"');
    try {
      process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
      resetRuntime();
      const outage = await form(t, undefined);
      expect(outage.status).toBe(503);
      expect(outage.headers['retry-after']).toBe('5');
      expect(outage.headers['content-type']).toMatch(/text\/html/);
      expect(outage.text).toContain('The service is busy right now.');
      Object.assign(process.env, env, { TABLE_NAME: 'no-such-table' });
      resetRuntime();
      const errors = captureErrorLog();
      const broken = await form(t, undefined, { 'accept-language': 'de' }).finally(errors.stop);
      expect(broken.status).toBe(500);
      expect(broken.headers['content-type']).toMatch(/text\/html/);
      expect(broken.text).toContain('Da ist bei uns etwas schiefgegangen.');
      expect(broken.text).not.toContain('internal_error');
      expect(errors.lines).toHaveLength(1);
    } finally {
      Object.assign(process.env, env);
      resetRuntime();
    }
  });
});
