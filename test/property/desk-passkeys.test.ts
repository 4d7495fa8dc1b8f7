/**
 * The passkey routes with generated hostile answers: garbage and truncated JSON, nasty values in
 * every field, real answers with one field mutated, other challenges and origins, replays, wrong
 * cookies, content types, encodings and oversized bodies. Each answer is a 4xx (a page, or JSON
 * naming the field when asked for JSON), never a 5xx or an ERROR log line, and no passkey or
 * session is stored (only challenges come and go).
 */
import '../support/error-log';
import fc from 'fast-check';
import { toApiGatewayEvent } from '../../dev/http-adapter';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { LIMITS } from '../../functions/core/limits';
import { handler } from '../../functions/handlers/desk';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { csrfIn, DESK_ORIGIN, DESK_URL, deskGet, deskPost } from '../support/desk';
import { captureErrorLog } from '../support/error-log';
import { type Answer, SoftAuthenticator } from '../support/soft-authenticator';
import { callWithEvent, createTestStack, type TestStack } from '../support/stack';
import { nastyValue, RUNS } from './requests';

const ATTEMPT_COOKIE = '__Host-leserpost-desk-passkey';
let stack: TestStack;
let session: string;
let csrf: string;
const authenticator = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);

beforeAll(async () => {
  stack = await createTestStack({ DESK_URL });
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  session = login.sessionId;
  csrf = csrfIn((await deskGet('/desk/settings', session)).text);
  // One real passkey, so a mutated sign-in answer reaches the signature check.
  const options = (
    await deskPost('/desk/passkeys/options', { csrf }, session, { accept: 'application/json' })
  ).body;
  const added = await deskPost(
    '/desk/passkeys',
    { csrf, name: 'Echt', credential: JSON.stringify(authenticator.register(options)) },
    session,
  );
  if (added.status !== 303) throw new Error(`no passkey: ${added.text.slice(0, 200)}`);
}, 120_000);

/** Passkeys and sessions: what a refused answer must never add or change. */
async function lasting(): Promise<string> {
  const items = await stack.dump();
  return items
    .filter((item) => !String(item.pk).startsWith('DESK#PASSKEYCHALLENGE#'))
    .map((item) => JSON.stringify(item, Object.keys(item).sort()))
    .sort()
    .join('\n');
}

async function freshChallenge(kind: 'register' | 'login'): Promise<{ challenge: string; attempt?: string }> {
  if (kind === 'register') {
    const reply = await deskPost('/desk/passkeys/options', { csrf }, session, { accept: 'application/json' });
    return { challenge: reply.body.challenge };
  }
  const reply = await deskPost('/desk/passkeys/login/options', {}, undefined, { accept: 'application/json' });
  const cookie = reply.cookies.find((c) => c.startsWith(`${ATTEMPT_COOKIE}=`))!;
  return { challenge: reply.body.challenge, attempt: cookie.slice(ATTEMPT_COOKIE.length + 1).split(';')[0] };
}

const b64 = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
  fc.constantFrom('', '=', 'AAAA', 'a'.repeat(2001), '%00', 'null'),
);

/** Mutations of a real answer: one field replaced by something hostile, or the whole thing broken. */
type Mutation = (answer: Answer) => unknown;
const mutation: fc.Arbitrary<[string, Mutation]> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'clientDataJSON',
        'attestationObject',
        'authenticatorData',
        'signature',
        'userHandle',
        'transports',
      ),
      fc.oneof(b64, nastyValue),
    )
    .map(([field, value]): [string, Mutation] => [
      `response.${field}=${JSON.stringify(value)?.slice(0, 60)}`,
      (answer) => ({ ...answer, response: { ...answer.response, [field]: value } }),
    ]),
  fc
    .tuple(fc.constantFrom('id', 'rawId', 'type', 'response'), nastyValue)
    .map(([field, value]): [string, Mutation] => [
      `${field}=${JSON.stringify(value)?.slice(0, 60)}`,
      (answer) => ({ ...answer, [field]: value }),
    ]),
  fc
    .tuple(fc.constantFrom('type', 'challenge', 'origin'), fc.oneof(nastyValue, fc.string({ maxLength: 50 })))
    .map(([field, value]): [string, Mutation] => [
      `clientData.${field}=${JSON.stringify(value)?.slice(0, 60)}`,
      (answer) => {
        const data = JSON.parse(
          Buffer.from(answer.response.clientDataJSON as string, 'base64url').toString(),
        );
        const changed = Buffer.from(JSON.stringify({ ...data, [field]: value })).toString('base64url');
        return { ...answer, response: { ...answer.response, clientDataJSON: changed } };
      },
    ]),
  fc
    .nat({ max: 300 })
    .map((cut): [string, Mutation] => [`cut at ${cut}`, (a) => JSON.stringify(a).slice(0, cut)]),
  fc
    .string({ maxLength: 300 })
    .map((text): [string, Mutation] => [`text ${JSON.stringify(text).slice(0, 60)}`, () => text]),
  nastyValue.map((value): [string, Mutation] => [
    `value ${JSON.stringify(value)?.slice(0, 60)}`,
    () => value,
  ]),
);

/**
 * Fields one ceremony does not read (the other's), and transports (a hint for the browser: an
 * unknown one is dropped, not refused): changing them leaves a valid answer valid.
 */
const unread = {
  register: /^response\.(authenticatorData|signature|userHandle|transports)=/,
  login: /^response\.(attestationObject|transports)=/,
};
const mutationFor = (kind: keyof typeof unread) => mutation.filter(([what]) => !unread[kind].test(what));

