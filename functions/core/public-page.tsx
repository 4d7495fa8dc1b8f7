/**
 * The frame of every page the API serves outside the desk (moderation links, reader pages, HTML
 * errors): title, the page's parts, the site name. Rendered by the escaping JSX layer
 * (html-jsx/jsx-runtime.ts); the response headers (CSP and friends) come from http/response.
 */
import { type Child, Html } from './html-jsx/jsx-runtime';
import type { Lang } from './messages';
import { PUBLIC_PAGE_CSS } from './public-style';

export interface PublicPageContext {
  lang: Lang;
  siteName: string;
}

/** Our own constant, the one thing in the frame that is not escaped. */
const STYLE = new Html(PUBLIC_PAGE_CSS);

/**
 * The whole page as a string. `tone` colours the title: 'refused' red, 'done' green. `style`: more
 * CSS of ours that only some pages need (kept out of the Lambdas that do not serve them).
 */
export function renderPublicPage(
  context: PublicPageContext,
  title: string,
  body: Child,
  tone = '',
  style?: Html,
): string {
  const page = (
    <html lang={context.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · ${context.siteName}`}</title>
        <style>
          {STYLE}
          {style}
        </style>
      </head>
      <body>
        <main class={tone}>
          <h1>{title}</h1>
          {body}
          <p class="note">Leserpost · {context.siteName}</p>
        </main>
      </body>
    </html>
  );
  return `<!doctype html>\n${page.value}`;
}

/** A link that does not work (incomplete, changed, expired): 403 and why, under a red title. */
export function refusedPage(
  context: PublicPageContext,
  title: string,
  reason: string,
  style?: Html,
): { status: number; html: string } {
  return { status: 403, html: renderPublicPage(context, title, <p>{reason}</p>, 'refused', style) };
}
