/**
 * Generated hostile requests for every route in functions/routes.ts, and the checks each answer
 * must pass: never a 5xx, the documented error shape naming fields, and nothing stored for a 4xx.
 * The route list, the query parameters and body fields come from routes.ts and the OpenAPI
 * document, so a new route is driven without touching this file.
 */

import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { toApiGatewayEvent } from '../../dev/http-adapter';
import { LIMITS } from '../../functions/core/limits';
import { buildOpenApiDocument } from '../../functions/core/openapi';
import { HANDLER_ENTRIES, type RouteDefinition } from '../../functions/routes';
import { captureErrorLog } from '../support/error-log';
import { type CallResult, callWithEvent, TEST_ORIGIN, type TestStack, validComment } from '../support/stack';

/** Runs per route: moderate, so the whole suite stays quick on two cores (PROPERTY_RUNS overrides). */
export const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);

type Handler = Parameters<typeof callWithEvent>[0];

export function handlerFor(route: RouteDefinition): Handler {
  // The very entry file Lambda runs for the route's group.
  return require(join(__dirname, '../..', HANDLER_ENTRIES[route.group])).handler;
}

// ---------------------------------------------------------------------------------------------
// Values

const CONTROL = ['\u0000', '\u0007', '\b', '\u001b', '\u007f', '\u0085', '\u009b'];
const INVISIBLE = ['\u200b', '\u200d', '\u202e', '\u2066', '\u2069', '\ufeff', '\u00ad'];

/** Strings that have broken parsers, mail headers, logs and databases before. */
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'Anna\r\nBcc: everyone@example.org',
    'Titel\nX-Injected: 1',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox',
    'https://blog.example/\u202egnp.exe',
    'http://',
    'https://',
    '//evil.example',
    '<script>alert(1)</script>',
    "'; DROP TABLE comments; --",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the attack
    '${jndi:ldap://x}',
    '{{7*7}}',
    '%00',
    '%E0%A4%A',
    '\ud800',
    '\udfff\ud800',
    '😀'.repeat(300),
    'ß'.repeat(501),
    '__proto__',
    'constructor',
    '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    '/posts/eins',
    'anna@example.org',
    'a@b',
    'not-an-email',
  ),
  fc
    .tuple(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(...CONTROL, ...INVISIBLE),
      fc.string({ maxLength: 8 }),
    )
    .map(([a, b, c]) => a + b + c),
  // Past every field limit, but mostly under the body limit (that case has its own body below).
  fc.nat({ max: 6000 }).map((n) => 'x'.repeat(n)),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, 5e-324),
);

export const nastyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    nastyString,
    nastyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype')),
      tie('value'),
      {
        maxKeys: 3,
      },
    ),
  ),
})).value;

// ---------------------------------------------------------------------------------------------
// Requests

export interface Fixtures {
  commentId: string;
  wishId: string;
  /** Real cursors of every listing (each valid for its own listing only). */
  cursors: string[];
  /** The keys `commentId` and `wishId` were sent with (their owner's browser keeps them). */
  ownKeys: { comment: string; wish: string };
}

interface RouteShape {
  queryNames: string[];
  bodyFields: string[];
  bodyType: string | undefined;
}

let openApi: any;
function shapeOf(route: RouteDefinition): RouteShape {
  openApi ??= buildOpenApiDocument();
  const operation = openApi.paths[route.path][route.method.toLowerCase()];
  const content = operation.requestBody?.content ?? {};
  const bodyType = Object.keys(content)[0];
  return {
    queryNames: operation.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name),
    bodyFields: Object.keys(bodyType ? (content[bodyType].schema.properties ?? {}) : {}),
    bodyType,
  };
}