interface Sent {
  path: string;
  body: string;
  contentType: string;
  accept: string;
  cookie: string;
  base64: boolean;
}

async function expectRefused(sent: Sent, describe: string): Promise<void> {
  const before = await lasting();
  const errors = captureErrorLog();
  const event = toApiGatewayEvent({
    method: 'POST',
    path: sent.path,
    headers: {
      origin: DESK_ORIGIN,
      ...(sent.contentType ? { 'content-type': sent.contentType } : {}),
      ...(sent.accept ? { accept: sent.accept } : {}),
      ...(sent.cookie ? { cookie: sent.cookie } : {}),
    },
    body: sent.body,
  });
  if (sent.base64)
    Object.assign(event, { body: Buffer.from(sent.body).toString('base64'), isBase64Encoded: true });
  const response = await callWithEvent(handler as never, event).finally(errors.stop);
  const context = `${describe} → ${response.status} ${response.text.slice(0, 300)}`;
  if (response.status < 400 || response.status >= 500) throw new Error(`not a 4xx: ${context}`);
  if (errors.lines.length > 0) throw new Error(`ERROR log: ${context}`);
  const type = response.headers['content-type'] ?? '';
  if (sent.accept === 'application/json') {
    if (!type.startsWith('application/json')) throw new Error(`no JSON: ${context}`);
    const fields = response.body?.error?.fields ?? [];
    if (response.status === 400 && !(typeof fields[0]?.field === 'string' && fields[0].field.length > 0))
      throw new Error(`400 without a field: ${context}`);
  } else if (!type.startsWith('text/html')) {
    throw new Error(`no page: ${context}`);
  }
  if ((await lasting()) !== before) throw new Error(`stored something: ${context}`);
}

const envelope = fc.record({
  accept: fc.constantFrom('application/json', '', 'text/html'),
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') },
    { weight: 1, arbitrary: fc.constantFrom('', 'application/json', 'text/plain', 'multipart/form-data') },
  ),
  base64: fc.boolean(),
});

describe('POST /desk/passkeys (add) with generated hostile answers', () => {
  it('is a 4xx, never a 5xx, and stores no passkey', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutationFor('register'),
        envelope,
        fc.boolean(),
        async ([what, mutate], env, realChallenge) => {
          const stranger = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);
          const challenge = realChallenge ? (await freshChallenge('register')).challenge : 'B'.repeat(43);
          const answer = mutate(stranger.register({ challenge, user: { id: 'AAAA' } }));
          const credential = typeof answer === 'string' ? answer : (JSON.stringify(answer) ?? '');
          await expectRefused(
            {
              path: '/desk/passkeys',
              body: new URLSearchParams({ csrf, name: 'Gerät', credential }).toString(),
              cookie: `__Host-leserpost-desk=${session}`,
              ...env,
            },
            `${what} ${JSON.stringify(env)} real=${realChallenge}`,
          );
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});

describe('POST /desk/passkeys/login with generated hostile answers', () => {
  it('is a 4xx, never a 5xx, and opens no session', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutationFor('login'),
        envelope,
        fc.constantFrom('fresh', 'none', 'other', 'garbage'),
        async ([what, mutate], env, attemptKind) => {
          const { challenge, attempt } = await freshChallenge('login');
          const answer = mutate(authenticator.assert({ challenge }));
          const credential = typeof answer === 'string' ? answer : (JSON.stringify(answer) ?? '');
          const cookieValue = {
            fresh: attempt,
            none: undefined,
            other: (await freshChallenge('login')).attempt,
            garbage: '../;x',
          }[attemptKind];
          await expectRefused(
            {
              path: '/desk/passkeys/login',
              body: new URLSearchParams({ credential }).toString(),
              cookie: cookieValue ? `${ATTEMPT_COOKIE}=${cookieValue}` : '',
              ...env,
            },
            `${what} ${JSON.stringify(env)} attempt=${attemptKind}`,
          );
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('refuses a replayed real answer and an oversized body', async () => {
    const { challenge, attempt } = await freshChallenge('login');
    const real = JSON.stringify(authenticator.assert({ challenge }));
    const signedIn = await deskPost('/desk/passkeys/login', { credential: real }, undefined, {
      cookie: `${ATTEMPT_COOKIE}=${attempt}`,
    });
    expect(signedIn.status).toBe(303);
    const sent = {
      path: '/desk/passkeys/login',
      contentType: 'application/x-www-form-urlencoded',
      accept: 'application/json',
      cookie: `${ATTEMPT_COOKIE}=${attempt}`,
      base64: false,
    };
    await expectRefused({ ...sent, body: new URLSearchParams({ credential: real }).toString() }, 'replay');
    // Refused before the request is read, so as a page (the body's size is all there is to name).
    const huge = 'A'.repeat(LIMITS.bodyBytes + 1);
    await expectRefused(
      { ...sent, accept: '', body: new URLSearchParams({ credential: huge }).toString() },
      'oversized',
    );
    const long = JSON.stringify({ id: 'A'.repeat(LIMITS.desk.passkeyResponseMaxChars) });
    await expectRefused({ ...sent, body: new URLSearchParams({ credential: long }).toString() }, 'too long');
  });
});

describe('POST /desk/passkeys/remove with generated ids', () => {
  it('removes nothing it should not and never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 80 }), b64), async (id) => {
        const before = await lasting();
        const result = await deskPost('/desk/passkeys/remove', { csrf, id }, session);
        expect(result.status).toBe(303);
        expect(result.headers.location).toBe('/desk/settings?problem=passkey-gone');
        expect(await lasting()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
