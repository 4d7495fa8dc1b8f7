/**
 * Signed out, she opens a desk page (a link in a moderation mail, a bookmark): after signing in,
 * by the mail link (perhaps opened on her phone) or by passkey, the desk opens that page, not the
 * inbox. A `next` that is not a desk page of this origin opens the inbox.
 */
import '../support/debug-log';
import fc from 'fast-check';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { deskReturnPath } from '../../functions/core/desk/return-path';
import { linkKey } from '../../functions/runtime/keys';
import { isSessionValid, logInWithLink } from '../../functions/usecases/desk';
import {
  cookieValue,
  csrfIn,
  DESK_ORIGIN,
  DESK_URL,
  deskGet,
  deskPost,
  SESSION_COOKIE,
} from '../support/desk';
import { parseMail, useCapturedMails } from '../support/outbox';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { createTestStack } from '../support/stack';

const mails = useCapturedMails();
const ATTEMPT_COOKIE = '__Host-leserpost-desk-passkey';
const JSON_ACCEPT = { accept: 'application/json' };

beforeAll(async () => {
  await createTestStack({ DESK_URL });
});

/** The `next` hidden field of each form in a page, in order, as the browser reads its value. */
const nextFields = (html: string) =>
  [...html.matchAll(/<input type="hidden" name="next" value="([^"]*)"/g)].map((match) =>
    match[1]!
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );

