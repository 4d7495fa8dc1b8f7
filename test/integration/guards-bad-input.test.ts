/**
 * The bad input of the abuse issue, case by case, on the routes that take input: each one a clear
 * 4xx JSON error naming the field, nothing stored, never a 5xx. (test/property drives every route
 * with generated input; these are the named examples.)
 */

import { toApiGatewayEvent } from '../../dev/http-adapter';
import { LIMITS } from '../../functions/core/limits';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as wishes } from '../../functions/handlers/wishes';
import { applyWishAction } from '../../functions/usecases/wishes';
import {
  type CallResult,
  call,
  callWithEvent,
  createTestStack,
  type TestStack,
  validComment,
} from '../support/stack';
import { newVoterId, validWish } from '../support/wishes';

let stack: TestStack;
let wishId: string;
beforeAll(async () => {
  stack = await createTestStack();
  const wish = await call(wishes, { method: 'POST', path: '/wishes', json: validWish() });
  wishId = wish.body.wish.id;
  await applyWishAction(wishId, 'accept', {}, new Date());
});

const raw = (handler: typeof comments, path: string, body: string, method = 'POST') =>
  call(handler, { method, path, body, headers: { 'content-type': 'application/json' } });

/** The answer is a 4xx with the documented shape, naming `field` (when given), and nothing was stored. */
async function expectRefused(
  send: () => Promise<CallResult>,
  expected: { status?: number; code?: string; field?: string; fieldCode?: string },
) {
  const before = await stack.dump();
  const response = await send();
  expect(response.status).toBe(expected.status ?? 400);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.body.error).toMatchObject({
    code: expected.code ?? 'invalid_input',
    message: expect.any(String),
  });
  if (expected.field) {
    expect(response.body.error.fields).toContainEqual(
      expect.objectContaining({
        field: expected.field,
        ...(expected.fieldCode ? { code: expected.fieldCode } : {}),
        message: expect.any(String),
      }),
    );
  }
  expect(await stack.dump()).toEqual(before);
}

const postComment = (body: Record<string, unknown>) => () =>
  call(comments, { method: 'POST', path: '/comments', json: body });
const postWish = (body: Record<string, unknown>) => () =>
  call(wishes, { method: 'POST', path: '/wishes', json: body });

describe('the body as a whole', () => {
  it.each([
    ['truncated JSON', '{"page":"/a","name":"Anna","text":"Hal', 'invalid_json'],
    ['not JSON at all', 'page=/a&name=Anna', 'invalid_json'],
    ['a JSON array', '[{"page":"/a"}]', 'invalid_input'],
    ['a JSON string', '"hello"', 'invalid_input'],
    ['JSON null', 'null', 'invalid_input'],
    ['an empty body', '', 'invalid_json'],
  ])('refuses %s', async (_case, body, code) => {
    for (const [handler, path] of [
      [comments, '/comments'],
      [wishes, '/wishes'],
      [wishes, `/wishes/${wishId}/vote`],
    ] as const) {
      // A body that is not JSON names the body as what to change.
      await expectRefused(() => raw(handler, path, body), {
        code,
        ...(code === 'invalid_json' ? { field: 'body' } : {}),
      });
    }
  });

  it('refuses a body over the limit with 413', async () => {
    await expectRefused(postComment(validComment({ text: 'x'.repeat(LIMITS.bodyBytes) })), {
      status: 413,
      code: 'payload_too_large',
      field: 'body',
      fieldCode: 'too_large',
    });
  });

  it('refuses invalid UTF-8 (a base64 body with bad bytes) with invalid_encoding', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"page":"/a","name":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]);
    const event = toApiGatewayEvent({
      method: 'POST',
      path: '/comments',
      headers: { 'content-type': 'application/json', origin: 'https://blog.example' },
      body: bytes,
    });
    Object.assign(event, { body: bytes.toString('base64'), isBase64Encoded: true });
    await expectRefused(() => callWithEvent(comments, event), { code: 'invalid_encoding', field: 'body' });
  });

  it('refuses an enormous query string with 414', async () => {
    const query = `page=${'a'.repeat(LIMITS.queryStringChars)}`;
    await expectRefused(() => call(comments, { method: 'GET', path: '/comments', rawQueryString: query }), {
      status: 414,
      code: 'uri_too_long',
      field: 'query',
    });
    await expectRefused(() => call(wishes, { method: 'GET', path: '/wishes', rawQueryString: query }), {
      status: 414,
      code: 'uri_too_long',
    });
  });

  it('answers a malformed escape in a path with 404, not an error', async () => {
    await expectRefused(
      () => call(wishes, { method: 'POST', path: '/wishes/%E0%A4%A/vote', json: { voterId: newVoterId() } }),
      { status: 404, code: 'wish_not_found' },
    );
  });
});

