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
import { handler as comments } from '../../functions/handlers/comments';
import { captureErrorLog } from '../support/error-log';
import { callWithEvent, createTestStack, TEST_ORIGIN, type TestStack, validComment } from '../support/stack';
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
  stack = await createTestStack();
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
