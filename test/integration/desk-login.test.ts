import '../support/debug-log';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { LIMITS } from '../../functions/core/limits';
import { useTransport } from '../../functions/notifier/transport';
import { ROUTES } from '../../functions/routes';
import { linkKey } from '../../functions/runtime/keys';
import { isSessionValid } from '../../functions/usecases/desk';
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
import { capturingTransport } from '../support/outbox';
import { createTestStack, type TestStack, useRateLimitScale } from '../support/stack';

const mails = capturingTransport();
let logged = '';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack({ DESK_URL, DESK_EMAILS: 'assistenz@blog.example' });
  useTransport(mails);
});
afterAll(() => useTransport(undefined));

beforeEach(() => {
  mails.sent.length = 0;
  logged = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    logged += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    logged += String(chunk);
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

/** The link in the one login mail that was sent. */
function linkInMail(): string {
  expect(mails.sent).toHaveLength(1);
  const raw = mails.sent[0]!.raw.toString('utf8')
    .replace(/=\r?\n/g, '')
    .replace(/=3D/g, '=');
  const match = /https:\/\/api\.blog\.example\/desk\/login\/confirm\?t=[A-Za-z0-9._%-]+/.exec(raw);
  if (!match) throw new Error('No login link in the mail.');
  return match[0];
}

async function logIn(): Promise<string> {
  await deskPost('/desk/login', { email: 'Autorin@Blog.example ' });
  const token = new URL(linkInMail()).searchParams.get('t')!;
  mails.sent.length = 0;
  const result = await deskPost('/desk/login/confirm', { t: token });
  return cookieValue(result.cookies, SESSION_COOKIE)!;
}

describe('desk login', () => {
  it('sends a link only to a desk address, and answers the same for any address', async () => {
    const stranger = await deskPost('/desk/login', { email: 'fremde@example.org' });
    expect(mails.sent).toHaveLength(0);
    const author = await deskPost('/desk/login', { email: 'autorin@blog.example' });
    const url = linkInMail();
    expect(author.status).toBe(stranger.status);
    expect(author.headers.location).toBe(stranger.headers.location);
    expect(stranger.headers.location).toBe('/desk/login?sent=1');
    expect(url.startsWith(`${DESK_URL}/login/confirm?t=`)).toBe(true);
    // The further desk address gets one too.
    mails.sent.length = 0;
    await deskPost('/desk/login', { email: 'assistenz@blog.example' });
    expect(mails.sent).toHaveLength(1);
    expect(mails.sent[0]!.to).toBe('assistenz@blog.example');
  });

  it('shows the link page with a button and logs nobody in on GET; the POST logs in once', async () => {
    await deskPost('/desk/login', { email: 'autorin@blog.example' });
    const token = new URL(linkInMail()).searchParams.get('t')!;
    const opened = await deskGet(`/desk/login/confirm?t=${encodeURIComponent(token)}`);
    expect(opened.status).toBe(200);
    expect(opened.cookies.filter((c) => c.startsWith(SESSION_COOKIE))).toEqual([]);
    expect(opened.text).toContain('<form method="post" action="/desk/login/confirm"');

    const first = await deskPost('/desk/login/confirm', { t: token });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/desk');
    const setCookie = first.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(setCookie).toMatch(/; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure$/);

    const replay = await deskPost('/desk/login/confirm', { t: token });
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('schon benutzt');
    expect(replay.cookies.filter((c) => c.startsWith(SESSION_COOKIE))).toEqual([]);
  });

  it('refuses expired and foreign links', async () => {
    const key = await linkKey('author');
    const expired = issueLoginToken(key, new Date(Date.now() - 16 * 60 * 1000));
    const late = await deskPost('/desk/login/confirm', { t: expired });
    expect(late.status).toBe(400);
    expect(late.text).toContain('abgelaufen');
    // Signed with another stack's key: forged here.
    const foreign = issueLoginToken(randomBytes(32), new Date());
    const forged = await deskPost('/desk/login/confirm', { t: foreign });
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('nicht echt');
    // A moderation-link signature over the same payload is no login link.
    const [nonce, expiry] = issueLoginToken(key, new Date()).split('.');
    const otherContext = createHmac('sha256', key).update(`${nonce}.${expiry}`).digest('base64url');
    expect((await deskPost('/desk/login/confirm', { t: `${nonce}.${expiry}.${otherContext}` })).status).toBe(
      400,
    );
  });

  it('a link works for 15 minutes; the session lasts 12 hours (cookie and stored session)', async () => {
    const key = await linkKey('author');
    const late = issueLoginToken(key, new Date(Date.now() - 14 * 60 * 1000));
    const result = await deskPost('/desk/login/confirm', { t: late });
    expect(result.status).toBe(303);
    const line = result.cookies.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))!;
    expect(line).toMatch(/; Max-Age=43200;/);
    const session = cookieValue(result.cookies, SESSION_COOKIE)!;
    const hours = (n: number) => new Date(Date.now() + n * 60 * 60 * 1000);
    expect(await isSessionValid(session, hours(11.9))).toBe(true);
    expect(await isSessionValid(session, hours(12.1))).toBe(false);
  });

  it('refuses a login POST from a foreign Origin or without one, as a page', async () => {
    for (const origin of ['https://evil.example', '']) {
      const result = await deskPost('/desk/login', { email: 'autorin@blog.example' }, undefined, { origin });
      expect(result.status).toBe(403);
      expect(result.headers['content-type']).toMatch(/^text\/html/);
      expect(result.text).toContain('nicht von deinem Schreibtisch');
    }
    expect(mails.sent).toHaveLength(0);
  });
});

