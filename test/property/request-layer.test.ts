/**
 * The request layer (functions/http/request.ts) with what other tests do not generate.
 *
 * Events that say `version: 2.0` but carry a field of a type API Gateway never sends (a test event
 * typed by hand in the Lambda console, a misconfigured integration): a 400 naming the field, or the
 * ordinary answer when the value happens to fit; never a 500, and nothing stored for a refusal.
 */
import '../support/error-log';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { toApiGatewayEvent } from '../../dev/http-adapter';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { normalisePage } from '../../functions/core/page';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as desk } from '../../functions/handlers/desk';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { csrfIn, DESK_ORIGIN, DESK_URL, deskGet, SESSION_COOKIE } from '../support/desk';
import { captureErrorLog } from '../support/error-log';
import {
  call,
  callWithEvent,
  createTestStack,
  TEST_ORIGIN,
  type TestStack,
  validComment,
} from '../support/stack';
import { RUNS, tableFingerprint } from './requests';

/** Where a field sits in the event, as a path of property names. */
const FIELDS = [
  ['rawPath'],
  ['rawQueryString'],
  ['body'],
  ['headers'],
  ['cookies'],
  ['isBase64Encoded'],
  ['requestContext', 'http', 'path'],
  ['requestContext', 'http', 'sourceIp'],
  ['requestContext', 'requestId'],
] as const;

function validEvent() {
  return toApiGatewayEvent({
    method: 'POST',
    path: '/comments',
    headers: { origin: TEST_ORIGIN, 'content-type': 'application/json', cookie: 'a=b' },
    body: JSON.stringify(validComment({ page: '/posts/event-shapes' })),
  });
}

function withField(event: object, path: readonly string[], value: unknown): object {
  let at = event as Record<string, unknown>;
  for (const name of path.slice(0, -1)) at = at[name] as Record<string, unknown>;
  at[path.at(-1)!] = value;
  return event;
}

const value = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(5, {}, [], [1, null], ['a=b', 7], true, Buffer.from('x'), { length: 3 }),
);

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ DESK_URL });
});

it('a 2.0 event with any value in any field it reads: never 5xx, a refusal names the field and stores nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...FIELDS), value, async (path, replacement) => {
      const before = await tableFingerprint(stack);
      const errorLines = captureErrorLog();
      const event = withField(validEvent(), path, replacement);
      const response = await callWithEvent(comments, event).finally(errorLines.stop);
      const context = `${path.join('.')}=${JSON.stringify(replacement)?.slice(0, 100)} → ${response.status} ${response.text.slice(0, 200)}`;
      expect({ context, status: response.status < 500 }).toEqual({ context, status: true });
      expect({ context, errors: errorLines.lines }).toEqual({ context, errors: [] });
      if (response.body?.error?.code === 'unsupported_event')
        expect(response.body.error.fields).toEqual([
          expect.objectContaining({ field: path.join('.'), code: 'wrong_type' }),
        ]);
      if (response.status >= 400) expect(await tableFingerprint(stack)).toBe(before);
    }),
    { numRuns: RUNS },
  );
});

it('the named field for each shape that used to crash', async () => {
  const cases: [readonly string[], unknown][] = [
    [['body'], 123],
    [['cookies'], [1, null]],
    [['rawPath'], 5],
    [['requestContext', 'http', 'sourceIp'], 5],
  ];
  const before = await tableFingerprint(stack);
  for (const [path, replacement] of cases) {
    const response = await callWithEvent(comments, withField(validEvent(), path, replacement));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'unsupported_event',
      fields: [{ field: path.join('.'), code: 'wrong_type' }],
    });
  }
  expect(await tableFingerprint(stack)).toBe(before);
});

