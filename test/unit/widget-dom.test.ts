import { withoutTrailingPunctuation } from '../../widget/src/dom';

describe('bare URLs in reader text', () => {
  it('lose the punctuation that ends the sentence, and keep their own', () => {
    expect(withoutTrailingPunctuation('https://a.example/x).')).toBe('https://a.example/x');
    expect(withoutTrailingPunctuation('https://a.example/?q=1')).toBe('https://a.example/?q=1');
    expect(withoutTrailingPunctuation('https://a.example/a.b')).toBe('https://a.example/a.b');
  });

  it('handle a 16 K adversarial URL (punctuation runs broken by letters) in one pass', () => {
    // The quadratic regex backtracked over every run; the loop only looks at the end.
    const url = `https://a.example/${'.,;:!?)'.repeat(1000)}x${'.'.repeat(8000)}`;
    expect(withoutTrailingPunctuation(url)).toBe(url.slice(0, url.length - 8000));
    const all = `https://a.example/${'.x'.repeat(8000)}!!!`;
    expect(withoutTrailingPunctuation(all)).toBe(all.slice(0, -3));
  });
});
