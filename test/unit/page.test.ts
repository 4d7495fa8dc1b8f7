import { normalisePage, originOf } from '../../functions/core/page';

describe('normalisePage: one page is one thread however its URL is spelled', () => {
  it.each([
    ['https://Blog.Example/2026/11/kundin/', '/2026/11/kundin'],
    ['https://blog.example/2026/11/kundin?utm_source=newsletter#comments', '/2026/11/kundin'],
    ['/2026/11/kundin/', '/2026/11/kundin'],
    ['//2026//11/kundin', '/2026/11/kundin'],
    ['2026/11/kundin', '/2026/11/kundin'],
    ['/caf%C3%A9', '/café'],
    ['https://blog.example', '/'],
    ['/', '/'],
  ])('%s → %s', (input, expected) => {
    expect(normalisePage(input)).toBe(expected);
  });

  it('keeps the case of the path, as web servers do', () => {
    expect(normalisePage('/Posts/A')).not.toBe(normalisePage('/posts/a'));
  });

  it('keeps a malformed percent escape instead of failing', () => {
    expect(normalisePage('/100%-sicher')).toBe('/100%-sicher');
  });
});

describe('originOf', () => {
  it('gives the lower-cased origin of http(s) URLs only', () => {
    expect(originOf('https://Blog.Example:8443/x')).toBe('https://blog.example:8443');
    expect(originOf('javascript:alert(1)')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
  });
});
