import { renderInboxPage } from '../../functions/core/desk/inbox-page';
import { renderConfirmPage, renderErrorPage, renderLoginMail } from '../../functions/core/desk/login-pages';
import { DESK_CSS_FILE } from '../../functions/core/desk/style';
import { renderCommentMail } from '../../functions/core/mail/render';
import { readConfig } from '../../functions/runtime/config';

const frame = { lang: 'de' as const, siteName: 'Blog <b>&', csrf: 'tok"en' };
const ULID = '01J0000000000000000000000A';

describe('desk pages escape everything a reader or the link brought', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['" onmouseover="x', '&quot; onmouseover=&quot;x'],
    ["</p><img src=x onerror='y'>", '&lt;/p&gt;&lt;img src=x onerror=&#39;y&#39;&gt;'],
  ])('shows %j as text in the inbox', (hostile, shown) => {
    const html = renderInboxPage(frame, {
      comments: [
        { id: ULID, page: hostile, name: hostile, text: hostile, createdAt: '2026-11-29T10:00:00Z' },
      ],
      wishes: [
        { id: ULID, topic: hostile, details: hostile, requesterName: hostile, createdAt: 'not a date' },
      ],
      timeZone: 'Europe/Berlin',
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain(`<p class="text">${shown}</p>`);
    expect(html).toContain(`aria-label="Auswählen: ${shown}"`);
    // Attribute values are escaped too: the form token and the site name cannot break out.
    expect(html).toContain('value="tok&quot;en"');
    expect(html).toContain('Blog &lt;b&gt;&amp;');
  });

  it('shows a stored hold reason named like a property every object has as the word itself', () => {
    // A restored backup may carry any reason; `constructor` once showed Object's source in the inbox.
    const holdReasons = ['constructor', 'toString', '__proto__'];
    const html = renderInboxPage(frame, {
      comments: [
        { id: ULID, page: '/p', name: 'A', text: 'T', createdAt: '2026-07-01T22:30:00Z', holdReasons },
      ],
      wishes: [{ id: ULID, topic: 'W', requesterName: 'B', createdAt: '2026-07-01T22:30:00Z', holdReasons }],
      timeZone: 'Europe/Berlin',
    });
    expect(html).not.toMatch(/function |\[native code\]|\[object Object\]/);
    expect(html.split('constructor, toString, __proto__')).toHaveLength(3);
    const mail = renderCommentMail({
      site: {
        siteName: 'Blog',
        lang: 'de',
        allowedOrigins: ['https://blog.example'],
        timeZone: 'Europe/Berlin',
      },
      comment: { page: '/p', name: 'A', email: 'a@example.org', text: 'T', status: 'pending', holdReasons },
      links: [],
      linksExpireAt: new Date(),
    });
    expect(`${mail.text}${mail.html}`).not.toMatch(/function |\[native code\]|\[object Object\]/);
    expect(mail.text).toContain('constructor, toString, __proto__');
  });

  it('shows times in the blog’s time zone', () => {
    const html = renderInboxPage(frame, {
      comments: [{ id: ULID, page: '/p', name: 'A', text: 'T', createdAt: '2026-07-01T22:30:00Z' }],
      wishes: [],
      timeZone: 'Europe/Berlin',
    });
    // 22:30 UTC is half past midnight the next day in Berlin (summer time).
    expect(html).toContain('02.07.2026, 00:30');
    expect(html).toContain('<title>(1) Eingang · Schreibtisch · Blog &lt;b&gt;&amp;</title>');
  });

  it('puts a hostile token into the confirm form only as an escaped value', () => {
    const html = renderConfirmPage({ lang: 'en', siteName: 'B' }, '"><script>x</script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(html).not.toContain('<script>');
  });

  it('answers errors as a page in her language, with the request id, and links only its own stylesheet', () => {
    const html = renderErrorPage({ lang: 'en', siteName: 'B' }, 'form_token_invalid', 'req-<1>');
    expect(html).toContain('The form is out of date');
    expect(html).toContain('req-&lt;1&gt;');
    expect(html).toContain(`href="/desk/assets/${DESK_CSS_FILE}"`);
    expect(html).not.toMatch(/<style|style=|<script/);
  });

  it('writes the login mail with the link in text and HTML', () => {
    const mail = renderLoginMail(
      'de',
      'Blog',
      'https://api.example/desk/login/confirm?t=a.b.c',
      '29.11.2026, 23:15',
    );
    expect(mail.text).toContain('gilt bis 29.11.2026, 23:15');
    expect(mail.text).toContain('https://api.example/desk/login/confirm?t=a.b.c');
    expect(mail.html).toContain('href="https://api.example/desk/login/confirm?t=a.b.c"');
  });
});

describe('desk settings', () => {
  const base = { TABLE_NAME: 't', API_BASE_URL: 'https://api.example/' };
  it('takes the time zone from TIME_ZONE, by default the language’s, and refuses a typo', () => {
    expect(readConfig({ ...base }).timeZone).toBe('Europe/Berlin');
    expect(readConfig({ ...base, SITE_LANG: 'en' }).timeZone).toBe('Europe/London');
    expect(readConfig({ ...base, TIME_ZONE: 'America/New_York' }).timeZone).toBe('America/New_York');
    expect(() => readConfig({ ...base, TIME_ZONE: 'Europe/Berlín' })).toThrow(/TIME_ZONE/);
  });

  it('puts the desk under the API unless DESK_URL says otherwise, and reads DESK_EMAILS as a list', () => {
    expect(readConfig({ ...base }).deskUrl).toBe('https://api.example/desk');
    expect(readConfig({ ...base, DESK_URL: 'http://localhost:3000/desk/' }).deskUrl).toBe(
      'http://localhost:3000/desk',
    );
    expect(readConfig({ ...base, DESK_EMAILS: ' a@b.example, ,c@d.example' }).deskEmails).toEqual([
      'a@b.example',
      'c@d.example',
    ]);
  });
});