/** A plausible body per operation (fresh email, voter id …), so mutations reach deep into the pipeline. */
function baseBody(route: RouteDefinition, fixtures: Fixtures): fc.Arbitrary<Record<string, unknown>> {
  const id = fc.uuid().map((uuid) => uuid.replaceAll('-', ''));
  switch (route.operationId) {
    case 'postComment':
      return id.map((unique) =>
        validComment({
          email: `c.${unique}@example.org`,
          page: '/posts/property',
          ...(unique < '8' ? { parentId: fixtures.commentId } : {}),
        }),
      );
    case 'postWish':
      return id.map((unique) => ({
        topic: 'Ein Thema für die Eigenschaftstests',
        email: `w.${unique}@example.org`,
        consent: true,
      }));
    case 'voteWish':
      // Half of the votes carry the address for the written mail, so mutations reach it too.
      return id.map((unique) => ({
        voterId: unique,
        ...(unique < '8' ? { email: `v.${unique}@example.org`, notifyWhenWritten: true } : {}),
      }));
    case 'unvoteWish':
      return id.map((unique) => ({ voterId: unique }));
    case 'commentStatus':
    case 'wishStatus':
      return ownStatusItems(fixtures).map((items) => ({ items }));
    case 'moderate':
    case 'confirm':
      return fc.constant({ t: 'v1.forged.token' });
    default:
      return fc.constant({});
  }
}

/**
 * The list her browser sends to POST …/status: real ids with their own key, another item's key or a
 * made-up one, ids of the other kind, unknown and malformed ids, hostile keys and entries, the same
 * id twice, and lists from empty to past LIMITS.ownStatus.maxItems.
 */
function ownStatusItems(fixtures: Fixtures): fc.Arbitrary<unknown[]> {
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(fixtures.commentId, fixtures.wishId) },
    { weight: 2, arbitrary: fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/) },
    { weight: 1, arbitrary: nastyString },
  );
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(fixtures.ownKeys.comment, fixtures.ownKeys.wish) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/) },
    { weight: 1, arbitrary: nastyString },
  );
  const item = fc.oneof(
    { weight: 8, arbitrary: fc.record({ id, key }) },
    { weight: 1, arbitrary: fc.record({ id, key, extra: nastyValue }) },
    { weight: 1, arbitrary: nastyValue },
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(item, { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc.array(fc.record({ id: fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/), key }), {
        minLength: LIMITS.ownStatus.maxItems - 1,
        maxLength: LIMITS.ownStatus.maxItems + 2,
      }),
    },
  );
}

function baseQuery(route: RouteDefinition): Record<string, string> {
  const shape = shapeOf(route);
  const known: Record<string, string> = {
    page: '/posts/property',
    pages: '/posts/property,/posts/other',
    order: 'newest',
    sort: 'votes',
    limit: '10',
    t: 'v1.forged.token',
  };
  return Object.fromEntries(
    shape.queryNames.filter((name) => name in known).map((name) => [name, known[name]!]),
  );
}

/** Replaces, adds or removes some fields: known ones, unknown ones and prototype keys. */
function mutated(baseArbitrary: fc.Arbitrary<Record<string, unknown>>, names: string[]) {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'extra') },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  const changes = fc.array(fc.tuple(key, fc.option(nastyValue, { nil: undefined, freq: 4 })), {
    maxLength: 3,
  });
  return fc.tuple(baseArbitrary, changes).map(([base, changes]) => {
    const entries = new Map(Object.entries(base));
    for (const [name, value] of changes) {
      if (value === undefined) entries.delete(name);
      else entries.set(name, value);
    }
    return entries;
  });
}

/** JSON text built by hand, so `__proto__` stays a literal key as an attacker would send it. */
function jsonText(entries: Map<string, unknown>): string {
  return `{${[...entries].map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`;
}

type Body =
  | { kind: 'text'; text: string; contentType?: string }
  | { kind: 'bytes'; bytes: Buffer; contentType?: string }
  | { kind: 'none' };

