/**
 * What every Leserpost element gets: its language, texts, API client, storage and helpers. The
 * wish board chunk receives this kit instead of importing the modules, so the comments bundle and
 * the chunk share no code and a comments page stays one script file.
 */
import { normalisePage } from '../../functions/core/page';
import { type Api, makeApi, randomId } from './api';
import { h, link, richText, SAFE_HREF, shell, tree } from './dom';
import type { FormChunk } from './forms';
import { TEXTS } from './texts';

export interface Config {
  /** The API base URL without trailing slash. */
  api: string;
  /** Where the reads go (`data-reads`, the edge-cached base); default: `api`. */
  reads: string;
  /** URL of the privacy page, from `data-privacy-url` on the script. */
  privacy?: string;
  /** Where the script was loaded from: the wish chunk lies next to it. */
  base: string;
  /** The form chunk (forms.ts), fetched once, on first call. */
  form: () => Promise<FormChunk>;
}

/**
 * `url` resolved against this page when it is http(s) (or mailto); undefined for anything else an
 * attribute or an answer may hold (`javascript:`, `data:`, an address the browser cannot parse),
 * which so never becomes a link or a request.
 */
export function httpUrl(url?: string | null): string | undefined {
  try {
    const href = new URL(url!, location.href).href;
    if (url && SAFE_HREF.test(href)) return href;
  } catch {}
}

/** An API base URL without trailing slash: `url` when it is http(s), else `fallback`. */
export const apiUrl = (url: string | null | undefined, fallback: string): string =>
  httpUrl(url)?.replace(/\/$/, '') ?? fallback;

const helpers = { h, link, richText, shell, tree, randomId, httpUrl };

export type Kit = typeof helpers & {
  lang: 'de' | 'en';
  t: (key: string, n?: string | number) => string;
  /** Adds the texts of a chunk (`key|Deutsch|English` lines, as in texts.ts). */
  addTexts: (texts: string) => void;
  api: Api;
  /** The API's base URL (for links to its feeds). */
  apiBase: string;
  /** The form chunk, with its texts added. */
  form: () => Promise<FormChunk>;
  /** The privacy link for consent checkboxes (element attribute `privacy-url` wins). */
  privacy?: string;
  date: (iso: string) => HTMLTimeElement;
  store: (key: string, value?: unknown) => unknown;
};

const texts: Record<string, string[]> = {};

export function addTexts(lines: string): void {
  for (const line of lines.split('\n')) {
    const [key, de, en = de] = line.split('|');
    texts[key!] = [de!, en!];
  }
}
addTexts(TEXTS);

export function makeKit(host: HTMLElement, config: Config): Kit {
  // The element's own `lang` overrides the page's <html lang>; German unless the page says otherwise.
  const lang = /^de|^$/i.test(host.closest('[lang]')?.getAttribute('lang') ?? '') ? 'de' : 'en';
  const index = lang === 'de' ? 0 : 1;
  // The reader's own regional format when it matches the language (de-AT, en-GB …).
  const locale = navigator.languages.find((tag) => tag.startsWith(lang)) ?? lang;
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  // The element's own `api` when it is one; reads then go there too.
  const apiBase = apiUrl(host.getAttribute('api'), config.api);
  const privacy = host.getAttribute('privacy-url') || config.privacy;
  return {
    ...helpers,
    lang,
    t: (key, n) => (texts[key]?.[index] ?? '').replace('{n}', String(n)),
    addTexts,
    api: makeApi(apiBase, lang, apiBase === config.api ? config.reads : apiBase),
    apiBase,
    form: config.form,
    // As the blog wrote it (`/datenschutz`), when it leads to a web page.
    privacy: httpUrl(privacy) && privacy,
    date: (iso) => h('time', { datetime: iso }, dates.format(new Date(iso))),
    store: (key, value) => {
      // Only what the reader asked us to keep; storage may be blocked, which is fine.
      try {
        const name = `leserpost:${key}`;
        if (value === undefined) return JSON.parse(localStorage.getItem(name) ?? 'null');
        if (value === null) localStorage.removeItem(name);
        else localStorage.setItem(name, JSON.stringify(value));
      } catch {
        return null;
      }
    },
  };
}

/** The page's comment thread: the `page` attribute, else the canonical URL, else this address. */
export function pageOf(host: HTMLElement): string {
  return normalisePage(
    host.getAttribute('page') ||
      document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href ||
      location.pathname,
  );
}
