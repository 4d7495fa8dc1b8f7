/**
 * Requests a reader's browser makes until the first comment is on screen: the demo post in
 * Chromium with a fresh profile (empty cache), against the local stack in this process.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { normalisePage } from '../functions/core/page';
import { CHROMIUM, startWorld } from '../test/browser/support';
import { benchDynamo, ROOT } from './dynamo-env';
import { progress, type Row } from './report';
import { seedComments } from './seed';

export const REQUESTS_GOAL = 2;
const POST = '/posts/schwierigste-kundin';
const MARKER = 'Bench-Kommentar';

interface SeenRequest {
  url: string;
  kind: 'widget' | 'api' | 'blog' | 'favicon';
}

export async function benchBrowser(): Promise<{ rows: Row[]; details: unknown }> {
  const figure = 'Requests until the first comment is visible (demo post, Chromium, empty cache)';
  const goal = `${REQUESTS_GOAL} (the script and one API call)`;
  const skip = (why: string) => ({
    rows: [{ section: 'browser', figure, measured: 'not measured', goal, verdict: `not measured: ${why}` }],
    details: { skipped: why },
  });
  if (!existsSync(CHROMIUM)) return skip(`no Chromium at ${CHROMIUM}`);
  if (!existsSync(join(ROOT, 'dev/demo', `${POST}.html`))) return skip('demo post not written yet');
  if (!existsSync(join(ROOT, 'widget/build.ts'))) return skip('widget not built yet');

  await benchDynamo();
  progress('browser: starting the local stack and Chromium');
  const world = await startWorld({ MODERATION: 'none' });
  try {
    // The widget keys the thread by the post's canonical URL, normalised like this.
    const page = normalisePage(POST);
    await seedComments(page, 12, (n) => `${MARKER} ${n}: Das mit den drei Fragen probiere ich aus!`);

    const seen: SeenRequest[] = [];
    const origin = new URL(world.stack.url).origin;
    await world.context.route('**/favicon.ico', (route) => route.abort());
    world.context.on('request', (request) => {
      const url = new URL(request.url());
      if (request.isNavigationRequest() && request.resourceType() === 'document') return;
      const kind: SeenRequest['kind'] = url.pathname.endsWith('/favicon.ico')
        ? 'favicon'
        : url.origin === origin && url.pathname.startsWith('/widget/')
          ? 'widget'
          : url.origin === origin && url.pathname.startsWith('/api/')
            ? 'api'
            : 'blog';
      seen.push({ url: url.origin === origin ? url.pathname + url.search : url.href, kind });
    });

    const tab = await world.context.newPage();
    const start = Date.now();
    await tab.goto(world.stack.url + POST, { waitUntil: 'commit' });
    // A string, not a function: the bench runs through tsx, whose helpers do not exist in the page.
    await tab.waitForFunction(
      `(() => {
        const walk = (root) => [...root.querySelectorAll('*')].some(
          (el) => el.shadowRoot && (el.shadowRoot.textContent.includes(${JSON.stringify(MARKER)}) || walk(el.shadowRoot)),
        );
        return walk(document);
      })()`,
      undefined,
      { timeout: 20_000, polling: 'raf' },
    );
    const visibleAfterMs = Date.now() - start;
    const untilVisible = [...seen];
    // Then the form: it comes with its chunk once the browser is idle.
    await tab.waitForFunction(
      `!!document.querySelector('leserpost-comments')?.shadowRoot?.querySelector('form textarea')`,
      undefined,
      { timeout: 20_000, polling: 'raf' },
    );
    const usableAfterMs = Date.now() - start;
    const untilForm = seen.slice(untilVisible.length).filter((r) => r.kind === 'widget' || r.kind === 'api');
    // Anything the widget fetches after that (none expected) is reported too.
    await tab.waitForTimeout(1500);
    const later = seen.slice(untilVisible.length);

    const ours = untilVisible.filter((r) => r.kind === 'widget' || r.kind === 'api');
    const blog = untilVisible.filter((r) => r.kind === 'blog');
    const favicon = seen.filter((r) => r.kind === 'favicon').length;
    const apiPages = ours.filter((r) => r.url.startsWith('/api/comments?'));
    if (!apiPages.some((r) => new URL(r.url, origin).searchParams.get('page') === page)) {
      progress(`browser: the widget asked for ${apiPages.map((r) => r.url).join(', ')}, seeded ${page}`);
    }
    const measured = `${ours.length}: ${ours.map((r) => r.url).join(', ')} (visible after ${visibleAfterMs} ms; favicon requests, blocked: ${favicon})`;
    return {
      rows: [
        {
          section: 'browser',
          figure: `${figure}; blog's own files and the document not counted`,
          measured,
          goal,
          verdict: ours.length <= REQUESTS_GOAL ? 'met' : `missed by ${ours.length - REQUESTS_GOAL}`,
        },
        {
          section: 'browser',
          figure: 'Requests after that until the comment form is usable (same page view)',
          measured: `${untilForm.length}: ${untilForm.map((r) => r.url.replace(/\.[0-9a-f]{10}\./, '.<hash>.')).join(', ')} (usable after ${usableAfterMs} ms)`,
          goal: '1 (the form chunk)',
          verdict: untilForm.length <= 1 ? 'met' : `missed by ${untilForm.length - 1}`,
        },
      ],
      details: {
        leserpostRequests: ours,
        blogRequests: blog,
        afterVisible: later,
        faviconRequests: favicon,
        visibleAfterMs,
      },
    };
  } finally {
    await world.close();
  }
}
