/**
 * Passkeys at the desk against DynamoDB Local, with a software authenticator answering as a
 * browser would: add one in the settings, sign in with it, remove it; and every way a ceremony
 * can go wrong (replay, another challenge, origin, session or attempt, expiry, a copied key, a bad
 * signature) is a 4xx with her message, and stores nothing.
 */
import '../support/debug-log';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { LIMITS } from '../../functions/core/limits';
import { formatLocalTime } from '../../functions/core/local-time';
import { handler as desk } from '../../functions/handlers/desk';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { logInWithPasskey, loginOptions } from '../../functions/usecases/passkeys';
import { setDateOnly } from '../support/clock';
import {
  cookieValue,
  csrfIn,
  DESK_ORIGIN,
  DESK_URL,
  deskGet,
  deskPost,
  SESSION_COOKIE,
} from '../support/desk';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { call, createTestStack, type TestStack, useRateLimitScale } from '../support/stack';

const ATTEMPT_COOKIE = '__Host-leserpost-desk-passkey';
const JSON_ACCEPT = { accept: 'application/json' };
let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack({ DESK_URL, TIME_ZONE: 'Europe/Berlin' });
}, 120_000);

/** Everything in the table but passkey challenges and their counters (which come with every ceremony). */
async function lastingItems() {
  const items = await stack.dump();
  return items
    .filter((item) => !/^(DESK#PASSKEYCHALLENGE|RATE#passkey-login-ip)#/.test(String(item.pk)))
    .map((item) => JSON.stringify(item, Object.keys(item).sort()))
    .sort();
}

async function logIn(): Promise<string> {
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  return login.sessionId;
}

/** Asks for registration options as the settings page's script does. */
async function registrationOptionsFor(session: string) {
  const csrf = csrfIn((await deskGet('/desk/settings', session)).text);
  const reply = await deskPost('/desk/passkeys/options', { csrf }, session, JSON_ACCEPT);
  expect(reply.status).toBe(200);
  return { csrf, options: reply.body };
}

async function addPasskey(session: string, authenticator: SoftAuthenticator, name = 'iPhone') {
  const { csrf, options } = await registrationOptionsFor(session);
  return deskPost(
    '/desk/passkeys',
    { csrf, name, credential: JSON.stringify(authenticator.register(options)) },
    session,
  );
}

/** The login page's script: options (with the attempt cookie), then the form with the answer. */
async function loginChallenge() {
  const reply = await deskPost('/desk/passkeys/login/options', {}, undefined, JSON_ACCEPT);
  expect(reply.status).toBe(200);
  return { options: reply.body, attempt: cookieValue(reply.cookies, ATTEMPT_COOKIE)! };
}

function postLogin(answer: unknown, attempt: string | undefined, headers: Record<string, string> = {}) {
  return deskPost(
    '/desk/passkeys/login',
    { credential: typeof answer === 'string' ? answer : JSON.stringify(answer) },
    undefined,
    { ...(attempt ? { cookie: `${ATTEMPT_COOKIE}=${attempt}` } : {}), ...headers },
  );
}

async function signIn(authenticator: SoftAuthenticator) {
  const { options, attempt } = await loginChallenge();
  return postLogin(authenticator.assert(options), attempt);
}

describe('adding a passkey at the settings page', () => {
  it('asks for a discoverable passkey of this desk and lists it with its dates in the blog time zone', async () => {
    const session = await logIn();
    const before = await deskGet('/desk/settings', session);
    expect(before.text).toContain('Noch kein Passkey eingetragen.');
    expect(before.text).toMatch(/<script src="\/desk\/assets\/passkeys\.[0-9a-f]{10}\.js" defer>/);
    const { options } = await registrationOptionsFor(session);
    expect(options.rp.id).toBe('api.blog.example');
    expect(options.attestation).toBe('none');
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'preferred',
    });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const authenticator = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);
    const added = await addPasskey(session, authenticator, '  iPhone ');
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe('/desk/settings?done=passkey-added');
    const after = await deskGet('/desk/settings?done=passkey-added', session);
    expect(after.text).toContain('Der Passkey ist eingetragen.');
    expect(after.text).toContain('<strong>iPhone</strong>');
    expect(after.text).toContain('noch nie benutzt');
    // Shown in the blog's time zone (TIME_ZONE), as every desk date.
    const stored = (await stack.dump()).find((item) => item.credentialId === authenticator.id)!;
    expect(after.text).toContain(
      `Hinzugefügt: ${formatLocalTime(stored.createdAt as string, 'de', 'Europe/Berlin')}`,
    );

    // The same device again: the options exclude it, and a forced answer stores nothing.
    const { csrf, options: again } = await registrationOptionsFor(session);
    expect(again.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([authenticator.id]);
    const twice = await deskPost(
      '/desk/passkeys',
      { csrf, name: 'Nochmal', credential: JSON.stringify(authenticator.register(again)) },
      session,
    );
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('schon eingetragen');
  });

  it('refuses a replayed answer, a login challenge, another session and another origin, storing nothing', async () => {
    const session = await logIn();
    const other = await logIn();
    const { csrf, options } = await registrationOptionsFor(session);
    const authenticator = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);
    const answer = JSON.stringify(authenticator.register(options));

    const before = await lastingItems();
    // The challenge belongs to the first session: the second one cannot use it (and it is spent).
    const otherCsrf = csrfIn((await deskGet('/desk/settings', other)).text);
    const foreign = await deskPost(
      '/desk/passkeys',
      { csrf: otherCsrf, name: 'X', credential: answer },
      other,
    );
    expect(foreign.status).toBe(400);
    expect(foreign.text).toContain('anderen Fenster');
    const replay = await deskPost('/desk/passkeys', { csrf, name: 'X', credential: answer }, session);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('schon benutzt');
    expect(replay.text).toContain('credential.response.clientDataJSON.challenge');

    const { options: login } = await loginChallenge();
    const withLoginChallenge = await deskPost(
      '/desk/passkeys',
      {
        csrf,
        name: 'X',
        credential: JSON.stringify(authenticator.register({ ...options, challenge: login.challenge })),
      },
      session,
      JSON_ACCEPT,
    );
    expect(withLoginChallenge.status).toBe(400);
    expect(withLoginChallenge.body.error.fields[0]).toMatchObject({
      field: 'credential.response.clientDataJSON.challenge',
      code: 'unknown_or_used',
    });

    const { options: fresh } = await registrationOptionsFor(session);
    const elsewhere = await deskPost(
      '/desk/passkeys',
      {
        csrf,
        name: 'X',
        credential: JSON.stringify(authenticator.register(fresh, { origin: 'https://evil.example' })),
      },
      session,
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.text).toContain('nicht von der Adresse deines Schreibtischs');
    // Only challenges changed (issued, then taken): no passkey, no session stored.
    expect(await lastingItems()).toEqual(before);
  });

  it('needs a name, and names the field of a broken answer', async () => {
    const session = await logIn();
    const { csrf, options } = await registrationOptionsFor(session);
    const answer = JSON.stringify(new SoftAuthenticator('api.blog.example', DESK_ORIGIN).register(options));
    const nameless = await deskPost('/desk/passkeys', { csrf, name: ' ', credential: answer }, session);
    expect(nameless.status).toBe(400);
    expect(nameless.text).toContain('Gib dem Passkey einen Namen');
    const garbage = await deskPost('/desk/passkeys', { csrf, name: 'Laptop', credential: '{"id":' }, session);
    expect(garbage.status).toBe(400);
    expect(garbage.text).toContain('<code>credential</code> (invalid_json)');
    // The challenge survived both refusals: the real answer still works.
    const ok = await deskPost('/desk/passkeys', { csrf, name: 'Laptop', credential: answer }, session);
    expect(ok.status).toBe(303);
  });

  it('needs the form token and the desk Origin, like every desk POST', async () => {
    const session = await logIn();
    const { csrf } = await registrationOptionsFor(session);
    expect((await deskPost('/desk/passkeys/options', {}, session, JSON_ACCEPT)).status).toBe(403);
    expect(
      (
        await deskPost('/desk/passkeys/options', { csrf }, session, {
          ...JSON_ACCEPT,
          origin: 'https://evil.example',
        })
      ).status,
    ).toBe(403);
    expect(
      (await deskPost('/desk/passkeys/login/options', {}, undefined, { origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
  });
});

describe('signing in with a passkey', () => {
  const authenticator = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);
  let session: string;

  beforeAll(async () => {
    session = await logIn();
    expect((await addPasskey(session, authenticator, 'Laptop im Büro')).status).toBe(303);
  });

  it('shows the button on the login page (hidden until the script finds WebAuthn)', async () => {
    const page = await deskGet('/desk/login');
    expect(page.text).toMatch(/<form method="post" action="\/desk\/passkeys\/login"[^>]* hidden>/);
    expect(page.text).toContain('Mit Passkey anmelden');
  });

  it('speaks English too: the button, and why a passkey was refused', async () => {
    expect((await deskGet('/desk/login?lang=en')).text).toContain('Sign in with a passkey');
    expect((await deskGet('/desk/settings?lang=en', session)).text).toContain('Add a passkey');
    const { options, attempt } = await loginChallenge();
    const stranger = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);
    stranger.userHandle = authenticator.userHandle;
    const refused = await postLogin(stranger.assert(options), attempt, {
      cookie: `${ATTEMPT_COOKIE}=${attempt}; leserpost-desk-lang=en`,
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The desk does not know this passkey (any more).');
  });

  it('opens the same kind of session as the mail link, and records the use', async () => {
    const { options, attempt } = await loginChallenge();
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.rpId).toBe('api.blog.example');
    const result = await postLogin(authenticator.assert(options), attempt);
    expect(result.status).toBe(303);
    expect(result.headers.location).toBe('/desk');
    const cookie = result.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure$/);
    const newSession = cookieValue(result.cookies, SESSION_COOKIE)!;
    expect((await deskGet('/desk', newSession)).status).toBe(200);
    // The attempt cookie is spent.
    expect(result.cookies).toContain(
      `${ATTEMPT_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure`,
    );
    const settings = await deskGet('/desk/settings', newSession);
    expect(settings.text).toMatch(
      /<strong>Laptop im Büro<\/strong><p class="meta">Hinzugefügt: [^<]+ · Zuletzt benutzt: \d\d\.\d\d\.\d{4}, \d\d:\d\d</,
    );
  });

  it('refuses a replayed answer, a made-up challenge, another attempt and another origin', async () => {
    const { options, attempt } = await loginChallenge();
    const answer = authenticator.assert(options);
    expect((await postLogin(answer, attempt)).status).toBe(303);
    const replay = await postLogin(answer, attempt);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('schon benutzt');
    expect(replay.cookies.filter((c) => c.startsWith(`${SESSION_COOKIE}=`))).toEqual([]);

    const madeUp = await postLogin(authenticator.assert({ challenge: 'A'.repeat(43) }), attempt, JSON_ACCEPT);
    expect(madeUp.status).toBe(400);
    expect(madeUp.body.error.fields[0]).toMatchObject({
      field: 'credential.response.clientDataJSON.challenge',
      code: 'unknown_or_used',
    });

    const mine = await loginChallenge();
    const theirs = await loginChallenge();
    const crossed = await postLogin(authenticator.assert(mine.options), theirs.attempt);
    expect(crossed.status).toBe(400);
    expect(crossed.text).toContain('anderen Fenster');
    const noCookie = await postLogin(authenticator.assert(theirs.options), undefined, JSON_ACCEPT);
    expect(noCookie.status).toBe(400);
    expect(noCookie.body.error.fields[0].field).toBe('attempt');

    const later = await loginChallenge();
    const elsewhere = await postLogin(
      authenticator.assert(later.options, { origin: 'https://evil.example' }),
      later.attempt,
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.text).toContain('nicht von der Adresse deines Schreibtischs');
  });

  it('refuses a copied key (its counter went back), a bad signature and an unknown passkey', async () => {
    const before = authenticator.counter;
    const first = await loginChallenge();
    const copied = await postLogin(authenticator.assert(first.options, { counter: 1 }), first.attempt);
    expect(copied.status).toBe(400);
    expect(copied.text).toContain('ließ sich nicht bestätigen');
    authenticator.counter = before;

    const second = await loginChallenge();
    const answer = authenticator.assert(second.options);
    const signature = Buffer.from(answer.response.signature as string, 'base64url');
    signature[signature.length - 1] = signature[signature.length - 1]! ^ 1;
    const forged = await postLogin(
      { ...answer, response: { ...answer.response, signature: signature.toString('base64url') } },
      second.attempt,
    );
    expect(forged.status).toBe(400);
    expect(forged.cookies.filter((c) => c.startsWith(`${SESSION_COOKIE}=`))).toEqual([]);

    // A passkey made for this desk (same user handle) but not stored here, e.g. in another stack.
    const stranger = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);
    stranger.userHandle = authenticator.userHandle;
    const third = await loginChallenge();
    const unknown = await postLogin(stranger.assert(third.options), third.attempt);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('kennt der Schreibtisch nicht');
    // Both refused ceremonies left the counter where the last real sign-in put it.
    expect((await signIn(authenticator)).status).toBe(303);
  });

  it('refuses a challenge older than its limit', async () => {
    const issuedAt = new Date();
    const { options, attempt } = await loginOptions(issuedAt);
    const late = new Date(issuedAt.getTime() + 5 * 60 * 1000 + 1000);
    const result = await logInWithPasskey(attempt, JSON.stringify(authenticator.assert(options)), late);
    expect(result).toEqual({
      ok: false,
      field: 'credential.response.clientDataJSON.challenge',
      code: 'expired',
    });
  });

  it('keeps passkeys when she logs out everywhere; removing one closes that way in', async () => {
    const current = await logIn();
    const csrf = csrfIn((await deskGet('/desk', current)).text);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await deskPost('/desk/logout', { csrf, everywhere: '1' }, current);
    expect((await deskGet('/desk', current)).status).toBe(303);
    const back = await signIn(authenticator);
    expect(back.status).toBe(303);
    const fresh = cookieValue(back.cookies, SESSION_COOKIE)!;

    const settings = await deskGet('/desk/settings', fresh);
    const freshCsrf = csrfIn(settings.text);
    const id = /<strong>Laptop im Büro<\/strong>.*?name="id" value="([A-Za-z0-9_-]{43})"/.exec(
      settings.text,
    )![1]!;
    expect((await deskPost('/desk/passkeys/remove', { id }, fresh)).status).toBe(403);
    const removed = await deskPost('/desk/passkeys/remove', { csrf: freshCsrf, id }, fresh);
    expect(removed.headers.location).toBe('/desk/settings?done=passkey-removed');
    expect((await deskGet('/desk/settings?done=passkey-removed', fresh)).text).toContain(
      'Der Passkey ist entfernt',
    );
    const gone = await deskPost('/desk/passkeys/remove', { csrf: freshCsrf, id }, fresh);
    expect(gone.headers.location).toBe('/desk/settings?problem=passkey-gone');

    const refused = await signIn(authenticator);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('kennt der Schreibtisch nicht');
  });
});

