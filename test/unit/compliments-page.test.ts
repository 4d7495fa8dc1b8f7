/**
 * The compliment pages and the moderation result page show everything a reader or she typed as
 * text: no markup, no script link from a "where from" field or a page path.
 */
import { renderComplimentsPage } from '../../functions/core/desk/compliments-page';
import { renderLinkPage } from '../../functions/core/moderation-page';

const frame = { lang: 'de' as const, siteName: 'Blog', csrf: 'tok' };
const ULID = '01J0000000000000000000000A';
const HOSTILE = '<script>alert(1)</script>" onmouseover="x';

describe('the compliments page', () => {
  const entry = (source: string) => ({
    kind: 'hand' as const,
    id: ULID,
    text: HOSTILE,
    name: HOSTILE,
    source,
    complimentedAt: '2026-07-01T22:30:00.000Z',
    public: false,
  });

  it('shows hostile text, name and source as text, in the blog’s time zone', () => {
    const html = renderComplimentsPage(frame, {
      entries: [entry(HOSTILE)],
      search: HOSTILE,
      timeZone: 'Europe/Berlin',
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('" onmouseover');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x');
    expect(html).toContain('02.07.2026, 00:30');
  });

  it('makes only an http(s) source a link', () => {
    const link = renderComplimentsPage(frame, {
      entries: [entry('https://linkedin.example/p/1')],
      search: '',
      timeZone: 'UTC',
    });
    expect(link).toContain('<a href="https://linkedin.example/p/1" rel="noopener noreferrer">');
    const script = renderComplimentsPage(frame, {
      entries: [entry('javascript:alert(1)')],
      search: '',
      timeZone: 'UTC',
    });
    expect(script).not.toContain('href="javascript:');
    expect(script).toContain('javascript:alert(1)');
  });
});

describe('the moderation result page', () => {
  it('links the post and the desk with escaped addresses', () => {
    const { html } = renderLinkPage(
      {
        state: 'done',
        claims: { kind: 'comment', action: 'approve' },
        subject: { kind: 'comment', item: { id: ULID, page: '/p/"><b>x', status: 'approved', name: 'A' } },
      },
      {
        lang: 'en',
        siteName: 'B',
        token: 't',
        blogOrigin: 'https://blog.example',
        deskUrl: 'https://api.example/desk',
      },
    );
    expect(html).toContain('<a href="https://blog.example/p/&quot;&gt;&lt;b&gt;x">To the post</a>');
    expect(html).toContain(`<a href="https://api.example/desk/comments/${ULID}">To your desk</a>`);
    expect(html).not.toContain('<b>x');
  });
});
