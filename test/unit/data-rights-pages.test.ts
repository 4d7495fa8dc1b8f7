/**
 * The "Meine Daten" pages and mails as pure renderers: both languages, every reader value escaped,
 * the author's erasure mail with counts only, and a page that never echoes an address after sending.
 */
import { renderDataLinkMail, renderErasureMail } from '../../functions/core/mail/data-rights';
import { renderDataForm, renderDataPage, renderDataSent } from '../../functions/core/reader-data-pages';

const data = {
  comments: [
    {
      page: '/p',
      text: '<script>alert(1)</script>',
      status: 'approved',
      createdAt: '2026-11-29T12:00:00Z',
      name: '<b>Erika</b>',
      notifyReplies: true,
    },
  ],
  wishes: [{ topic: 'Thema "x" & <y>', status: 'accepted', votes: 2, createdAt: '2026-11-29T12:00:00Z' }],
  votes: [],
  subscriptions: [],
  confirmations: [{ confirmedAt: '2026-11-29T12:00:00Z' }],
  trustedSince: null,
};

describe('her data page', () => {
  it('escapes everything she wrote, in German and English', () => {
    for (const lang of ['de', 'en'] as const) {
      const { status, html } = renderDataPage(
        { state: 'show', data },
        { lang, siteName: 'Blog', token: 'a"b', timeZone: 'Europe/Berlin' },
      );
      expect(status).toBe(200);
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&lt;script&gt;');
      expect(html).toContain('&lt;b&gt;Erika&lt;/b&gt;');
      expect(html).toContain('value="a&quot;b"');
      expect(html).toContain(`lang="${lang}"`);
    }
  });

  it('asks for the tick with a 400 that names the field', () => {
    const { status, html } = renderDataPage(
      { state: 'show', data, problem: 'confirm_needed' },
      { lang: 'en', siteName: 'Blog', token: 't', timeZone: 'Europe/Berlin' },
    );
    expect(status).toBe(400);
    expect(html).toContain('“confirm”');
  });
});

describe('the form', () => {
  it('shows the address again only with a problem, and the sent page names none', () => {
    const problem = renderDataForm({ lang: 'de', siteName: 'Blog', problem: 'invalid_email', email: '"><x' });
    expect(problem.status).toBe(400);
    expect(problem.html).toContain('value="&quot;&gt;&lt;x"');
    expect(problem.html).toContain('aria-invalid="true"');
    expect(renderDataSent({ lang: 'de', siteName: 'Blog', linkHours: 24 })).toContain('24 Stunden');
  });
});

describe('the mails', () => {
  it('tell the author the counts and who started it, never an address', () => {
    const counts = { commentsRemoved: 2, commentsKeptAsPlaceholders: 1, wishesAnonymised: 1, bogus: 'x' };
    const de = renderErasureMail({ siteName: 'Blog', lang: 'de', via: 'reader', counts });
    expect(de.text).toContain('Kommentare entfernt: 2');
    expect(de.text).toContain('Stimmen ohne Adresse: 0');
    expect(de.text).toContain('„Meine Daten“');
    expect(de.text).not.toContain('bogus');
    const en = renderErasureMail({ siteName: 'Blog', lang: 'en', via: 'desk', counts });
    expect(en.text).toContain('at the desk');
    expect(en.html).toContain('<li>Comments removed: 2</li>');
  });

  it('give her the link with its expiry, escaped in HTML', () => {
    const mail = renderDataLinkMail({
      siteName: 'Blog <&>',
      lang: 'de',
      dataUrl: 'https://api.example/readers/data/view?t=a&b',
      linkExpiresAt: new Date('2026-12-01T10:00:00Z'),
      timeZone: 'Europe/Berlin',
    });
    expect(mail.subject).toBe('Deine Daten bei Blog <&>');
    expect(mail.text).toContain('Meine Daten ansehen: https://api.example/readers/data/view?t=a&b');
    expect(mail.html).toContain('href="https://api.example/readers/data/view?t=a&amp;b"');
    expect(mail.html).toContain('Blog &lt;&amp;&gt;');
    expect(mail.text).toContain('01.12.2026');
  });
});