function bodyArbitrary(route: RouteDefinition, fixtures: Fixtures): fc.Arbitrary<Body> {
  const shape = shapeOf(route);
  const base = baseBody(route, fixtures);
  const names = shape.bodyFields.length > 0 ? shape.bodyFields : ['text'];
  const declared = shape.bodyType ?? 'application/json';
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant(declared) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/x-www-form-urlencoded',
        'text/plain',
        'multipart/form-data; boundary=x',
        'APPLICATION/JSON',
        'application/json; charset=latin1',
        'application/json;;;',
        ' application/json ',
        'application/jsonx',
        '\u0000',
        'a'.repeat(5000),
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const asText = (text: string) =>
    contentType.map((type): Body => ({ kind: 'text', text, contentType: type }));
  const encode = (entries: Map<string, unknown>) =>
    declared === 'application/x-www-form-urlencoded'
      ? new URLSearchParams(
          [...entries].map(([name, value]) => [
            name,
            typeof value === 'string' ? value : JSON.stringify(value),
          ]),
        ).toString()
      : jsonText(entries);
  return fc.oneof(
    { weight: 8, arbitrary: mutated(base, names).chain((entries) => asText(encode(entries))) },
    {
      weight: 1,
      arbitrary: fc.tuple(mutated(base, names), fc.nat()).chain(([entries, cut]) => {
        const text = encode(entries);
        return asText(text.slice(0, cut % Math.max(1, text.length)));
      }),
    },
    { weight: 1, arbitrary: nastyValue.chain((value) => asText(JSON.stringify(value) ?? 'undefined')) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map(
        (bytes): Body => ({
          // Invalid UTF-8 inside otherwise plausible JSON, sent base64-encoded as API Gateway does.
          kind: 'bytes',
          bytes: Buffer.concat([
            Buffer.from('{"text":"'),
            Buffer.from([0xff, 0xfe, ...bytes]),
            Buffer.from('"}'),
          ]),
          contentType: declared,
        }),
      ),
    },
    {
      weight: 1,
      // Exactly at, one byte over and far over the body limit.
      arbitrary: fc.constantFrom(-1, 0, 1, LIMITS.bodyBytes).map((over): Body => {
        const filler = 'x'.repeat(Math.max(0, LIMITS.bodyBytes + over - 11));
        return { kind: 'text', text: `{"text":"${filler}"}`, contentType: declared };
      }),
    },
    {
      weight: 1,
      // A plausible body with a BOM in front, or sent base64-encoded as API Gateway sends binary types.
      arbitrary: fc.tuple(mutated(base, names), fc.boolean()).map(
        ([entries, bom]): Body => ({
          kind: 'bytes',
          bytes: Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(encode(entries))]),
          contentType: declared,
        }),
      ),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  );
}

/** Stands for a number no double holds: JSON.stringify cannot write one, so it is spliced in as text. */
const HUGE = 'HUGE_NUMBER';
const b64 = (value: unknown) =>
  Buffer.from(JSON.stringify(value).replaceAll(`"${HUGE}"`, '1e400')).toString('base64url');
const ULID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/**
 * Cursors a client could craft: random base64, JSON of the wrong shape, the right attributes with
 * empty, mistyped or out-of-range values, real cursors of other listings, and tampered real ones.
 */
