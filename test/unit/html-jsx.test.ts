/**
 * The one template layer (core/html-jsx) renders what the desk's JSX uses the way a browser
 * expects it, and escapes every value; the samples compile with no pragma, as every page does.
 */
import { samples } from '../support/html-jsx-samples';

const HOSTILE = `<script>alert('x')</script>&"`;
const SHOWN = '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;';

describe('the page template layer', () => {
  it('uses key only to tell list items apart, never as an attribute', () => {
    expect(samples.keyedList()).toBe('<ul><li>a</li><li>b</li></ul>');
    expect(samples.keyedComponent()).toBe('<section><h2>T</h2></section>');
    expect(samples.keyAfterSpread({ class: 'x', title: HOSTILE })).toBe(`<b class="x" title="${SHOWN}"></b>`);
  });

  it('writes attribute names in lower case (React spellings like className do not compile)', () => {
    expect(samples.camelCase()).toBe('<input maxlength="40">');
  });

  it('writes a true boolean as a bare attribute and leaves a false one out; aria-* and data-* as words', () => {
    expect(samples.booleans(true)).toBe(
      '<form><input type="checkbox" checked disabled required><select><option value="1" selected>1</option></select>' +
        '<button type="button" aria-pressed="true" data-open="true"></button></form>',
    );
    expect(samples.booleans(false)).toBe(
      '<form><input type="checkbox"><select><option value="1">1</option></select>' +
        '<button type="button" aria-pressed="false" data-open="false"></button></form>',
    );
  });

  it('puts a textarea’s text, as children or as value, inside it, escaped', () => {
    expect(samples.textarea(`</textarea>${HOSTILE}`)).toBe(
      `<form><textarea name="a">&lt;/textarea&gt;${SHOWN}</textarea><textarea name="b">&lt;/textarea&gt;${SHOWN}</textarea></form>`,
    );
  });

  it('writes numbers, zero included, as text and as attribute values', () => {
    expect(samples.numbers()).toBe('<p data-count="3" tabindex="0">0 2.5</p>');
  });

  it('flattens nested lists and skips null, undefined and booleans', () => {
    expect(samples.nested()).toBe('<p>a&lt;b&gt;c123</p>');
  });

  it('renders fragments and components with children, escaping every value', () => {
    expect(samples.fragment(HOSTILE)).toBe(`<b>${SHOWN}</b>${SHOWN}`);
    expect(samples.componentChildren(HOSTILE)).toBe(
      `<section><h2>${SHOWN}</h2><p>${SHOWN}</p>${SHOWN}</section>`,
    );
  });

  it('closes no void element and passes only Html unescaped', () => {
    expect(samples.voids()).toBe('<div><br><hr><img src="a" alt=""><wbr></div>');
    expect(samples.ours()).toBe('<style>a > b {}</style>');
  });
});
