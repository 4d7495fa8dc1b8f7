/**
 * The browser tests' world: the whole local stack in this jest worker (its own table in the shared
 * DynamoDB Local), Debian's Chromium driven by playwright-core, screenshots in test-artifacts/, and
 * axe-core run over the page including the widget's shadow roots.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { type LocalStack, startLocalStack } from '../../dev/local-stack';
import { listOutbox } from '../../dev/outbox';
import { applyCommentAction } from '../../functions/store/comments';
import { parseMail, type ReadMail } from '../support/outbox';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '../../test-artifacts');

/**
 * Without Chromium the browser tests skip with a loud notice, so `npm test` works on any machine;
 * CI sets CI=true and then a missing Chromium fails the run instead of hiding the tests.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    // Chromium, DynamoDB Local and jest share two cores: generous bounds against a hang, not timings.
    jest.setTimeout(90_000);
    describe(name, body);
    return;
  }
  if (process.env.CI && process.env.CI !== 'false') {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`CI is set but ${CHROMIUM} is missing: install chromium (see .ci/run).`);
      });
    });
    return;
  }
  console.warn(
    `\n${'!'.repeat(72)}\n!! SKIPPED browser tests "${name}": no Chromium at ${CHROMIUM}.\n` +
      `!! Install it (apt-get install chromium) or set CHROMIUM_PATH. CI=true turns this into a failure.\n${'!'.repeat(72)}\n`,
  );
  describe.skip(name, body);
}

export interface BrowserWorld {
  stack: LocalStack;
  context: BrowserContext;
  page: Page;
  /** Opens a fresh page (tab) at a path of the demo blog. */
  open: (path: string, options?: { colorScheme?: 'light' | 'dark' }) => Promise<Page>;
  /** Another reader: a browser profile of its own (its own localStorage), closed with the world. */
  otherReader: () => Promise<BrowserContext>;
  close: () => Promise<void>;
}

/**
 * `mail`: run the stream poller, so the notifier writes the author's mails into the outbox.
 * `edgeCache`: the local stack also serves the emulated CloudFront at /edge, its clock stopped
 * (nothing expires during the test).
 */
export async function startWorld(
  env: Record<string, string>,
  options: { mail?: boolean; edgeCache?: boolean } = {},
): Promise<BrowserWorld> {
  const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT;
  if (!dynamoEndpoint)
    throw new Error('DYNAMODB_ENDPOINT is not set: run the tests through jest (globalSetup).');
  const dataDir = mkdtempSync(join(tmpdir(), 'leserpost-browser-'));
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    dynamoEndpoint,
    tableName: `browser-${randomBytes(5).toString('hex')}`,
    notifier: options.mail ? 'TRIM_HORIZON' : undefined,
    edgeCache: options.edgeCache ? { now: () => 0 } : undefined,
    env: { BROWSER_GUARDS: 'off', RATE_LIMIT_SCALE: '0', ...env },
  });
  const profiles: BrowserContext[] = [];
  const launch = async (name: string) => {
    const profile = await chromium.launchPersistentContext(join(dataDir, name), {
      executablePath: CHROMIUM,
      headless: true,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      viewport: { width: 900, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Room for a busy CI machine (a reload, a list and a status check took over 20 s at load 8 next
    // to a fault test); a wait only says how long a missing element may take to fail the test.
    profile.setDefaultTimeout(60_000);
    profiles.push(profile);
    return profile;
  };
  const context = await launch('chromium-profile');
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    stack,
    context,
    page,
    open: async (path, options = {}) => {
      const tab = await context.newPage();
      await tab.emulateMedia({ colorScheme: options.colorScheme ?? 'light' });
      await tab.goto(stack.url + path);
      return tab;
    },
    otherReader: () => launch(`chromium-profile-${profiles.length}`),
    close: async () => {
      for (const profile of profiles) await profile.close();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: unknown[]; failureSummary: string }[];
}

/**
 * Runs axe-core over the whole page. axe walks open shadow roots itself; the result says how many
 * checked nodes lay inside a shadow root, so a test can prove the widget was really examined.
 * axe is loaded through the debugging protocol, not a script tag, which the desk's CSP rightly refuses.
 */
export async function axe(page: Page): Promise<{ violations: AxeViolation[]; shadowNodesChecked: number }> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations', 'passes'] });
    // A target inside a shadow root is a list of selectors: host first, then inside.
    const shadowNodesChecked = result.passes
      .flatMap((rule: any) => rule.nodes)
      .filter((node: any) => Array.isArray(node.target[0])).length;
    const violations = result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
    return { violations, shadowNodesChecked };
  });
}