export function cursorArbitrary(fixtures: Fixtures): fc.Arbitrary<string> {
  const keyValue = fc.oneof(
    fc.constantFrom(
      '',
      'COMMENT#',
      `COMMENT#${ULID}`,
      `WISH#${ULID}`,
      'PAGE#/posts/property',
      'BOARD',
      'C#',
      `W#${ULID}`,
    ),
    fc.constantFrom(0, -1, HUGE, -1e300, 1e200, 2 ** 64, 0.5, Number.MAX_SAFE_INTEGER + 2),
    fc.constantFrom(null, true, [], {}, { S: 'x' }, { N: '1' }),
    fc.string({ maxLength: 12 }),
  );
  const attribute = fc.constantFrom(
    'pk',
    'sk',
    'pub1pk',
    'pub1sk',
    'pub2pk',
    'pub2sk',
    'rankPk',
    'votes',
    'modPk',
    'modSk',
    '__proto__',
  );
  const shapedKey = fc.dictionary(attribute, keyValue, { minKeys: 1, maxKeys: 5 }).map(b64);
  const real = fixtures.cursors.length > 0 ? fc.constantFrom(...fixtures.cursors) : fc.constant('');
  const tampered = fc
    .tuple(real, fc.nat(), fc.constantFrom('A', '_', '-', '=', '%', ''))
    .map(([cursor, at, char]) => {
      const i = at % Math.max(1, cursor.length);
      return cursor.slice(0, i) + char + cursor.slice(i + 1);
    });
  // Real keys with one attribute emptied, mistyped or out of range, or moved to another page.
  const reshaped = real
    .map((cursor) => {
      try {
        const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
        const variants = Object.keys(key).flatMap((name) =>
          ['', HUGE, -1, 1e-200, 0.5, 'x'.repeat(300), null].map((value) => b64({ ...key, [name]: value })),
        );
        return [
          ...variants,
          b64({ ...key, extra: 'x' }),
          b64({ ...key, pub1pk: 'PAGE#/posts/other' }),
          b64([key]),
          Buffer.from(JSON.stringify(key)).toString('base64'),
        ];
      } catch {
        return [cursor];
      }
    })
    .chain((options) => fc.constantFrom(...options));
  return fc.oneof(
    real,
    tampered,
    { weight: 4, arbitrary: reshaped },
    shapedKey,
    fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
    fc.constantFrom('', '=', 'null', b64(null), b64(HUGE), b64('x'), b64({}), '1e400', 'e30', '%00'),
    fc.string({ maxLength: 40 }),
  );
}

/** Escapes that decode into trouble: NUL, double encoding, invalid UTF-8, lone surrogates, bidi overrides. */
const HOSTILE_ESCAPES = [
  '%00',
  '%2500',
  '%252F',
  '%C3%28',
  '%ED%A0%80',
  '%ED%BF%BF',
  '%E2%80%8B',
  '%E2%80%AE',
  '%EF%BB%BF',
  '%C2%AD',
  '%0A',
  '%FF',
  '%',
];

function queryArbitrary(route: RouteDefinition, fixtures: Fixtures): fc.Arbitrary<string> {
  const shape = shapeOf(route);
  const base = baseQuery(route);
  const names = shape.queryNames.length > 0 ? shape.queryNames : ['q'];
  const withCursor = shape.queryNames.includes('cursor')
    ? fc.tuple(fc.constant(base), cursorArbitrary(fixtures)).map(([query, cursor]) => {
        const search = new URLSearchParams(query);
        search.set('cursor', cursor);
        return search.toString();
      })
    : fc.constant(new URLSearchParams(base).toString());
  // A raw escape spliced into a known parameter, as a crafted link would send it (not re-encoded).
  const escaped = fc
    .tuple(
      fc.constantFrom(...(shape.queryNames.length ? shape.queryNames : ['q'])),
      fc.array(fc.constantFrom(...HOSTILE_ESCAPES), { minLength: 1, maxLength: 3 }),
      fc.string({ maxLength: 6 }),
    )
    .map(([name, escapes, text]) => {
      const search = new URLSearchParams(base);
      search.delete(name);
      const rest = search.toString();
      return `${rest ? `${rest}&` : ''}${name}=%2Fposts%2F${escapes.join(encodeURIComponent(text))}`;
    });
  const params = mutated(fc.constant(base), names).map((entries) => {
    const search = new URLSearchParams();
    for (const [name, value] of entries) {
      search.append(name, typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
    }
    return search.toString();
  });
  return fc.oneof(
    { weight: 6, arbitrary: params },
    { weight: 3, arbitrary: withCursor },
    { weight: 3, arbitrary: escaped },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%',
        '%E0%A4%A',
        '&&&==&',
        'page=%2F%00',
        'pages=%2500',
        'pages=%2F%2500,%2Fa',
        'page=%2Fa%ED%A0%80',
        'page=%2F%E2%80%8B%E2%80%8B',
        'page=/a&page=/b',
        '__proto__[x]=1',
        `page=${'a'.repeat(LIMITS.queryStringChars + 1)}`,
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  );
}

function pathArbitrary(route: RouteDefinition, fixtures: Fixtures): fc.Arbitrary<string> {
  if (!route.path.includes('{')) return fc.constant(route.path);
  const segment = fc.oneof(
    { weight: 6, arbitrary: fc.constant(fixtures.wishId) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(fixtures.commentId, '01ARZ3NDEKTSV4RRFFQ69G5FAV', '..', '%2e%2e', '%', ' '),
    },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('/')) },
  );
  return segment.map((value) => route.path.replace(/\{\w+\}/g, value));
}

