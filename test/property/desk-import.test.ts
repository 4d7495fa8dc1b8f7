/**
 * The desk's import routes with a logged-in session and generated hostile bodies: multipart
 * forms with odd boundaries, broken part headers, truncated bodies, wrong content types and
 * encodings, files of every wrong kind, broken gzip. Each answer is a 4xx HTML page (or JSON when
 * asked for), never a 5xx, and nothing is stored.
 */
import '../support/error-log';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { toApiGatewayEvent } from '../../dev/http-adapter';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { handler } from '../../functions/handlers/desk';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { csrfIn, DESK_ORIGIN, DESK_URL, deskGet } from '../support/desk';
import { captureErrorLog } from '../support/error-log';
import { callWithEvent, createTestStack, type TestStack } from '../support/stack';
import { RUNS, tableFingerprint } from './requests';

let stack: TestStack;
let session: string;
let csrf: string;

beforeAll(async () => {
  stack = await createTestStack({ DESK_URL });
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  session = login.sessionId;
  csrf = csrfIn((await deskGet('/desk/import', session)).text);
}, 120_000);

/** Files that are no export with comments, as they come (plain, packed, broken). */
const wrongFile = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 300 }).map((text) => Buffer.from(text)),
  fc
    .constantFrom(
      '{"format":"leserpost-backup","comments":[]}',
      '[1,2,3]',
      '<rss version="2.0"><channel/></rss>',
      '<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
      '<!doctype html><title>x</title>',
      '<?xml version="1.0"?><!-- c --><other/>',
      '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item></item></channel></rss>',
      '<disqus></disqus>',
      '<disqus><post dsq:id="1"><message>x</message></post></disqus>',
      '<?xml ',
      '<!--',
      'PK\u0003\u0004',
      '\ufeff',
    )
    .map((text) => Buffer.from(text)),
  fc.string({ maxLength: 200 }).map((text) => gzipSync(text)),
  fc
    .tuple(fc.string({ maxLength: 200 }), fc.nat({ max: 30 }))
    .map(([text, cut]) => gzipSync(`<disqus>${text}`).subarray(0, cut)),
);

const boundaryValue = fc.oneof(
  { weight: 4, arbitrary: fc.constant('b0undary') },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '"', 'a'.repeat(71), 'x y ', '--', 'ü') },
);

interface Generated {
  contentType: string;
  body: Buffer;
  base64: boolean;
  describe: string;
}

const multipartRequest: fc.Arbitrary<Generated> = fc
  .record({
    boundary: boundaryValue,
    quoted: fc.boolean(),
    typeName: fc.constantFrom(
      'multipart/form-data',
      'Multipart/Form-Data',
      'multipart/mixed',
      'application/x-www-form-urlencoded',
      'text/plain',
      '',
    ),
    token: fc.oneof(
      { weight: 5, arbitrary: fc.constant('valid') },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    ),
    file: fc.option(wrongFile, { nil: undefined }),
    fieldName: fc.oneof({ weight: 5, arbitrary: fc.constant('file') }, { weight: 1, arbitrary: fc.string() }),
    header: fc.oneof(
      { weight: 5, arbitrary: fc.constant('') },
      {
        weight: 1,
        arbitrary: fc.constantFrom('Content-Type: x\r\n', `${'X: '.padEnd(5000, 'y')}\r\n`, '\r\n'),
      },
    ),
    crlf: fc.constantFrom('\r\n', '\n', '\r\n'),
    cut: fc.option(fc.nat({ max: 400 }), { nil: undefined, freq: 3 }),
    close: fc.boolean(),
    base64: fc.boolean(),
  })
  .map((g) => {
    const token = g.token === 'valid' ? csrf : g.token;
    const nl = g.crlf;
    const parts = [
      Buffer.from(`--${g.boundary}${nl}Content-Disposition: form-data; name="csrf"${nl}${nl}${token}${nl}`),
    ];
    if (g.file) {
      parts.push(
        Buffer.from(
          `--${g.boundary}${nl}${g.header}Content-Disposition: form-data; name="${g.fieldName}"; filename="f.xml"${nl}${nl}`,
        ),
        g.file,
        Buffer.from(nl),
      );
    }
    if (g.close) parts.push(Buffer.from(`--${g.boundary}--${nl}`));
    let body = Buffer.concat(parts);
    if (g.cut !== undefined) body = body.subarray(0, g.cut);
    const param = g.quoted ? `"${g.boundary}"` : g.boundary;
    const contentType = g.typeName ? `${g.typeName}; boundary=${param}` : '';
    return {
      contentType,
      body,
      base64: g.base64,
      describe: `${contentType} ${JSON.stringify(body.toString('latin1').slice(0, 200))}`,
    };
  });

async function expectRefusedAndNothingStored(event: unknown, describe: string) {
  const before = await tableFingerprint(stack);
  const errors = captureErrorLog();
  const response = await callWithEvent(handler as never, event).finally(errors.stop);
  const context = `${describe} → ${response.status} ${response.text.slice(0, 200)}`;
  if (response.status < 400 || response.status >= 500) throw new Error(`not a 4xx: ${context}`);
  if (!(response.headers['content-type'] ?? '').startsWith('text/html'))
    throw new Error(`no page: ${context}`);
  if (errors.lines.length > 0) throw new Error(`ERROR log: ${context}`);
  if ((await tableFingerprint(stack)) !== before) throw new Error(`stored something: ${context}`);
}

describe('POST /desk/import with generated hostile uploads', () => {
  it('is a 4xx page, never a 5xx, and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(multipartRequest, async (generated) => {
        const event = toApiGatewayEvent({
          method: 'POST',
          path: '/desk/import',
          headers: {
            origin: DESK_ORIGIN,
            cookie: `__Host-leserpost-desk=${session}`,
            ...(generated.contentType ? { 'content-type': generated.contentType } : {}),
          },
          body: generated.body,
        });
        // API Gateway base64-encodes a binary body; a text one it may pass as it is.
        if (generated.base64)
          Object.assign(event, { body: generated.body.toString('base64'), isBase64Encoded: true });
        await expectRefusedAndNothingStored(event, generated.describe);
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});

describe('POST /desk/import/{id} with generated ids and starts', () => {
  it('is a 4xx page, never a 5xx, and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant('01ARZ3NDEKTSV4RRFFQ69G5FAV'), fc.string({ maxLength: 40 })),
        fc.oneof(fc.constantFrom('0', '-1', '1e3', '99999999999', '', ' 1'), fc.string({ maxLength: 20 })),
        async (id, from) => {
          const path = `/desk/import/${encodeURIComponent(id)}`;
          const event = toApiGatewayEvent({
            method: 'POST',
            path,
            headers: {
              origin: DESK_ORIGIN,
              cookie: `__Host-leserpost-desk=${session}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({ csrf, from }).toString(),
          });
          await expectRefusedAndNothingStored(event, `${path} from=${JSON.stringify(from)}`);
        },
      ),
      { numRuns: RUNS },
    );
  }, 300_000);
});
