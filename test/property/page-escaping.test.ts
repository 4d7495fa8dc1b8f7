/**
 * Every public page (moderation links, reader pages, "Meine Daten", HTML errors) under generated
 * hostile values in every field a reader, the link or the request brings: the markup stays ours.
 * Only our own tags and attributes appear, every attribute value is quoted whole, every link goes
 * to http(s) or to a relative page of ours, and a name or topic shows up as escaped text.
 */
import fc from 'fast-check';
import { renderErrorPage } from '../../functions/core/error-page';
import { escapeHtml } from '../../functions/core/html';
import { type LinkPageState, renderLinkPage } from '../../functions/core/moderation-page';
import { renderDataForm, renderDataPage } from '../../functions/core/reader-data-pages';
import { renderConfirmPage, renderUnsubscribePage } from '../../functions/core/reader-pages';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    '" onmouseover="alert(1)',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    '/p/"><b>x',
    '</textarea></title></style><img src=x onerror=alert(1)>',
    '<!--',
    ']]>',
    '&lt;schon&gt; &amp; escaped',
    '\ud800',
    '\udfff\ud800',
    'a\u0000b\u202ec',
    '😀'.repeat(50),
  ),
  fc
    .tuple(fc.string({ maxLength: 6 }), fc.constantFrom('<', '>', '"', "'", '&', '\ud800'), fc.string())
    .map(([a, b, c]) => a + b + c),
);

const TAGS = new Set(
  'html head meta title style body main h1 h2 p a table tr th td blockquote form input label button ul li span br code'.split(
    ' ',
  ),
);
const ATTRIBUTES = new Set(
  'lang charset name content class method action type value required maxlength href role id for autocomplete aria-describedby aria-invalid'.split(
    ' ',
  ),
);