export interface GeneratedRequest {
  event: APIGatewayProxyEventV2;
  describe: string;
}

export function requestArbitrary(route: RouteDefinition, fixtures: Fixtures): fc.Arbitrary<GeneratedRequest> {
  const headers = fc.record({
    'accept-language': fc.option(
      fc.oneof(
        fc.constantFrom(
          'de',
          'en-GB,en;q=0.9',
          'fr',
          '*',
          ';;;q=x',
          '',
          'en;q=NaN,de;q=-1',
          'de;q=1e400',
          ',,,',
        ),
        fc.string({ maxLength: 30 }),
        fc.constant(`${'x-'.repeat(4000)}en`),
      ),
      { nil: undefined },
    ),
    // A header far longer than any real one (API Gateway takes 10 KB in all).
    'x-forwarded-for': fc.option(fc.constantFrom('a'.repeat(9000), '\u0000', '203.0.113.1, ::1, nonsense'), {
      nil: undefined,
      freq: 8,
    }),
    'idempotency-key': fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.uuid() },
      // One key for many different bodies: the second use is a 422.
      { weight: 1, arbitrary: fc.constant(`k-${randomBytes(8).toString('hex')}`) },
      { weight: 1, arbitrary: fc.string({ maxLength: 140 }) },
    ),
    origin: fc.oneof(
      { weight: 17, arbitrary: fc.constant(TEST_ORIGIN) },
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('https://evil.example', 'null') },
    ),
  });
  return fc
    .tuple(
      pathArbitrary(route, fixtures),
      queryArbitrary(route, fixtures),
      bodyArbitrary(route, fixtures),
      headers,
    )
    .map(([path, rawQueryString, body, headerValues]) => {
      const allHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(headerValues))
        if (value !== undefined) allHeaders[name] = value;
      if (body.kind !== 'none' && body.contentType) allHeaders['content-type'] = body.contentType;
      const event = toApiGatewayEvent({
        method: route.method,
        path,
        rawQueryString,
        headers: allHeaders,
        body: body.kind === 'text' ? body.text : body.kind === 'bytes' ? body.bytes : undefined,
        sourceIp: '203.0.113.50',
      });
      if (body.kind === 'bytes')
        Object.assign(event, { body: body.bytes.toString('base64'), isBase64Encoded: true });
      const shown = body.kind === 'text' ? body.text.slice(0, 300) : body.kind;
      return { event, describe: `${route.method} ${path}?${rawQueryString.slice(0, 200)} ${shown}` };
    });
}

// ---------------------------------------------------------------------------------------------
// Checks

/** A fingerprint of every item in the table: any write shows as a change. */
export async function tableFingerprint(stack: TestStack): Promise<string> {
  const items = (await stack.dump()).map((item) => JSON.stringify(item, Object.keys(item).sort())).sort();
  return createHash('sha256').update(items.join('\n')).digest('hex');
}

