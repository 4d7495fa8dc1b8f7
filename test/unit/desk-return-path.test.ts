/**
 * `next`, the desk page to open after signing in, comes from a query string or a form anyone can
 * write: only a path under /desk on the desk's own origin passes, anything doubtful is the inbox.
 */
import fc from 'fast-check';
import { deskReturnPath, withReturnPath } from '../../functions/core/desk/return-path';
import { LIMITS } from '../../functions/core/limits';

const ORIGIN = 'https://blog.example';

/** What a browser would open for the redirect: same origin, and a path under /desk. */
function staysOnTheDesk(result: string): boolean {
  const url = new URL(result, ORIGIN);
  return (
    url.origin === ORIGIN &&
    (url.pathname === '/desk' || url.pathname.startsWith('/desk/')) &&
    !/^\/desk\/log(?:in|out)(?:\/|$)/i.test(url.pathname)
  );
}

describe('deskReturnPath', () => {
  it.each([
    '/desk',
    '/desk/wishes',
    '/desk/wishes?status=accepted',
    '/desk/comments/01J0000000000000000000000A',
    '/desk/comments?status=held&page=%2Fposts%2Fkundin&after=eyJ4IjoxfQ',
    '/desk/compliments?q=sch%C3%B6ne+worte',
    '/desk?lang=en',
  ])('keeps the desk page %s', (path) => {
    expect(deskReturnPath(path)).toBe(path);
  });

  it.each([
    ['another host', '//evil.example/desk'],
    ['another host after /desk', '//evil.example'],
    ['a backslash host', '/\\evil.example'],
    ['a backslash in the path', '/desk\\..\\..\\evil'],
    ['a backslash in the query', '/desk?x=\\evil'],
    ['a scheme', 'https://evil.example/desk'],
    ['javascript', 'javascript:alert(1)'],
    ['a scheme-like desk', 'desk:/desk'],
    ['not under /desk', '/wp-admin'],
    ['a sibling of /desk', '/desktop'],
    ['a relative path', 'desk/wishes'],
    ['the login page', '/desk/login'],
    ['the login page with a query', '/desk/login?next=%2Fdesk%2Fwishes'],
    ['the confirm page', '/desk/login/confirm?t=x'],
    ['the login in capitals', '/DESK/LOGIN'],
    ['the login in mixed case', '/desk/Login'],
    ['the logout', '/desk/logout'],
    ['dot segments', '/desk/../evil'],
    ['dot segments deeper', '/desk/wishes/../../evil'],
    ['a dot segment', '/desk/./wishes'],
    ['an encoded slash after /desk', '/desk%2F..%2F..%2Fevil'],
    ['encoded slashes', '/%2F%2Fevil.example'],
    ['an encoded slash in a segment', '/desk/%2F%2Fevil.example'],
    ['an encoded backslash', '/desk/%5Cevil'],
    ['an encoded dot segment', '/desk/%2e%2e/evil'],
    ['an empty segment', '/desk//evil.example'],
    ['a newline (header splitting)', '/desk\r\nSet-Cookie: x=1'],
    ['a tab', '/desk/\twishes'],
    ['a NUL', '/desk\u0000'],
    ['a control character in the query', '/desk?x=\u0007'],
    ['a space', '/desk/wishes ?x'],
    ['a fragment', '/desk#top'],
    ['a broken percent-encoding', '/desk?x=%zz'],
    ['a non-ASCII path', '/desk/wünsche'],
    ['a lookalike slash', '/desk\u2215evil'],
    ['empty', ''],
    ['too long', `/desk?q=${'a'.repeat(LIMITS.desk.returnPathMaxChars)}`],
  ])('gives the inbox for %s', (_what, value) => {
    expect(deskReturnPath(value)).toBe('/desk');
  });

  it.each([undefined, null, 42, ['/desk/wishes'], { toString: () => '/desk/wishes' }])(
    'gives the inbox for a value that is no string (%p)',
    (value) => {
      expect(deskReturnPath(value)).toBe('/desk');
    },
  );

  it('keeps a path of exactly the longest length', () => {
    const longest = `/desk?q=${'a'.repeat(LIMITS.desk.returnPathMaxChars - 8)}`;
    expect(longest).toHaveLength(LIMITS.desk.returnPathMaxChars);
    expect(deskReturnPath(longest)).toBe(longest);
  });

  // The layer where `next` arrives: a raw query string, decoded as the request parser does.
  const hostilePiece = fc.oneof(
    fc.constantFrom(
      '/',
      '//',
      '\\',
      '/desk',
      '/desk/',
      '/desk/login',
      '/desk/logout',
      '..',
      '.',
      '?',
      '#',
      '@',
      ':',
      'http:',
      'javascript:',
      'evil.example',
      '%2F',
      '%2f',
      '%5C',
      '%2e',
      '%252F',
      '%00',
      '%0d%0a',
      '%',
      '&',
      '=',
      '+',
      ' ',
      '\t',
      '\n',
      '\u0000',
      '\u2215',
      '\uff0f',
      'wishes',
      'comments',
    ),
    fc.string({ maxLength: 6 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
  );
  const rawQuery = fc.oneof(
    fc.array(hostilePiece, { maxLength: 12 }).map((pieces) => `next=${pieces.join('')}`),
    fc.array(hostilePiece, { maxLength: 12 }).map((pieces) => `next=${encodeURIComponent(pieces.join(''))}`),
    fc
      .array(hostilePiece, { maxLength: 12 })
      .map((pieces) => `x=1&next=${encodeURIComponent(`/desk${pieces.join('')}`)}`),
    fc.string({ unit: 'binary', maxLength: 60 }).map((text) => `next=${text}`),
  );

  it('always lands on the desk: /desk, /desk/… or /desk?…, on the same origin', () => {
    fc.assert(
      fc.property(rawQuery, (query) => {
        const next = new URLSearchParams(query).get('next') ?? undefined;
        const result = deskReturnPath(next);
        expect(result === '/desk' || result.startsWith('/desk/') || result.startsWith('/desk?')).toBe(true);
        expect(staysOnTheDesk(result)).toBe(true);
        // What passes is what she asked for, unchanged; anything else is the inbox.
        expect([next, '/desk']).toContain(result);
        // As a parameter of the login page it comes back as it went in.
        const login = new URL(withReturnPath('/desk/login', result), ORIGIN);
        expect(deskReturnPath(login.searchParams.get('next') ?? undefined)).toBe(result);
      }),
      { numRuns: 2000 },
    );
  });

  it('adds `next` to a link only for a page other than the inbox', () => {
    expect(withReturnPath('/desk/login', '/desk')).toBe('/desk/login');
    expect(withReturnPath('/desk/login', '//evil.example')).toBe('/desk/login');
    expect(withReturnPath('/desk/login?sent=1', '/desk/wishes?status=new')).toBe(
      '/desk/login?sent=1&next=%2Fdesk%2Fwishes%3Fstatus%3Dnew',
    );
  });
});