/** Throws (with the offending piece) unless the page's markup is only ours. */
function expectOnlyOurMarkup(html: string): void {
  expect(html.startsWith('<!doctype html>\n')).toBe(true);
  const body = html.slice('<!doctype html>\n'.length);
  // Every `<` opens or closes a tag of ours, written whole: name, then name="value" pairs whose
  // values hold no quote and no angle bracket (those are escaped), then `>`.
  const pieces = body.split('<').slice(1);
  for (const piece of pieces) {
    const tag = piece.match(/^(\/?)([a-z0-9]+)((?: [a-z-]+(?:="[^"<>]*")?)*)>/);
    if (!tag) throw new Error(`not a tag of ours: <${piece.slice(0, 60)}`);
    expect(TAGS).toContain(tag[2]);
    for (const [, name, value] of tag[3]!.matchAll(/ ([a-z-]+)(?:="([^"]*)")?/g)) {
      expect(ATTRIBUTES).toContain(name);
      if (name === 'href') expect(value).toMatch(/^(https?:\/\/|data\?lang=)/i);
    }
  }
}

const comment = fc.record({
  // Ids are ours (made here, checked on restore), so never half a surrogate pair; still hostile
  // markup, to prove the desk link escapes them.
  id: fc.option(
    hostile.filter((value) => !/\p{Cs}/u.test(value)),
    { nil: undefined },
  ),
  name: fc.option(hostile, { nil: undefined }),
  text: fc.option(hostile, { nil: undefined }),
  page: hostile,
  pageTitle: fc.option(hostile, { nil: undefined }),
  pageUrl: fc.option(hostile, { nil: undefined }),
  status: fc.oneof(fc.constantFrom('pending', 'approved', 'spam', 'deleted'), hostile),
});
const wish = fc.record({
  topic: hostile,
  details: fc.option(hostile, { nil: undefined }),
  requesterName: fc.option(hostile, { nil: undefined }),
  status: fc.oneof(fc.constantFrom('new', 'accepted', 'written'), hostile),
});
const subject = fc.oneof(
  comment.map((item) => ({ kind: 'comment' as const, item })),
  wish.map((item) => ({ kind: 'wish' as const, item })),
);
const action = fc.constantFrom('approve', 'compliment', 'spam', 'delete', 'accept', 'written', 'plan');
const linkState: fc.Arbitrary<LinkPageState> = fc.oneof(
  fc
    .constantFrom('malformed', 'forged', 'expired', 'used')
    .map((reason) => ({ state: 'refused' as const, reason })),
  fc.tuple(subject, action, fc.constantFrom('confirm', 'already', 'done')).map(([s, a, state]) => ({
    state,
    claims: { kind: s.kind, action: a },
    subject: s,
    before: s.item.status,
  })),
  fc
    .tuple(subject, action, fc.constantFrom('invalid_url', 'comment_deleted', 'conflict'), hostile)
    .map(([s, a, reason]) => ({
      state: 'invalid' as const,
      claims: { kind: s.kind, action: a },
      subject: s,
      reason,
    })),
  subject.map((s) => ({ state: 'not_found' as const, claims: { kind: s.kind, action: 'approve' } })),
);
const lang = fc.constantFrom('de' as const, 'en' as const);

describe('public pages under hostile values', () => {
  it('moderation pages: names, titles, page paths, texts and the token stay text', () => {
    fc.assert(
      fc.property(linkState, lang, hostile, hostile, hostile, (view, lang, siteName, token, url) => {
        const { html } = renderLinkPage(view, {
          lang,
          siteName,
          token,
          form: { articleUrl: url, writtenAt: url },
          blogOrigin: 'https://blog.example',
          deskUrl: 'https://api.example/desk',
        });
        expectOnlyOurMarkup(html);
        expect(html).toContain(escapeHtml(siteName));
        if ('subject' in view && view.subject.kind === 'comment' && view.subject.item.name)
          expect(html).toContain(escapeHtml(view.subject.item.name));
        if ('subject' in view && view.subject.kind === 'wish')
          expect(html).toContain(escapeHtml(view.subject.item.topic));
      }),
      { numRuns: RUNS },
    );
  });

  it('confirm and unsubscribe pages: the token stays inside its value', () => {
    fc.assert(
      fc.property(lang, hostile, hostile, (lang, siteName, token) => {
        const context = { lang, siteName, token };
        for (const { html } of [
          renderConfirmPage({ state: 'confirm', purpose: 'replies' }, context),
          renderConfirmPage({ state: 'refused', reason: 'forged' }, context),
          renderUnsubscribePage({ state: 'confirm' }, context),
          renderUnsubscribePage({ state: 'done', scope: 'all' }, context),
        ]) {
          expectOnlyOurMarkup(html);
          expect(html).toContain(escapeHtml(siteName));
        }
        expect(renderUnsubscribePage({ state: 'confirm' }, context).html).toContain(
          `name="t" value="${escapeHtml(token)}"`,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('"Meine Daten": everything stored for an address is shown as text', () => {
    const data = fc.record({
      comments: fc.array(
        fc.record({
          page: hostile,
          text: fc.option(hostile, { nil: null }),
          status: hostile,
          createdAt: hostile,
          name: fc.option(hostile, { nil: null }),
          notifyReplies: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
      wishes: fc.array(fc.record({ topic: hostile, status: hostile, votes: fc.nat(), createdAt: hostile }), {
        maxLength: 3,
      }),
      votes: fc.array(fc.record({ wishId: hostile, createdAt: fc.option(hostile, { nil: null }) }), {
        maxLength: 3,
      }),
      subscriptions: fc.array(
        fc.record({
          scope: hostile,
          target: fc.option(hostile, { nil: null }),
          createdAt: fc.option(hostile, { nil: null }),
        }),
        { maxLength: 3 },
      ),
      confirmations: fc.array(fc.record({ confirmedAt: fc.option(hostile, { nil: null }) }), {
        maxLength: 2,
      }),
      trustedSince: fc.option(hostile, { nil: null }),
    });
    fc.assert(
      fc.property(data, lang, hostile, hostile, hostile, (data, lang, siteName, token, email) => {
        const page = renderDataPage(
          { state: 'show', data, problem: 'confirm_needed' },
          { lang, siteName, token, timeZone: 'Europe/Berlin' },
        );
        expectOnlyOurMarkup(page.html);
        for (const wish of data.wishes) expect(page.html).toContain(escapeHtml(wish.topic));
        const form = renderDataForm({ lang, siteName, problem: 'invalid_email', email });
        expectOnlyOurMarkup(form.html);
        expect(form.html).toContain(`value="${escapeHtml(email)}"`);
      }),
      { numRuns: RUNS },
    );
  });

  it('error pages: field names, codes and the request id stay text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(400, 403, 404, 409, 429, 500, 503),
        lang,
        hostile,
        fc.array(fc.record({ field: hostile, code: hostile }), { maxLength: 3 }),
        hostile,
        (status, lang, code, fields, requestId) => {
          const html = renderErrorPage({ status, code, lang, siteName: 'Blog', fields, requestId });
          expectOnlyOurMarkup(html);
          for (const issue of fields) expect(html).toContain(escapeHtml(issue.field));
          if (status >= 500) expect(html).toContain(escapeHtml(requestId));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
