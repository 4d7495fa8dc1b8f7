/**
 * Comment bodies of old exports can be hostile; converting one must cost work in proportion to its
 * size. The importer counts the characters its passes look at, so this holds it to linear work
 * without a clock (speed itself is measured in bench).
 */
import { htmlToText, type ScanWork } from '../../functions/importers/html-to-text';

/** About 240 KB each, like the body that took seconds with the old backtracking expressions. */
const SIZE = 240 * 1024;
const fill = (unit: string, size = SIZE) => unit.repeat(Math.ceil(size / unit.length));

const ADVERSARIAL: Record<string, (size?: number) => string> = {
  'unclosed links': (size) => fill('<a href="https://example.org/x">label ', size),
  'links closed only at the very end': (size) => `${fill('<a href=https://e.x>a', size)}</a>`,
  '< without >': (size) => fill('<', size),
  '<a without >': (size) => fill('<a ', size),
  '> without <': (size) => fill('>', size),
  'blanks without a line break': (size) => `${fill(' \t', size)}x`,
  'ampersands and letters': (size) => fill('&abcdefgh', size),
  'one huge tag': (size) => `<a ${fill('href=', size)}>x</a>`,
};

function workFor(html: string): number {
  const work: ScanWork = { steps: 0 };
  htmlToText(html, work);
  return work.steps;
}

describe('htmlToText on hostile bodies', () => {
  it.each(Object.keys(ADVERSARIAL))('%s: work grows linearly with the body', (name) => {
    const make = ADVERSARIAL[name]!;
    const small = make(SIZE / 4);
    const large = make(SIZE);
    expect(workFor(large)).toBeLessThanOrEqual(8 * large.length);
    // Four times the input costs about four times the work, not sixteen.
    expect(workFor(large) / Math.max(1, workFor(small))).toBeLessThan(5);
  });

  it('still converts what a real comment holds', () => {
    expect(
      htmlToText(
        '<p>Danke für den <a href="https://blog.example/tipps">Artikel</a>!</p>\r\n<p>Zweite&nbsp;Zeile<br/>drei &amp; vier</p>',
      ),
    ).toBe('Danke für den Artikel (https://blog.example/tipps)!\n\nZweite Zeile\ndrei & vier');
    expect(htmlToText('<a href="https://a.example/">https://a.example/</a>')).toBe('https://a.example/');
    expect(htmlToText('a < b and c <br> d')).toBe('a < b and c\n d');
  });

  it('keeps the text of a hostile body (unclosed links lose only their tags)', () => {
    const text = htmlToText(ADVERSARIAL['unclosed links']!(1000));
    expect(text.startsWith('label label')).toBe(true);
    expect(text).not.toContain('<a');
  });
});

describe('entities', () => {
  it('keeps an entity named like a property every object has as written', () => {
    // `&constructor;` once became "function Object() { [native code] }" in the imported text.
    for (const name of ['constructor', 'Constructor', 'proto', 'valueof', 'tostring', 'hasownproperty'])
      expect(htmlToText(`a &${name}; b`)).toBe(`a &${name}; b`);
    expect(htmlToText('drei &amp; vier &AMP; fünf')).toBe('drei & vier & fünf');
  });

  it('turns a reference to half of a surrogate pair into the replacement character, never a lone half', () => {
    const text = htmlToText('x &#55296; y &#xDC00; z &#xD83D;&#xDE00; &#x1F600; &#128512;');
    expect(text).toBe('x \ufffd y \ufffd z \ufffd\ufffd \u{1F600} \u{1F600}');
    expect(text).not.toMatch(/\p{Cs}/u);
  });
});
