/**
 * A link to the desk from another site (the WordPress plugin's settings page, her webmail) arrives
 * without the SameSite=Strict session cookie. The desk answers such a page view once with a page
 * that loads the same address from the desk itself (the browser then sends the cookie), and only
 * then, still without a session, asks her to sign in. The Chromium side is in
 * test/wordpress/plugin.test.ts (the plugin's links, signed in and not).
 */
import '../support/debug-log';
import fc from 'fast-check';
import { LIMITS } from '../../functions/core/limits';
import { startSession } from '../../functions/usecases/desk';
import { DESK_URL, deskGet, deskPost, SESSION_COOKIE } from '../support/desk';
import { createTestStack } from '../support/stack';

beforeAll(async () => {
  await createTestStack({ DESK_URL });
});

const FROM_ELSEWHERE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
const HOP_COOKIE = 'leserpost-desk-hop';

describe('a desk link from another site', () => {
  it('is answered once with a page that opens the same address from the desk itself', async () => {
    const hop = await deskGet('/desk/import?lang=en', undefined, FROM_ELSEWHERE);
    expect(hop.status).toBe(200);
    expect(hop.headers['cache-control']).toBe('no-store');
    expect(hop.text).toContain('<meta http-equiv="refresh" content="0">');
    // A link too, for a browser that does not refresh by itself; in the language asked for.
    expect(hop.text).toContain('<a href="/desk/import?lang=en">Desk');
    expect(hop.text).not.toMatch(/<form|csrf/);
    const marker = hop.cookies.find((c) => c.startsWith(`${HOP_COOKIE}=`));
    expect(marker).toBe(
      `leserpost-desk-hop=1; Path=/; Max-Age=${LIMITS.desk.crossSiteHopSeconds}; HttpOnly; SameSite=Lax; Secure`,
    );

    // The desk's own navigation that follows: without a session, the sign-in, then back to this page.
    const next = await deskGet('/desk/import?lang=en', undefined, {
      'sec-fetch-site': 'same-origin',
      'sec-fetch-mode': 'navigate',
      cookie: `${HOP_COOKIE}=1`,
    });
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe(`/desk/login?next=${encodeURIComponent('/desk/import?lang=en')}`);
  });

  it('goes to the sign-in, never round again, when the browser still brings no session', async () => {
    const again = await deskGet('/desk', undefined, { ...FROM_ELSEWHERE, cookie: `${HOP_COOKIE}=1` });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/desk/login');
  });

  it('opens the page at once for a session, and lets the marker go', async () => {
    // Signed in (as by her mail link: the session the link would start).
    const session = await startSession(new Date());
    const page = await deskGet('/desk/import', undefined, {
      ...FROM_ELSEWHERE,
      cookie: `${SESSION_COOKIE}=${session}; ${HOP_COOKIE}=1`,
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1');
    expect(page.text).not.toContain('http-equiv="refresh"');
    expect(page.cookies.find((c) => c.startsWith(`${HOP_COOKIE}=`))).toMatch(/Max-Age=0;/);
  });

  it('sends an expired or made-up session to the sign-in, not round', async () => {
    const stale = await deskGet('/desk', 'made-up-session', FROM_ELSEWHERE);
    expect(stale.status).toBe(303);
    expect(stale.headers.location).toBe('/desk/login');
  });

  it('hops only for a page view from another site: any other request headers go as before', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(
            'cross-site',
            'same-site',
            'same-origin',
            'none',
            '',
            'CROSS-SITE',
            'cross-site, x',
          ),
          fc.string({ maxLength: 20 }),
        ),
        fc.oneof(
          fc.constantFrom('navigate', 'no-cors', 'cors', '', 'Navigate'),
          fc.string({ maxLength: 20 }),
        ),
        fc.constantFrom('/desk', '/desk/import', '/desk/comments', '/desk/settings'),
        fc.string({ maxLength: 40 }),
        async (site, mode, path, query) => {
          const asked = await deskGet(`${path}?q=${encodeURIComponent(query)}`, undefined, {
            'sec-fetch-site': site,
            'sec-fetch-mode': mode,
          });
          const hops = site === 'cross-site' && mode === 'navigate';
          expect(asked.status).toBe(hops ? 200 : 303);
          if (hops) expect(asked.text).toContain('http-equiv="refresh"');
          else
            expect(asked.headers.location).toBe(
              `/desk/login?next=${encodeURIComponent(`${path}?${new URLSearchParams({ q: query })}`)}`,
            );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never hops a POST: a form from another site is refused as before', async () => {
    const posted = await deskPost('/desk/settings', {}, undefined, {
      ...FROM_ELSEWHERE,
      origin: 'https://elsewhere.example',
    });
    expect(posted.status).toBe(403);
    expect(posted.text).not.toContain('http-equiv="refresh"');
  });
});