export function expectWellFormed(route: RouteDefinition, response: CallResult, request: GeneratedRequest) {
  const context = `${request.describe} → ${response.status} ${response.text.slice(0, 300)}`;
  if (response.status >= 500) throw new Error(`5xx for ${context}`);
  // An error is never kept by CloudFront or a browser; a successful public read always may be.
  const shared = /\bpublic\b/.test(response.headers['cache-control'] ?? '');
  const publicRead = response.status === 200 && route.edge?.cache === 'public';
  if ((shared && response.status !== 200) || (publicRead && !shared)) {
    throw new Error(`cache-control ${response.headers['cache-control']} for ${context}`);
  }
  if (response.status < 400) return;
  const type = response.headers['content-type'] ?? '';
  // The moderation, reader and desk links answer people in a browser with an HTML page; the API answers JSON.
  if (
    (route.group === 'moderation' || route.group === 'readers' || route.html) &&
    type.startsWith('text/html')
  )
    return;
  if (!type.startsWith('application/json')) throw new Error(`4xx without JSON for ${context}`);
  const error = response.body?.error;
  const wellFormed =
    typeof error?.code === 'string' &&
    typeof error.message === 'string' &&
    error.message.length > 0 &&
    Array.isArray(error.fields) &&
    error.fields.every(
      (field: any) =>
        typeof field.field === 'string' &&
        typeof field.code === 'string' &&
        typeof field.message === 'string',
    );
  if (!wellFormed) throw new Error(`error shape broken for ${context}`);
  if (error.code === 'invalid_input' && error.fields.length === 0) {
    throw new Error(`invalid_input without a field for ${context}`);
  }
}

/** Reads with the keys in a POST body: they answer, and never change anything. */
const OWN_STATUS_ROUTES = ['commentStatus', 'wishStatus'];

/**
 * An answer of POST …/status names exactly the ids asked for, and says more than `gone` only for
 * an item of its own kind asked with the very key it was sent with: nobody learns of another's item.
 */
function expectOwnStatusAnswer(
  route: RouteDefinition,
  response: CallResult,
  request: GeneratedRequest,
  fixtures: Fixtures,
) {
  if (!OWN_STATUS_ROUTES.includes(route.operationId) || response.status !== 200) return;
  const { body, isBase64Encoded } = request.event;
  const text = isBase64Encoded ? Buffer.from(body ?? '', 'base64').toString('utf8') : (body ?? '');
  const items = JSON.parse(text.replace(/^\uFEFF/, '')).items as { id: string; key: string }[];
  const own =
    route.operationId === 'commentStatus'
      ? { id: fixtures.commentId, key: fixtures.ownKeys.comment }
      : { id: fixtures.wishId, key: fixtures.ownKeys.wish };
  const expected = Object.fromEntries(
    items.map(({ id, key }) => [id, id === own.id && key === own.key ? 'visible' : 'gone']),
  );
  if (JSON.stringify(response.body.statuses) !== JSON.stringify(expected))
    throw new Error(`${request.describe} → ${response.text} (expected ${JSON.stringify(expected)})`);
}

// ---------------------------------------------------------------------------------------------
// The property, per route

/** Drives each route that `select` picks with generated requests through its real handler. */
export function describeRoutes(
  title: string,
  routes: readonly RouteDefinition[],
  setup: () => Promise<{ stack: TestStack; fixtures: Fixtures }>,
) {
  describe(title, () => {
    let stack: TestStack;
    let fixtures: Fixtures;
    // The fixtures (comments and wishes on two listings, their cursors) take a while on a busy machine.
    beforeAll(async () => {
      ({ stack, fixtures } = await setup());
    }, 120_000);

    it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
      '%s: never 5xx, errors name fields, a 4xx stores nothing',
      async (_name, route) => {
        const handler = handlerFor(route);
        await fc.assert(
          fc.asyncProperty(requestArbitrary(route, fixtures), async (request) => {
            const before = await tableFingerprint(stack);
            const errorLines = captureErrorLog();
            const response = await callWithEvent(handler, request.event).finally(errorLines.stop);
            expectWellFormed(route, response, request);
            if (errorLines.lines.length > 0)
              throw new Error(`${request.describe} → ERROR log: ${errorLines.lines[0]!.slice(0, 300)}`);
            expectOwnStatusAnswer(route, response, request, fixtures);
            const changesAllowed =
              response.status < 400 &&
              route.method !== 'GET' &&
              !OWN_STATUS_ROUTES.includes(route.operationId);
            if (!changesAllowed && (await tableFingerprint(stack)) !== before) {
              throw new Error(`${request.describe} → ${response.status} changed the table`);
            }
          }),
          { numRuns: RUNS },
        );
      },
      120_000,
    );
  });
}