/** The login link of the one mail sent: the text part's, which the HTML part's link repeats. */
async function linkInMail(): Promise<URL> {
  expect(mails.sent).toHaveLength(1);
  const mail = await parseMail(mails.sent[0]!.raw);
  const link = /https:\/\/\S+\/login\/confirm\?\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error('No login link in the mail.');
  expect(mail.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
  return new URL(link);
}

/** The link's page and its button, as in another browser: what the link carries is all there is. */
async function signInByMailLink(link: URL) {
  const opened = await deskGet(`${link.pathname}${link.search}`);
  expect(opened.status).toBe(200);
  const [carried] = nextFields(opened.text);
  expect(carried).toBe(link.searchParams.get('next') ?? undefined);
  return deskPost('/desk/login/confirm', {
    t: link.searchParams.get('t')!,
    ...(carried ? { next: carried } : {}),
  });
}

/** The mail link's way in, from the login page she was sent to, as a browser follows it. */
async function signInByMail(loginLocation: string) {
  const login = await deskGet(loginLocation);
  expect(login.status).toBe(200);
  const [field] = nextFields(login.text);
  const requested = await deskPost('/desk/login', {
    email: 'autorin@blog.example',
    ...(field ? { next: field } : {}),
  });
  expect(requested.status).toBe(303);
  return signInByMailLink(await linkInMail());
}

describe('after signing in, the desk opens the page she asked for', () => {
  it('by the mail link: wishes tab → sign-in → mail → confirm → that very tab', async () => {
    const asked = '/desk/wishes?status=accepted';
    const away = await deskGet(asked);
    expect(away.status).toBe(303);
    expect(away.headers.location).toBe(`/desk/login?next=${encodeURIComponent(asked)}`);

    const login = await deskGet(away.headers.location!);
    // Both ways in carry it: the mail form and the passkey form (which the script submits).
    expect(nextFields(login.text)).toEqual([asked, asked]);
    expect(login.text).toContain('<form method="post" action="/desk/passkeys/login"');
    // Switching to English keeps it.
    expect(login.text).toContain(`href="/desk/login?next=${encodeURIComponent(asked)}&amp;lang=en"`);

    const requested = await deskPost('/desk/login', { email: 'autorin@blog.example', next: asked });
    expect(requested.headers.location).toBe(`/desk/login?sent=1&next=${encodeURIComponent(asked)}`);
    const link = await linkInMail();
    expect(link.searchParams.get('next')).toBe(asked);
    // The link's page in English keeps the token and where she was going.
    const linkPage = await deskGet(`${link.pathname}${link.search}`);
    expect(linkPage.text).toContain(
      `href="${`${link.pathname}${link.search}`.replace(/&/g, '&amp;')}&amp;lang=en"`,
    );

    const confirmed = await signInByMailLink(link);
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(asked);
    const session = cookieValue(confirmed.cookies, SESSION_COOKIE)!;
    expect(await isSessionValid(session, new Date())).toBe(true);
    const opened = await deskGet(confirmed.headers.location!, session);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('<a href="/desk/wishes?status=accepted" aria-current="page">');
  });

  it('a comment page from a moderation mail, the whole way through the pages', async () => {
    const asked = '/desk/comments/01J0000000000000000000000A';
    const away = await deskGet(asked);
    const confirmed = await signInByMail(away.headers.location!);
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(asked);
  });

  it('the inbox itself, and a form posted without a session, sign in to the inbox with no `next`', async () => {
    const inbox = await deskGet('/desk');
    expect(inbox.headers.location).toBe('/desk/login');
    const posted = await deskPost('/desk/settings', { csrf: 'x' });
    expect(posted.headers.location).toBe('/desk/login');
    const confirmed = await signInByMail('/desk/login');
    expect(confirmed.headers.location).toBe('/desk');
    // No `next` in a link for the inbox: the link stays as it always was.
    expect(mails.sent).toHaveLength(1);
  });

  it('a refused link keeps where she was going for the next try', async () => {
    const key = await linkKey('author');
    const expired = issueLoginToken(key, new Date(Date.now() - 16 * 60 * 1000));
    const late = await deskPost('/desk/login/confirm', { t: expired, next: '/desk/compliments?q=dank' });
    expect(late.status).toBe(400);
    expect(late.text).toContain('href="/desk/login?next=%2Fdesk%2Fcompliments%3Fq%3Ddank"');
  });

  it.each([
    ['another host', '//evil.example/desk'],
    ['a backslash host', '/\\evil.example'],
    ['a scheme', 'https://evil.example/desk/wishes'],
    ['the login page', '/desk/login?next=%2Fdesk'],
    ['the logout', '/desk/logout'],
    ['an encoded way out', '/desk%2F..%2F..%2Fevil'],
    ['encoded slashes', '/%2F%2Fevil.example'],
    ['dot segments', '/desk/../../evil'],
    ['a header break', '/desk\r\nSet-Cookie: x=1'],
  ])(
    'a hostile next (%s) lands on the inbox, from the link and from a forged form',
    async (_what, hostile) => {
      const login = await deskGet(`/desk/login?next=${encodeURIComponent(hostile)}`);
      expect(login.status).toBe(200);
      expect(nextFields(login.text)).toEqual([]);
      await deskPost('/desk/login', { email: 'autorin@blog.example', next: hostile });
      const link = await linkInMail();
      expect(link.searchParams.has('next')).toBe(false);
      const opened = await deskGet(`${link.pathname}${link.search}&next=${encodeURIComponent(hostile)}`);
      expect(nextFields(opened.text)).toEqual([]);
      const confirmed = await deskPost('/desk/login/confirm', {
        t: link.searchParams.get('t')!,
        next: hostile,
      });
      expect(confirmed.status).toBe(303);
      expect(confirmed.headers.location).toBe('/desk');
    },
  );

  it('generated hostile addresses and `next` values at the query string always sign in to a desk page of this origin', async () => {
    const key = await linkKey('author');
    const piece = fc.oneof(
      fc.constantFrom(
        '/',
        '//',
        '\\',
        '..',
        '%2F',
        '%5C',
        '%2e',
        '%0d%0a',
        '?',
        '#',
        '&next=',
        'evil.example',
      ),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/desk', '/desk/wishes', '/desk/comments', '/desk/login', '/desk/x'),
        fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join('')),
        fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join('')),
        async (path, query, next) => {
          // A signed-out page view with a hostile query: the sign-in's `next` is a desk page or none.
          const away = await deskGet(`${path}?${query}`);
          if (away.status === 303) {
            const carried = new URL(away.headers.location!, DESK_ORIGIN).searchParams.get('next');
            if (carried !== null) expect(deskReturnPath(carried)).toBe(carried);
          }
          // The login page itself with it: a hidden field only for a desk page.
          for (const value of nextFields(away.text ?? '')) expect(deskReturnPath(value)).toBe(value);
          // A confirm with a hostile `next` (raw in the query of the form's body).
          const token = issueLoginToken(key, new Date());
          const confirmed = await deskPost('/desk/login/confirm', {
            t: token,
            next: new URLSearchParams(`next=${next}`).get('next')!,
          });
          expect(confirmed.status).toBe(303);
          const target = new URL(confirmed.headers.location!, DESK_ORIGIN);
          expect(target.origin).toBe(DESK_ORIGIN);
          expect(target.pathname === '/desk' || target.pathname.startsWith('/desk/')).toBe(true);
          expect(target.pathname).not.toMatch(/^\/desk\/log(in|out)\b/i);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('by passkey: the login page’s passkey form brings her to the page she asked for', async () => {
    // A passkey of this desk, added in a session as at the settings page.
    const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
    if (!login.ok) throw new Error('no session');
    const csrf = csrfIn((await deskGet('/desk/settings', login.sessionId)).text);
    const registration = await deskPost('/desk/passkeys/options', { csrf }, login.sessionId, JSON_ACCEPT);
    const authenticator = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);
    const credential = JSON.stringify(authenticator.register(registration.body));
    expect(
      (await deskPost('/desk/passkeys', { csrf, name: 'iPhone', credential }, login.sessionId)).status,
    ).toBe(303);

    const asked = '/desk/settings';
    const away = await deskGet(asked);
    const page = await deskGet(away.headers.location!);
    const [, passkeyField] = nextFields(page.text);
    expect(passkeyField).toBe(asked);
    const challenge = await deskPost('/desk/passkeys/login/options', {}, undefined, JSON_ACCEPT);
    const attempt = cookieValue(challenge.cookies, ATTEMPT_COOKIE)!;
    const signedIn = await deskPost(
      '/desk/passkeys/login',
      { credential: JSON.stringify(authenticator.assert(challenge.body)), next: passkeyField! },
      undefined,
      { cookie: `${ATTEMPT_COOKIE}=${attempt}` },
    );
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe(asked);
    expect(await isSessionValid(cookieValue(signedIn.cookies, SESSION_COOKIE), new Date())).toBe(true);
  });
});
