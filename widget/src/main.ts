/**
 * The one script a blog embeds:
 * `<script src="…/leserpost.js" data-api="https://…/api" data-privacy-url="/datenschutz" defer></script>`
 * (plus `data-reads="https://…"` for reads through the edge cache).
 * Defines `<leserpost-comments>`, `<leserpost-wishes>` and `<leserpost-compliments>` (their code is
 * fetched only where the element is placed), `<leserpost-wish-credit>`, and fills every
 * `data-leserpost-count="/path"` with one request.
 */
import { LIMITS } from '../../functions/core/limits';
import { normalisePage } from '../../functions/core/page';
import { comments } from './comments';
import type { FormChunk } from './forms';
import { addTexts, apiUrl, type Config, type Kit, makeKit, pageOf } from './kit';
import css from './widget.css';

// Works as a classic (defer) script and as a module, where currentScript is null.
const script = (document.currentScript ??
  document.querySelector('script[src*="leserpost"]')) as HTMLScriptElement | null;
// `/api` on the blog's own origin unless the script names an http(s) one.
const api = apiUrl(script?.dataset.api, apiUrl('/api', ''));
const config: Config = {
  api,
  reads: apiUrl(script?.dataset.reads, api),
  privacy: script?.dataset.privacyUrl,
  base: script?.src || location.href,
  // Fetched once; its texts join the others when it arrives.
  form: () =>
    (form ??= chunk('form').then(
      (module: FormChunk) => {
        addTexts(module.TEXTS);
        return module;
      },
      (error) => {
        // Not kept: the next reply or edit she starts fetches it again.
        form = undefined;
        throw error;
      },
    )),
};

/**
 * The hash of all chunks' contents (set by widget/build.ts): chunk `name` is `leserpost-<name>.<hash>.js`.
 * One hash for all keeps the main script small; any changed chunk renames them all.
 */
declare const __LESERPOST_CHUNKS__: string;

const chunk = (name: string) =>
  import(new URL(`leserpost-${name}.${__LESERPOST_CHUNKS__}.js`, config.base).href);
let form: Promise<FormChunk> | undefined;

const started = new WeakSet<HTMLElement>();

function define(name: string, start: (host: HTMLElement, kit: Kit) => unknown): void {
  if (customElements.get(name)) return;
  customElements.define(
    name,
    class extends HTMLElement {
      connectedCallback(): void {
        // Moving an element in the DOM calls this again; build it once.
        if (!started.has(this)) {
          started.add(this);
          start(this, makeKit(this, config));
        }
      }
    },
  );
}

define('leserpost-comments', (host, kit) => comments(host, kit, css, pageOf(host)));
// The wish credit, the wish board and the compliments fetch their chunk only where their element is placed.
define('leserpost-wish-credit', async (host, kit) =>
  (await chunk('credit')).credit(host, kit, css, pageOf(host)),
);
for (const name of ['wishes', 'compliments'])
  define(`leserpost-${name}`, async (host, kit) => (await chunk(name))[name](host, kit, css));

/** All counts of an index page with one request per hundred pages. */
async function counts(): Promise<void> {
  const elements = [...document.querySelectorAll<HTMLElement>('[data-leserpost-count]')];
  // A page the API would refuse (too long) is left out, or it would cost its 99 neighbours their counts.
  const pages = [...new Set(elements.map((el) => normalisePage(el.dataset.leserpostCount!)))].filter(
    (page) => page.length <= LIMITS.page.maxChars,
  );
  for (let i = 0; i < pages.length; i += LIMITS.counts.maxPages) {
    const batch = pages.slice(i, i + LIMITS.counts.maxPages);
    try {
      const result = await makeKit(document.documentElement, config).api<{ counts: Record<string, number> }>(
        `/comments/counts?pages=${batch.map(encodeURIComponent).join(',')}`,
      );
      for (const el of elements) {
        const count = result.counts[normalisePage(el.dataset.leserpostCount!)];
        // Only a number: an answer's object or null never shows as "[object Object]".
        if (typeof count === 'number') el.textContent = String(count);
      }
    } catch {
      // The count placeholders keep what the blog put there.
    }
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', counts);
else counts();

// Marks this file as an ES module: the repo's package.json says commonjs, and esbuild would wrap
// every import in lazy initialisers, which keeps the minifier from dropping unused schemas.
// biome-ignore lint/complexity/noUselessEmptyExport: see above
export {};