describe('desk session', () => {
  it('lets a session in, checks the form token and the Origin on every POST', async () => {
    const session = await logIn();
    const inbox = await deskGet('/desk', session);
    expect(inbox.status).toBe(200);
    const csrf = csrfIn(inbox.text);
    const withoutToken = await deskPost('/desk', { do: 'approve:selected' }, session);
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.text).toContain('veraltet');
    const foreignOrigin = await deskPost('/desk', { csrf, do: 'approve:selected' }, session, {
      origin: 'https://evil.example',
    });
    expect(foreignOrigin.status).toBe(403);
    // The token of another session does not fit this one.
    const other = await logIn();
    const otherCsrf = csrfIn((await deskGet('/desk', other)).text);
    expect((await deskPost('/desk', { csrf: otherCsrf, do: 'approve:selected' }, session)).status).toBe(403);
    expect((await deskPost('/desk', { csrf, do: 'approve:selected' }, session)).status).toBe(303);
  });

  it('refuses a made-up or foreign session cookie', async () => {
    for (const value of [randomBytes(32).toString('base64url'), 'x', '../../etc']) {
      const result = await deskGet('/desk', value);
      expect(result.status).toBe(303);
      expect(result.headers.location).toBe('/desk/login');
    }
  });

  it('logs out this session, and everywhere', async () => {
    const one = await logIn();
    const two = await logIn();
    const csrf = csrfIn((await deskGet('/desk', one)).text);
    await deskPost('/desk/logout', { csrf }, one);
    expect((await deskGet('/desk', one)).status).toBe(303);
    expect((await deskGet('/desk', two)).status).toBe(200);
    const three = await logIn();
    const csrfThree = csrfIn((await deskGet('/desk', three)).text);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await deskPost('/desk/logout', { csrf: csrfThree, everywhere: '1' }, three);
    expect((await deskGet('/desk', two)).status).toBe(303);
    expect((await deskGet('/desk', three)).status).toBe(303);
  });

  it('sends every non-public desk route without a session to the login page (HTML) or 401 (JSON)', async () => {
    const deskRoutes = ROUTES.filter((route) => route.group === 'desk');
    expect(deskRoutes.length).toBeGreaterThan(3);
    for (const route of deskRoutes.filter((candidate) => !candidate.public)) {
      const path = route.path.replace(/\{[^}]+\}/g, 'x');
      const asPage =
        route.method === 'GET'
          ? await deskGet(path)
          : await deskPost(path, { csrf: 'x', do: 'approve:selected' });
      // A page she opened comes back after the sign-in; a posted form has no page to come back to.
      const back = route.method === 'GET' && path !== '/desk' ? `?next=${encodeURIComponent(path)}` : '';
      expect([route.operationId, asPage.status, asPage.headers.location]).toEqual([
        route.operationId,
        303,
        `/desk/login${back}`,
      ]);
      const asJson =
        route.method === 'GET'
          ? await deskGet(path, undefined, { accept: 'application/json' })
          : await deskPost(path, {}, undefined, { accept: 'application/json' });
      expect([route.operationId, asJson.status, asJson.body.error?.code]).toEqual([
        route.operationId,
        401,
        'login_required',
      ]);
    }
  });

  it('writes no email, token or session id into the log', async () => {
    await deskPost('/desk/login', { email: 'autorin@blog.example' });
    const token = new URL(linkInMail()).searchParams.get('t')!;
    const result = await deskPost('/desk/login/confirm', { t: token });
    const session = cookieValue(result.cookies, SESSION_COOKIE)!;
    await deskGet('/desk', session);
    await deskGet(`/desk/login/confirm?t=${token}`);
    expect(logged).toContain('request handled');
    for (const secret of [
      'autorin@blog.example',
      token,
      session,
      `${DESK_ORIGIN.replace('https://', '')}/desk/login/confirm?t`,
    ]) {
      expect(logged).not.toContain(secret);
    }
  });
});

