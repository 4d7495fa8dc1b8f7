/**
 * The template layer of the public pages (moderation links, reader pages, HTML errors): JSX that
 * renders straight to a string. Every text child and attribute value goes through escapeHtml
 * (& < > " '), so a value from a reader can never become markup; only `Html` passes unescaped, and
 * only this module and constants of our own make one. A module opts in with the pragma
 * `@jsxImportSource ./html-jsx` (the desk keeps preact; this is under a kilobyte, so the small
 * reader-facing Lambdas stay under their size goal).
 */
import { escapeHtml } from '../html';

/** Markup that is safe as it is: rendered elements, or a constant of ours (the page's CSS). */
export class Html {
  constructor(readonly value: string) {}
}

export type Child = Html | string | number | boolean | null | undefined | readonly Child[];

/** Elements that have no closing tag. */
const VOID = new Set(['meta', 'input', 'br', 'link', 'img', 'hr']);

function renderChild(child: Child): string {
  if (child === null || child === undefined || typeof child === 'boolean') return '';
  if (child instanceof Html) return child.value;
  if (Array.isArray(child)) return child.map(renderChild).join('');
  return escapeHtml(child);
}

export function Fragment({ children }: { children?: Child }): Html {
  return new Html(renderChild(children));
}

/** `true` writes the bare attribute, `false`, null and undefined leave it out. */
export function jsx(
  type: string | ((props: Record<string, unknown>) => Html),
  props: Record<string, unknown>,
): Html {
  if (typeof type === 'function') return type(props);
  let open = `<${type}`;
  for (const [name, value] of Object.entries(props)) {
    if (name === 'children' || value === null || value === undefined || value === false) continue;
    open += value === true ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`;
  }
  open += '>';
  return new Html(VOID.has(type) ? open : `${open}${renderChild(props.children as Child)}</${type}>`);
}

export { jsx as jsxs };

type Attribute = string | number | boolean | null | undefined;

export namespace JSX {
  export type Element = Html;
  export interface IntrinsicElements {
    [tag: string]: { children?: Child } & Record<string, Attribute | Child>;
  }
  export interface ElementChildrenAttribute {
    children: unknown;
  }
}
