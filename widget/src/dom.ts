/**
 * The only way the widget makes DOM. Attribute values and children are set as attributes and
 * text nodes, so nothing a reader typed can ever become markup.
 */
import type { MdNode } from '../../functions/core/markdown';

export type Child = Node | string | false | null | undefined;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name, value);
    else if (value != null && value !== false) el.setAttribute(name, value === true ? '' : String(value));
  }
  el.append(...(children.filter(Boolean) as (Node | string)[]));
  return el;
}

/** Links readers wrote or gave: no ranking credit, no window.opener. */
export const UGC = 'nofollow ugc noopener';

export const SAFE_HREF = /^(https?:\/\/|mailto:)/i;

/** A link when the URL is http(s) or mailto (the API checked it), otherwise just the text. */
export function link(href: string | null | undefined, ...children: Child[]): Node {
  return href && SAFE_HREF.test(href) ? h('a', { href, rel: UGC }, ...children) : h('span', {}, ...children);
}

const BARE_URL = /https?:\/\/[^\s<>"]+/g;

/**
 * Punctuation after a URL ends the sentence, not the URL. A loop from the end, not a regex
 * anchored at $, which backtracks over every run of punctuation: linear in the URL's length.
 */
export function withoutTrailingPunctuation(url: string): string {
  let end = url.length;
  while (end && `.,;:!?'")]`.includes(url[end - 1]!)) end--;
  return url.slice(0, end);
}

/** Reader text as paragraphs and line breaks; bare http(s) URLs become links, nothing else is markup. */
export function richText(text: string): Node[] {
  return text.split(/\n{2,}/).map((paragraph) => {
    const p = h('p');
    paragraph.split('\n').forEach((line, index) => {
      if (index) p.append(h('br'));
      let last = 0;
      for (const match of line.matchAll(BARE_URL)) {
        const url = withoutTrailingPunctuation(match[0]);
        p.append(line.slice(last, match.index), link(url, url));
        last = match.index! + url.length;
      }
      p.append(line.slice(last));
    });
    return p;
  });
}

const TAGS = ' p br em strong code pre a ul ol li blockquote ';

/**
 * The API's markdown tree (functions/core/markdown.ts) as DOM: element by element, text as text,
 * only whitelisted tags, links only to http(s) and mailto, with the rel of reader links.
 */
export function tree(nodes: MdNode[]): Node[] {
  return nodes.map((node) => {
    if (typeof node === 'string') return document.createTextNode(node);
    const [tag, ...children] = node;
    if (tag === 'pre') return h('pre', {}, h('code', {}, String(children[0])));
    if (tag === 'a') {
      const [href, ...text] = children as [string, ...MdNode[]];
      return link(href, ...tree(text));
    }
    return h(TAGS.includes(` ${tag} `) ? tag : 'span', {}, ...tree(children));
  });
}

const sheets = new Map<string, CSSStyleSheet>();

/**
 * Open shadow root (so assistive tech and axe see in) with the widget's styles as a constructed
 * stylesheet: parsed once for all elements, and allowed by a blog's Content-Security-Policy
 * without 'unsafe-inline'.
 */
export function shell(host: HTMLElement, css: string): ShadowRoot {
  const root = host.attachShadow({ mode: 'open' });
  let sheet = sheets.get(css);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    sheets.set(css, sheet);
  }
  root.adoptedStyleSheets = [sheet];
  return root;
}