describe('fields of a comment', () => {
  it.each([
    ['a number for a string', { name: 42 }, 'name', 'wrong_type'],
    ['an array for a string', { text: ['Hallo', 'Welt'] }, 'text', 'wrong_type'],
    ['an object for a string', { email: { $ne: '' } }, 'email', 'wrong_type'],
    ['a huge number for the page', { page: 1e308 }, 'page', 'wrong_type'],
    ['a huge number for the parent', { parentId: 2 ** 64 }, 'parentId', 'wrong_type'],
    ['a string for consent', { consent: 'true' }, 'consent', 'consent_required'],
    ['a control character in the name', { name: 'Anna\u0007' }, 'name', 'invalid_characters'],
    ['a bidi override in the name', { name: '\u202eanilreseL annA' }, 'name', 'invalid_characters'],
    ['a zero-width space in the name', { name: 'An\u200bna' }, 'name', 'invalid_characters'],
    [
      'a line break in the name (mail header)',
      { name: 'Anna\r\nBcc: all@example.org' },
      'name',
      'invalid_characters',
    ],
    [
      'a line break in the website',
      { website: 'https://anna.example/\r\nX: 1' },
      'website',
      'invalid_characters',
    ],
    [
      'a line break in the page title',
      { pageTitle: 'Titel\nBcc: x@example.org' },
      'pageTitle',
      'invalid_characters',
    ],
    ['a javascript: website', { website: 'javascript:alert(1)' }, 'website', 'invalid_url'],
    ['a data: website', { website: 'data:text/html,<script>alert(1)</script>' }, 'website', 'invalid_url'],
    ['a javascript: page URL', { pageUrl: 'JavaScript:alert(1)' }, 'pageUrl', 'invalid_url'],
    ['an unknown field', { isAdmin: true }, 'isAdmin', 'unknown_field'],
    ['a missing text', { text: undefined }, 'text', 'required'],
    ['a missing email', { email: undefined }, 'email', 'required'],
  ])('refuses %s, naming the field', async (_case, change, field, fieldCode) => {
    await expectRefused(postComment({ ...validComment(), ...change }), { field, fieldCode });
  });

  it.each(['__proto__', 'constructor'])('refuses a %s key, naming it', async (key) => {
    const body = JSON.stringify(validComment()).replace(/^\{/, `{"${key}":{"status":"approved"},`);
    await expectRefused(() => raw(comments, '/comments', body), { field: key, fieldCode: 'unknown_field' });
  });
});

describe('fields of a wish and a vote', () => {
  it.each([
    [
      'a line break in the topic (mail subject)',
      { topic: 'Thema\r\nBcc: all@example.org' },
      'topic',
      'invalid_characters',
    ],
    [
      'a line break in the display name',
      { displayName: 'Miriam\nX: 1' },
      'displayName',
      'invalid_characters',
    ],
    [
      'a bidi isolate in the display name',
      { displayName: 'Miriam\u2066' },
      'displayName',
      'invalid_characters',
    ],
    ['an array for the topic', { topic: ['a', 'b'] }, 'topic', 'wrong_type'],
    ['a string for showName', { showName: 'yes' }, 'showName', 'wrong_type'],
    ['a missing consent', { consent: undefined }, 'consent', 'required'],
    ['an unknown field', { status: 'accepted' }, 'status', 'unknown_field'],
  ])('refuses %s, naming the field', async (_case, change, field, fieldCode) => {
    await expectRefused(postWish({ ...validWish(), ...change }), { field, fieldCode });
  });

  it.each([
    ['a number', 1e308, 'wrong_type'],
    ['an array', [newVoterId()], 'wrong_type'],
    ['control characters', `${newVoterId()}\u0000`, 'invalid_characters'],
  ])('refuses a voter id that is %s', async (_case, voterId, fieldCode) => {
    await expectRefused(
      () => call(wishes, { method: 'POST', path: `/wishes/${wishId}/vote`, json: { voterId } }),
      { field: 'voterId', fieldCode },
    );
  });
});