/** Calls the local API as another reader's browser on the blog would (for seeding). */
export async function apiCall(stack: LocalStack, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin: stack.url },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} failed: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** A comment by another reader, approved by the author, so every visitor sees it. */
export async function seedComment(
  stack: LocalStack,
  fields: { page: string; name: string; text: string; website?: string; parentId?: string },
): Promise<string> {
  const email = `leserin.${randomBytes(3).toString('hex')}@example.org`;
  const { comment } = await apiCall(stack, 'POST', '/comments', { email, consent: true, ...fields });
  const approved = await applyCommentAction(comment.id, 'approve', new Date());
  // Under MODERATION=none it went up at once: already approved.
  if (approved.outcome !== 'done' && approved.outcome !== 'already')
    throw new Error(`approving failed: ${approved.outcome}`);
  return comment.id;
}

/** The element that has the focus, looking into shadow roots. */
export function focused(
  page: Page,
): Promise<{ tag: string; name: string | null; label: string | null; text: string; form: string | null }> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      name: element?.getAttribute('name') ?? null,
      label: element?.getAttribute('aria-label') ?? null,
      text: element?.tagName === 'BUTTON' ? (element.textContent ?? '').trim() : '',
      // The form's name: the heading its aria-labelledby points to.
      form:
        (element?.getRootNode() as ShadowRoot | undefined)?.getElementById?.(
          element?.closest('form')?.getAttribute('aria-labelledby') ?? '',
        )?.textContent ?? null,
    };
  });
}

/** The error paragraph of an input: the last id its aria-describedby names. */
export async function describedError(input: Locator): Promise<Locator> {
  const ids = (await input.getAttribute('aria-describedby'))?.split(' ') ?? [];
  return input.page().locator(`[id="${ids.at(-1)}"]`);
}

/** Waits until the element's text is exactly this (the widget renders after its API call). */
export async function expectText(locator: Locator, text: string): Promise<void> {
  let last: string | undefined;
  // A deadline, not a count of rounds: at load 8 on two cores each round takes far longer.
  for (const deadline = Date.now() + 45_000; Date.now() < deadline; ) {
    last = (await locator.textContent())?.trim();
    if (last === text) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(last).toBe(text);
}

/** Waits for the mail whose subject contains this text (the stream poller delivers asynchronously). */
export async function waitForMail(stack: LocalStack, subject: string): Promise<ReadMail> {
  // The stream poller delivers it; DynamoDB Local's stream lags by seconds on a busy machine.
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    for (const name of listOutbox(stack.outboxDir)) {
      const mail = await parseMail(readFileSync(join(stack.outboxDir, name)));
      if (mail.subject.includes(subject)) return mail;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No mail about "${subject}" in ${stack.outboxDir}`);
}

/** Places a widget element into the page's main, as a theme would (attributes such as `page`, `lang`). */
export async function placeElement(
  page: Page,
  tag: string,
  id: string,
  attributes: Record<string, string>,
): Promise<Locator> {
  await page.evaluate(
    ({ tag, id, attributes }) => {
      const element = document.createElement(tag);
      element.id = id;
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      document.querySelector('main')!.append(element);
    },
    { tag, id, attributes },
  );
  return page.locator(`#${id}`);
}

/** Replaces the page's widgets of this kind (the demo's own, earlier ones) by a fresh element. */
export async function replaceElement(
  page: Page,
  tag: string,
  id: string,
  attributes: Record<string, string>,
): Promise<Locator> {
  await page.evaluate((tag) => {
    for (const element of document.querySelectorAll(tag)) element.remove();
  }, tag);
  return placeElement(page, tag, id, attributes);
}

/** A promise the test opens when it wants: to hold an intercepted answer, or to learn that a request came. */
export function gate(): { passed: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const passed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { passed, open };
}

/** Collects what the page throws or rejects without catching (the widget never should). */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** The links in an element's shadow root that would run something: any scheme but http(s) and mailto. */
export function scriptedLinks(element: Locator): Promise<string[]> {
  return element.evaluate((el) =>
    [...el.shadowRoot!.querySelectorAll('a')]
      .map((a) => a.getAttribute('href') ?? '')
      .filter((href) => !['http:', 'https:', 'mailto:'].includes(new URL(href, location.href).protocol)),
  );
}
