import fc from 'fast-check';
import {
  isSafeHref,
  MD_TAGS,
  type MdNode,
  markdownHtml,
  markdownOf,
  markdownTree,
} from '../../functions/core/markdown';

describe('markdown subset', () => {
  it('formats emphasis, strong, code, links, lists, quotes, code blocks and line breaks', () => {
    expect(markdownTree('**fett** und _schräg_ mit `code`\nneue Zeile')).toEqual([
      ['p', ['strong', 'fett'], ' und ', ['em', 'schräg'], ' mit ', ['code', 'code'], ['br'], 'neue Zeile'],
    ]);
    expect(markdownTree('- eins\n- zwei\n\n1. erst')).toEqual([
      ['ul', ['li', 'eins'], ['li', 'zwei']],
      ['ol', ['li', 'erst']],
    ]);
    expect(markdownTree('> Zitat\n\n```\nlet a = 1;\n```')).toEqual([
      ['blockquote', ['p', 'Zitat']],
      ['pre', 'let a = 1;'],
    ]);
    expect(markdownTree('[Blog](https://kim-design.de) und https://example.com/a.')).toEqual([
      [
        'p',
        ['a', 'https://kim-design.de', 'Blog'],
        ' und ',
        ['a', 'https://example.com/a', 'https://example.com/a'],
        '.',
      ],
    ]);
  });

  it('keeps raw HTML, images, headings and unsafe links as plain text', () => {
    expect(markdownTree('<script>alert(1)</script>')).toEqual([['p', '<script>alert(1)</script>']]);
    expect(markdownTree('# Titel')).toEqual([['p', '# Titel']]);
    expect(JSON.stringify(markdownTree('![Bild](https://a.de/b.png)'))).not.toContain('img');
    expect(markdownTree('[klick](javascript:alert(1))')).toEqual([['p', '[klick](javascript:alert(1))']]);
    expect(markdownTree('[x](data:text/html,hi)')).toEqual([['p', '[x](data:text/html,hi)']]);
    expect(markdownTree('[x](ftp://a.de/f)')).toEqual([['p', 'x']]);
  });

  it('sends no tree for plain text, so list answers stay small', () => {
    expect(markdownOf('Hallo Jana,\ndanke!\n\nGruß')).toBeUndefined();
    expect(markdownOf('Das ist **wichtig**')).toBeDefined();
    // An escape changes what is shown: then the tree is needed.
    expect(markdownOf('a\\*b')).toEqual([['p', 'a*b']]);
  });

  it('renders the tree as escaped HTML with rel on links (mails)', () => {
    expect(markdownHtml(markdownTree('**<b>** [x](https://a.de/?a=1&b="2")'))).toBe(
      '<p><strong>&lt;b&gt;</strong> <a href="https://a.de/?a=1&amp;b=%222%22" rel="nofollow ugc noopener">x</a></p>',
    );
    // A forged tree cannot smuggle an element or a link scheme in.
    const forged = [
      ['script', 'x'],
      ['a', 'javascript:alert(1)', 'y'],
      ['pre', '<i>'],
    ] as unknown as MdNode[];
    expect(markdownHtml(forged)).toBe('y<pre><code>&lt;i&gt;</code></pre>');
  });

  it('never yields an element outside the whitelist or an unsafe link, whatever is typed', () => {
    const pieces = fc.constantFrom(
      '**',
      '_',
      '`',
      '```\n',
      '> ',
      '- ',
      '1. ',
      '\n',
      '\n\n',
      '[',
      '](',
      ')',
      '<',
      '>',
      '<script>',
      'javascript:',
      'https://a.de',
      'mailto:x@y.de',
      '![',
      '# ',
      '&amp;',
      '"',
      'onerror=',
      'text',
    );
    const texts = fc.oneof(
      fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join('')),
      fc.string(),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const check = (node: MdNode): void => {
          if (typeof node === 'string') return;
          expect(MD_TAGS).toContain(node[0]);
          if (node[0] === 'a') expect(isSafeHref(node[1] as string)).toBe(true);
          for (const child of node.slice(node[0] === 'a' ? 2 : 1)) check(child);
        };
        for (const node of markdownTree(text)) check(node);
        const html = markdownHtml(markdownTree(text));
        expect(html).not.toMatch(/<(?!\/?(p|br|em|strong|code|pre|a|ul|ol|li|blockquote)[ >])/);
        expect(html).not.toMatch(/href="(?!https?:|mailto:)/i);
      }),
      { numRuns: 400 },
    );
  });
});