describe('login link limits (as deployed: RATE_LIMIT_SCALE 1)', () => {
  const { loginLinkWindowSeconds, loginLinksPerAddressPerWindow, loginLinksPerClientPerWindow } = LIMITS.desk;
  useRateLimitScale('1');

  /** One second into a fresh address window (whole rate windows too), so no test straddles two. */
  function freshHour(offset: number): Date {
    const hourMs = loginLinkWindowSeconds * 1000;
    return new Date((Math.floor(Date.now() / hourMs) + 2 + offset) * hourMs + 1000);
  }
  const ask = (email: string, sourceIp: string) =>
    deskPost('/desk/login', { email }, undefined, {}, sourceIp);
  /** What the person at the form sees: status, where it leads, the page, its cookies. */
  const seen = (response: Awaited<ReturnType<typeof ask>>) => ({
    status: response.status,
    location: response.headers.location,
    text: response.text,
    cookies: response.cookies,
  });

  it('are the numbers the README names', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(loginLinkWindowSeconds).toBe(60 * 60);
    expect(LIMITS.rate.windowSeconds).toBe(10 * 60);
    expect(readme).toContain(
      `Login links go out at most ${loginLinksPerAddressPerWindow} per address per hour and ${loginLinksPerClientPerWindow} per network`,
    );
    expect(readme).toContain(
      `at most ${LIMITS.desk.passkeyLoginOptionsPerClientPerWindow} per network per 10 minutes`,
    );
  });

  it('mails a desk address only so often per hour, answering as for any address; then again', async () => {
    setDateOnly(freshHour(0));
    // From ever new networks: only the address limit is in play.
    for (let i = 0; i < loginLinksPerAddressPerWindow; i++) {
      expect((await ask('autorin@blog.example', `198.51.100.${10 + i}`)).status).toBe(303);
    }
    expect(mails.sent).toHaveLength(loginLinksPerAddressPerWindow);
    mails.sent.length = 0;
    // Spelled differently, still the same address.
    const limited = await ask(' Autorin@Blog.example', '198.51.100.40');
    const unknown = await ask('niemand@example.org', '198.51.100.41');
    expect(mails.sent).toHaveLength(0);
    expect(seen(limited)).toEqual(seen(unknown));
    expect(limited.headers.location).toBe('/desk/login?sent=1');
    // Another desk address is not affected.
    await ask('assistenz@blog.example', '198.51.100.42');
    expect(mails.sent.map((mail) => mail.to)).toEqual(['assistenz@blog.example']);
    mails.sent.length = 0;
    // An hour later she gets her link again.
    setDateOnly(freshHour(1));
    await ask('autorin@blog.example', '198.51.100.40');
    expect(linkInMail().startsWith(`${DESK_URL}/login/confirm?t=`)).toBe(true);
  });

  it('takes only so many link requests from one network, for any addresses; others and later pass', async () => {
    setDateOnly(freshHour(3));
    const flood = '203.0.113.77';
    for (let i = 0; i < loginLinksPerClientPerWindow; i++) {
      expect((await ask(`unbekannt-${i}@example.org`, flood)).status).toBe(303);
    }
    const limited = await ask('autorin@blog.example', flood);
    const unknown = await ask('niemand@example.org', '203.0.113.78');
    expect(mails.sent).toHaveLength(0);
    expect(seen(limited)).toEqual(seen(unknown));
    // Her own network is not affected.
    await ask('autorin@blog.example', '203.0.113.79');
    expect(mails.sent).toHaveLength(1);
    mails.sent.length = 0;
    // The next rate window opens the door again.
    setDateOnly(new Date(Date.now() + LIMITS.rate.windowSeconds * 1000));
    await ask('autorin@blog.example', flood);
    expect(mails.sent).toHaveLength(1);
  });

  it('refuses an address with a control or invisible character: 400 naming it, no mail, nothing counted', async () => {
    setDateOnly(freshHour(7));
    const hidden = fc.constantFrom(
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u200b',
      '\u202e',
      '\ufeff',
      '\u2066',
    );
    const at = fc.constantFrom('autorin@blog.example', 'assistenz@blog.example', 'jemand@example.org');
    await fc.assert(
      fc.asyncProperty(at, hidden, fc.nat(), async (address, char, where) => {
        const i = 1 + (where % (address.length - 1));
        const before = await stack.dump();
        const refused = await ask(address.slice(0, i) + char + address.slice(i), '192.0.2.44');
        expect(refused.status).toBe(400);
        expect(refused.text).toContain('aria-describedby="email-problem"');
        expect(mails.sent).toHaveLength(0);
        expect(await stack.dump()).toEqual(before);
      }),
      { numRuns: 25 },
    );
  });

  it('counts neither a refused form nor keeps an address or IP in its counters', async () => {
    setDateOnly(freshHour(5));
    for (let i = 0; i < loginLinksPerClientPerWindow + 2; i++) {
      expect((await ask('keine-adresse', '192.0.2.5')).status).toBe(400);
    }
    await ask('autorin@blog.example', '192.0.2.5');
    expect(mails.sent).toHaveLength(1);
    const counters = (await stack.dump()).filter((item) => String(item.pk).startsWith('RATE#desk-login'));
    expect(counters.length).toBeGreaterThan(0);
    const text = JSON.stringify(counters);
    expect(text).not.toMatch(/autorin|192\.0\.2\.5/i);
    expect(counters.every((item) => typeof item.expiresAt === 'number')).toBe(true);
  });
});