describe('the limits', () => {
  it('takes a name of up to 60 characters, and up to 20 passkeys', async () => {
    const session = await logIn();
    const { csrf, options } = await registrationOptionsFor(session);
    const answer = JSON.stringify(new SoftAuthenticator('api.blog.example', DESK_ORIGIN).register(options));
    const long = await deskPost(
      '/desk/passkeys',
      { csrf, name: 'x'.repeat(61), credential: answer },
      session,
    );
    expect(long.status).toBe(400);
    expect(long.text).toContain('höchstens 60 Zeichen');
    const fits = await deskPost(
      '/desk/passkeys',
      { csrf, name: 'x'.repeat(60), credential: answer },
      session,
    );
    expect(fits.status).toBe(303);

    const count = () =>
      stack.dump().then((items) => items.filter((item) => item.pk === 'DESK#PASSKEYS').length);
    while ((await count()) < 20) {
      expect((await addPasskey(session, new SoftAuthenticator('api.blog.example', DESK_ORIGIN))).status).toBe(
        303,
      );
    }
    const full = await deskGet('/desk/settings', session);
    expect(full.text).toContain('Es sind schon 20 Passkeys eingetragen.');
    expect(full.text).not.toContain('data-passkey="register"');
    const refused = await deskPost('/desk/passkeys/options', { csrf }, session, JSON_ACCEPT);
    expect(refused.status).toBe(409);
    expect(refused.body.error.fields[0]).toMatchObject({ field: 'passkeys', code: 'too_many' });
  });
});

