/**
 * The one template layer of every HTML page (the desk, moderation links, reader pages, HTML
 * errors): JSX that renders straight to a string. Every text child and attribute value goes
 * through escapeHtml (& < > " '), so a value from a reader can never become markup; only `Html`
 * passes unescaped, and only this module and constants of our own make one. It is the project's
 * JSX runtime (tsconfig `jsxImportSource` `@leserpost/html-jsx`, mapped here by `paths`; jest maps
 * it too), so a .tsx file needs no pragma. Under a kilobyte: the small reader-facing Lambdas stay
 * under their size goal.
 */
import { escapeHtml } from '../html';

/** Markup that is safe as it is: rendered elements, or a constant of ours (the page's CSS). */
export class Html {
  constructor(readonly value: string) {}
}

export type Child = Html | string | number | boolean | null | undefined | readonly Child[];

/** Elements that have no closing tag (a regular expression: the fewest bytes in every bundle). */
const VOID = /^(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)$/;

function renderChild(child: Child): string {
  if (child === null || child === undefined || typeof child === 'boolean') return '';
  if (child instanceof Html) return child.value;
  if (Array.isArray(child)) return child.map(renderChild).join('');
  return escapeHtml(child);
}

export function Fragment({ children }: { children?: Child }): Html {
  return new Html(renderChild(children));
}

/**
 * `true` writes the bare attribute, `false`, null and undefined leave it out (aria-* and data-*
 * write "true"/"false": their values are words). `key` only tells list items apart: never written.
 * A textarea's `value` is its content, as the browser would show it.
 */
export function jsx(
  type: string | ((props: Record<string, unknown>) => Child),
  props: Record<string, unknown>,
): Html {
  if (typeof type === 'function') return new Html(renderChild(type(props)));
  let open = `<${type}`;
  let children = props.children as Child;
  for (let [name, value] of Object.entries(props)) {
    if (name === 'children' || value == null) continue;
    if (type === 'textarea' && name === 'value') {
      children = value as Child;
      continue;
    }
    // HTML names ignore case (the parser fixes SVG's): `maxLength` is written `maxlength`.
    name = name.toLowerCase();
    if (/^(aria|data)-/.test(name)) value = String(value);
    if (value === true) open += ` ${name}`;
    else if (value !== false) open += ` ${name}="${escapeHtml(value)}"`;
  }
  open += '>';
  return new Html(VOID.test(type) ? open : `${open}${renderChild(children)}</${type}>`);
}

export { jsx as jsxs };

/**
 * What compilers call for `<a {...props} key={k} />` (key after a spread): key dropped, children as
 * rest. Elsewhere compilers pass key apart from the props, and jsx() never sees it.
 */
export function createElement(
  type: Parameters<typeof jsx>[0],
  props: Record<string, unknown> | null,
  ...children: Child[]
): Html {
  const { key: _key, ...rest } = props ?? {};
  return jsx(type, children.length ? { ...rest, children } : rest);
}

type Attribute = string | number | boolean | null | undefined;

export namespace JSX {
  export type Element = Html;
  /** A component may return any child (a string, a list, nothing); jsx() makes it markup. */
  // biome-ignore lint/suspicious/noExplicitAny: props differ per component; JSX checks them at each use.
  export type ElementType = string | ((props: any) => Child);
  export interface IntrinsicElements {
    // React's className and htmlFor would be written as they are: tsc asks for class and for.
    [tag: string]: { children?: Child; className?: never; htmlFor?: never } & Record<
      string,
      Attribute | Child
    >;
  }
  export interface IntrinsicAttributes {
    key?: string | number;
  }
  export interface ElementChildrenAttribute {
    children: unknown;
  }
}
