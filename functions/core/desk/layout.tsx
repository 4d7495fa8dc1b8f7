/**
 * The desk's page frame: pages are JSX rendered to a string by the project's one template layer
 * (core/html-jsx), so every value is escaped. Pure: the handler passes everything in.
 */
import type { Child } from '../html-jsx/jsx-runtime';
import { formatLocalTime } from '../local-time';
import type { Lang } from '../messages';
import { DESK_CSS_FILE } from './style';
import { DESK_TEXTS } from './texts';

export type DeskSection =
  | 'inbox'
  | 'comments'
  | 'wishes'
  | 'compliments'
  | 'readers'
  | 'settings'
  | 'import'
  | 'backup';

export interface PageFrame {
  lang: Lang;
  siteName: string;
  /** The form token of the session; absent on pages without a session (login, errors). */
  csrf?: string;
  /** Which navigation entry is current. */
  section?: DeskSection;
  /** Counts of what waits, shown in the title ("(3) Eingang"). */
  waiting?: number;
  /** The path of this page, so the language switch comes back here. */
  path?: string;
}

export function renderDeskPage(frame: PageFrame, title: string, body: Child): string {
  return `<!doctype html>${
    (
      <Layout frame={frame} title={title}>
        {body}
      </Layout>
    ).value
  }`;
}

function Layout({ frame, title, children }: { frame: PageFrame; title: string; children: Child }) {
  const t = DESK_TEXTS[frame.lang];
  const prefix = frame.waiting ? `(${frame.waiting}) ` : '';
  const sections: DeskSection[] = [
    'inbox',
    'comments',
    'wishes',
    'compliments',
    'readers',
    'settings',
    'import',
    'backup',
  ];
  const hrefs: Record<DeskSection, string> = {
    inbox: '/desk',
    comments: '/desk/comments',
    wishes: '/desk/wishes',
    readers: '/desk/readers',
    settings: '/desk/settings',
    backup: '/desk/backup',
    import: '/desk/import',
    compliments: '/desk/compliments',
  };
  return (
    <html lang={frame.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${prefix}${title} · ${t.desk} · ${frame.siteName}`}</title>
        <link rel="stylesheet" href={`/desk/assets/${DESK_CSS_FILE}`} />
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <header>
          <span class="brand">
            {frame.siteName} · {t.desk}
          </span>
          {frame.csrf && (
            <nav aria-label={t.desk}>
              <ul>
                {sections.map((section) => (
                  <li key={section}>
                    <a href={hrefs[section]} aria-current={frame.section === section ? 'page' : undefined}>
                      {t.nav[section]}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <a
            href={`${frame.path ?? '/desk'}${(frame.path ?? '').includes('?') ? '&' : '?'}lang=${t.otherLang.href}`}
            lang={t.otherLang.href}
          >
            {t.otherLang.label}
          </a>
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
        {frame.csrf && (
          <footer>
            <form method="post" action="/desk/logout" class="inline-form">
              <input type="hidden" name="csrf" value={frame.csrf} />
              <button type="submit">{t.logout}</button>
              <button type="submit" name="everywhere" value="1">
                {t.logoutAll}
              </button>
            </form>
          </footer>
        )}
      </body>
    </html>
  );
}

/** The hidden form token every desk form carries. */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}

/** A date as she reads it: in the blog's time zone, in her language. */
export function formatDeskTime(iso: string | undefined, lang: Lang, timeZone: string): string {
  return formatLocalTime(iso, lang, timeZone);
}
