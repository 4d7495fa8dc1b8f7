/**
 * The session cookie is SameSite=Strict, so a link from another site (the WordPress plugin's "open
 * the desk", her webmail) arrives without it, and she would be asked to sign in although she is.
 * This page loads the same address once more from the desk itself, which a browser treats as the
 * desk's own navigation and sends the cookie with. Only GETs come this way; every POST still needs
 * the desk's Origin and form token.
 */
import type { PageFrame } from './layout';
import { DESK_TEXTS } from './texts';

/** `href`: the page asked for, as a link in case the browser does not refresh by itself. */
export function renderHopPage(frame: PageFrame, href: string): string {
  const t = DESK_TEXTS[frame.lang];
  return `<!doctype html>${
    (
      <html lang={frame.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="robots" content="noindex" />
          <meta http-equiv="refresh" content="0" />
          <title>{`${t.desk} · ${frame.siteName}`}</title>
        </head>
        <body>
          <p>
            <a href={href}>{`${t.desk} · ${frame.siteName}`}</a>
          </p>
        </body>
      </html>
    ).value
  }`;
}