describe('sign-in challenges per network (as deployed: RATE_LIMIT_SCALE 1)', () => {
  useRateLimitScale('1');

  const options = (sourceIp: string, headers: Record<string, string> = {}) =>
    deskPost('/desk/passkeys/login/options', {}, undefined, { ...JSON_ACCEPT, ...headers }, sourceIp);
  const challenges = async () =>
    (await stack.dump()).filter((item) => String(item.pk).startsWith('DESK#PASSKEYCHALLENGE#')).length;

  it('answers 429 with Retry-After and what to do after the limit, storing no challenge; others and later pass', async () => {
    const windowMs = LIMITS.rate.windowSeconds * 1000;
    setDateOnly(new Date((Math.floor(Date.now() / windowMs) + 2) * windowMs + 1000));
    const ip = '198.51.100.60';
    for (let i = 0; i < LIMITS.desk.passkeyLoginOptionsPerClientPerWindow; i++) {
      expect((await options(ip)).status).toBe(200);
    }
    const before = await challenges();
    const german = await options(ip);
    expect(german.status).toBe(429);
    expect(german.headers['retry-after']).toBe(String(LIMITS.rate.windowSeconds - 1));
    expect(german.body.error.code).toBe('rate_limited');
    expect(german.body.error.fields[0]).toMatchObject({ field: 'passkey', code: 'passkey_login_limited' });
    expect(german.body.error.fields[0].message).toMatch(/in ein paar Minuten.*Anmeldelink per Mail/);
    expect(german.cookies).toEqual([]);
    const english = await options(ip, { 'accept-language': 'en' });
    expect(english.body.error.fields[0].message).toMatch(/in a few minutes.*login link sent to you by mail/);
    expect(await challenges()).toBe(before);
    // Another network is not affected; the next window opens the door again.
    expect((await options('198.51.100.61')).status).toBe(200);
    setDateOnly(new Date(Date.now() + windowMs));
    expect((await options(ip)).status).toBe(200);
  });
});

describe('the passkey script', () => {
  it('is served from its hash-named URL, cacheable, as JavaScript', async () => {
    const page = await deskGet('/desk/login');
    const src = /src="(\/desk\/assets\/passkeys\.[0-9a-f]{10}\.js)"/.exec(page.text)![1]!;
    const script = await call(desk as never, { method: 'GET', path: src, headers: { origin: '' } });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
    expect(script.text).toContain('navigator.credentials.get');
    // The script fetches its challenge from the desk, and from nowhere else.
    expect(page.headers['content-security-policy']).toContain("script-src 'self'; connect-src 'self';");
  });
});
