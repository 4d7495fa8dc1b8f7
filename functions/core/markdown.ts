/**
 * The small markdown readers may write: emphasis, strong, inline code, code blocks, links (http,
 * https, mailto), lists, quotes, paragraphs and line breaks. No raw HTML, no images, no headings.
 * Parsed here, once, by markdown-it into a whitelisted tree that the API returns: the widget builds
 * it with DOM calls and the mails render it with `markdownHtml`, so neither ever parses markup.
 * The stored text stays what the reader typed.
 */
import MarkdownIt from 'markdown-it';
import { escapeHtml } from './html';

/** The element names the tree may hold, and nothing else. */
export const MD_TAGS = [
  'p',
  'br',
  'em',
  'strong',
  'code',
  'pre',
  'a',
  'ul',
  'ol',
  'li',
  'blockquote',
] as const;
export type MdTag = (typeof MD_TAGS)[number];

/**
 * A node: text, or `[tag, ...children]`; a link is `['a', href, ...children]`, a code block
 * `['pre', code]`. Arrays keep it compact, since it is in every list answer.
 */
export type MdNode = string | [MdTag, ...MdNode[]];

// 'zero' enables nothing but paragraphs; each rule below is switched on by name, so a new
// markdown-it feature never appears on its own.
const parser = new MarkdownIt('zero', { html: false, linkify: true, breaks: true }).enable([
  'emphasis',
  'backticks',
  'escape',
  'newline',
  'link',
  'autolink',
  'linkify',
  'list',
  'blockquote',
  'code',
  'fence',
]);

/** Only these link targets survive; anything else keeps its text and loses the link. */
export function isSafeHref(href: string): boolean {
  return /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(href);
}

const BLOCKS: Record<string, MdTag> = {
  paragraph_open: 'p',
  bullet_list_open: 'ul',
  ordered_list_open: 'ol',
  list_item_open: 'li',
  blockquote_open: 'blockquote',
  em_open: 'em',
  strong_open: 'strong',
  link_open: 'a',
};

interface Token {
  type: string;
  nesting: number;
  content: string;
  hidden: boolean;
  children: Token[] | null;
  attrGet(name: string): string | null;
}

/** The reader's text as a whitelisted tree. */
export function markdownTree(text: string): MdNode[] {
  const root: MdNode[] = [];
  const stack: MdNode[][] = [root];
  const push = (node: MdNode) => {
    const parent = stack[stack.length - 1]!;
    const last = parent[parent.length - 1];
    // Neighbouring text is one string (markdown-it splits text at every special character).
    // A tag name or a link's href is never text to merge with.
    const fixed = parent === root ? 0 : parent[0] === 'a' ? 2 : 1;
    if (typeof node === 'string' && typeof last === 'string' && parent.length > fixed)
      parent[parent.length - 1] = last + node;
    else parent.push(node);
  };
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      const tag = BLOCKS[token.type];
      if (token.nesting === 1 && tag && !token.hidden) {
        const href = tag === 'a' ? (token.attrGet('href') ?? '') : '';
        // An unsafe link is dropped, its text stays (as text in the parent).
        const node: MdNode = tag === 'a' ? (isSafeHref(href) ? ['a', href] : ['' as MdTag]) : [tag];
        push(node);
        stack.push(node as MdNode[]);
      } else if (token.nesting === -1 && BLOCKS[token.type.replace(/_close$/, '_open')] && !token.hidden) {
        const node = stack.pop() as MdNode[];
        if (node[0] === '') {
          // The unsafe link's children move into its parent.
          const parent = stack[stack.length - 1]!;
          parent.pop();
          for (const child of node.slice(1)) push(child);
        }
      } else if (token.type === 'inline') walk(token.children ?? []);
      else if (token.type === 'text') token.content && push(token.content);
      else if (token.type === 'softbreak' || token.type === 'hardbreak') push(['br']);
      else if (token.type === 'code_inline') push(['code', token.content]);
      else if (token.type === 'code_block' || token.type === 'fence')
        push(['pre', token.content.replace(/\n$/, '')]);
    }
  };
  walk(parser.parse(text, {}) as unknown as Token[]);
  return root;
}

/**
 * The tree, or nothing when the text has no markup (only paragraphs and line breaks that say
 * the same as the text): then the text alone is sent, which saves bytes in every list answer.
 */
export function markdownOf(text: string): MdNode[] | undefined {
  const tree = markdownTree(text);
  const plain = tree
    .map((block) =>
      Array.isArray(block) && block[0] === 'p'
        ? block
            .slice(1)
            .map((child) => (typeof child === 'string' ? child : child[0] === 'br' ? '\n' : '\0'))
            .join('')
        : '\0',
    )
    .join('\n\n');
  return plain === text.trim() ? undefined : tree;
}

/** Links readers wrote: no ranking credit, no window.opener. */
export const UGC_REL = 'nofollow ugc noopener';

/** The tree as HTML (for mails): every text escaped, only whitelisted elements, links with rel. */
export function markdownHtml(tree: readonly MdNode[]): string {
  return tree.map(nodeHtml).join('');
}

function nodeHtml(node: MdNode): string {
  if (typeof node === 'string') return escapeHtml(node);
  const [tag, ...children] = node;
  if (!(MD_TAGS as readonly string[]).includes(tag)) return '';
  if (tag === 'br') return '<br>';
  if (tag === 'pre') return `<pre><code>${escapeHtml(children[0])}</code></pre>`;
  if (tag === 'a') {
    const [href, ...text] = children;
    const safe = typeof href === 'string' && isSafeHref(href);
    const inner = markdownHtml(text);
    return safe ? `<a href="${escapeHtml(href)}" rel="${UGC_REL}">${inner}</a>` : inner;
  }
  return `<${tag}>${markdownHtml(children)}</${tag}>`;
}