it('a body in any content coding but identity is a 415 naming content-encoding, packed or merely labelled so', async () => {
  const coding = fc.oneof(
    fc.constantFrom(
      'gzip',
      'GZIP',
      ' gzip ',
      'br',
      'deflate',
      'compress',
      'zstd',
      'gzip, identity',
      'x-garbage',
    ),
    fc.stringMatching(/^[a-z-]{1,12}$/).filter((name) => name !== 'identity'),
  );
  await fc.assert(
    fc.asyncProperty(coding, fc.boolean(), async (encoding, packed) => {
      const json = JSON.stringify(validComment({ page: '/posts/encoding' }));
      const event = toApiGatewayEvent({
        method: 'POST',
        path: '/comments',
        headers: { origin: TEST_ORIGIN, 'content-type': 'application/json', 'content-encoding': encoding },
        body: packed ? gzipSync(json) : json,
      });
      if (packed) Object.assign(event, { body: gzipSync(json).toString('base64'), isBase64Encoded: true });
      const before = await tableFingerprint(stack);
      const response = await callWithEvent(comments, event);
      expect({ encoding, packed, status: response.status }).toEqual({ encoding, packed, status: 415 });
      expect(response.body.error).toMatchObject({
        code: 'unsupported_encoding',
        fields: [{ field: 'content-encoding', code: 'invalid_choice' }],
      });
      expect(await tableFingerprint(stack)).toBe(before);
    }),
    { numRuns: RUNS },
  );
  // Without a body, or in the identity coding, the header is harmless.
  for (const encoding of ['identity', ' Identity', '']) {
    const posted = await callWithEvent(
      comments,
      toApiGatewayEvent({
        method: 'POST',
        path: '/comments',
        headers: { origin: TEST_ORIGIN, 'content-type': 'application/json', 'content-encoding': encoding },
        body: JSON.stringify(validComment({ page: '/posts/encoding' })),
      }),
    );
    expect({ encoding, status: posted.status }).toEqual({ encoding, status: 201 });
  }
  const list = await callWithEvent(
    comments,
    toApiGatewayEvent({
      method: 'GET',
      path: '/comments',
      rawQueryString: 'page=%2Fposts%2Fencoding',
      headers: { 'content-encoding': 'gzip' },
    }),
  );
  expect(list.status).toBe(200);
});

/** Escapes that are no UTF-8: cut short, a lone byte, overlong, half a surrogate pair, a bare `%`. */
const BROKEN_ESCAPES = ['%', '%F', '%FF', '%80', '%C3%28', '%C0%AF', '%E0%A4%A', '%ED%A0%80', '%F4%90%80%80'];
const brokenEscape = fc
  .tuple(fc.constantFrom(...BROKEN_ESCAPES), fc.string({ maxLength: 6 }).map(encodeURIComponent))
  // A `-` keeps what follows from completing a cut-short escape (`%E0%A4%A` + `0`).
  .map(([broken, rest]) => (rest ? `${broken}-${rest}` : broken));

describe('percent escapes in the query and in form bodies', () => {
  it('a well-formed escape reads as the browser meant it, `+` as a space', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), async (text) => {
        const page = `/posts/${text}`;
        const response = await callWithEvent(
          comments,
          toApiGatewayEvent({
            method: 'GET',
            path: '/comments',
            rawQueryString: `page=${encodeURIComponent(page).replaceAll('%20', '+')}`,
          }),
        );
        expect(response.body?.error?.code).not.toBe('invalid_encoding');
        if (response.status === 200) expect(response.body.page).toBe(normalisePage(page));
      }),
      { numRuns: RUNS },
    );
  });

  it('an escape that is no UTF-8 in a query parameter is a 400 naming the parameter', async () => {
    await fc.assert(
      fc.asyncProperty(brokenEscape, async (broken) => {
        const response = await callWithEvent(
          comments,
          toApiGatewayEvent({
            method: 'GET',
            path: '/comments',
            rawQueryString: `order=newest&page=%2Fa${broken}`,
          }),
        );
        expect({ broken, status: response.status }).toEqual({ broken, status: 400 });
        expect(response.body.error).toMatchObject({
          code: 'invalid_encoding',
          fields: [{ field: 'page', code: 'invalid' }],
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('an escape that is no UTF-8 in a desk form is a 400 page and stores nothing (it was kept as U+FFFD)', async () => {
    const posted = await call(comments, {
      method: 'POST',
      path: '/comments',
      json: validComment({ page: '/posts/escapes' }),
    });
    const id = posted.body.comment.id as string;
    const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
    if (!login.ok) throw new Error('no desk session');
    const csrf = csrfIn((await deskGet('/desk', login.sessionId)).text);
    const reply = (text: string) =>
      call(desk as never, {
        method: 'POST',
        path: `/desk/comments/${id}`,
        body: `csrf=${encodeURIComponent(csrf)}&text=${text}`,
        headers: {
          origin: DESK_ORIGIN,
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `${SESSION_COOKIE}=${login.sessionId}`,
        },
      });
    await fc.assert(
      fc.asyncProperty(brokenEscape, async (broken) => {
        const before = await tableFingerprint(stack);
        const refused = await reply(`Danke+f%C3%BCr+die+Frage${broken}`);
        expect({ broken, status: refused.status }).toEqual({ broken, status: 400 });
        expect(refused.headers['content-type']).toMatch(/^text\/html/);
        expect(await tableFingerprint(stack)).toBe(before);
      }),
      { numRuns: RUNS },
    );
    // The same reply, well encoded, is published.
    expect((await reply('Danke+f%C3%BCr+die+Frage')).status).toBe(303);
  });
});
