/**
 * Her compliment collection in Chromium: she stars a comment and enters a compliment by hand;
 * both stay in her collection only, until she shows one publicly, which then appears in
 * `<leserpost-compliments>` on the demo blog. axe-core finds nothing on the page, on a phone and
 * a desktop, light and dark (screenshots in test-artifacts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { type BrowserWorld, describeInBrowser, screenshot, seedComment, startWorld } from './support';

const POST = '/posts/schwierigste-kundin';
/** The README's screenshot is refreshed with WRITE_SCREENSHOTS=1; other runs leave the tree clean. */
const README_SHOT = process.env.WRITE_SCREENSHOTS
  ? join(__dirname, '../../docs/screenshots/desk-compliments.png')
  : undefined;

describeInBrowser('her compliments at the desk, in Chromium', () => {
  let world: BrowserWorld;
  let commentId: string;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'all' });
    commentId = await seedComment(world.stack, {
      page: POST,
      name: 'Clara Kundin',
      text: 'Dein Beitrag hat mir den Montag gerettet. Danke!',
    });
    // Logged in as the outbox link would (desk.test.ts walks that way); the cookie of a local desk.
    const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
    if (!login.ok) throw new Error('no desk session');
    await world.context.addCookies([
      { name: 'leserpost-desk', value: login.sessionId, url: world.stack.url },
    ]);
  }, 90_000);
  afterAll(() => world?.close());

  async function at(
    path: string,
    size: { width: number; height: number },
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<Page> {
    const tab = await world.open(path, { colorScheme });
    await tab.setViewportSize(size);
    return tab;
  }
  const phone = { width: 390, height: 844 };
  const desktop = { width: 1280, height: 900 };

  /** axe-core through the debugging protocol: the desk's CSP rightly refuses an injected script tag. */
  async function expectClean(tab: Page, name: string): Promise<void> {
    await tab.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await tab.evaluate(async () => {
      const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({ id: v.id, nodes: v.nodes.map((n: any) => n.target) }));
    });
    await screenshot(tab, name);
    expect(violations).toEqual([]);
  }

  const shown = (page: Page) => page.locator('leserpost-compliments');

  it('keeps a starred comment and a hand entry private, and shows only what she makes public', async () => {
    const comment = await at(`/desk/comments/${commentId}`, phone);
    await comment.getByRole('button', { name: 'Als Kompliment merken' }).click();
    await comment.getByText('Der Kommentar ist in deiner Sammlung (privat).').waitFor();
    await comment.close();

    const tab = await at('/desk/compliments', phone);
    await tab.getByRole('heading', { name: 'Komplimente', level: 1 }).waitFor();
    await tab.getByText('Kompliment von Hand eintragen').click();
    await tab.getByLabel('Was wurde gesagt?').fill('Deine Workshops sind die besten, ehrlich.');
    await tab.getByLabel(/^Von wem/).fill('Coach Bettina');
    await tab.getByLabel(/^Woher/).fill('per Mail');
    await tab.getByRole('button', { name: 'Eintragen' }).click();
    await tab.getByText('Eingetragen.').waitFor();
    const entries = tab.getByRole('article');
    await entries.filter({ hasText: 'Deine Workshops sind die besten' }).waitFor();
    await entries.filter({ hasText: 'den Montag gerettet' }).waitFor();
    await expectClean(tab, 'desk-compliments');
    if (README_SHOT) await tab.screenshot({ path: README_SHOT, fullPage: true });

    // Nothing is public yet: the blog's element shows none of it.
    const blog = await world.open('/komplimente');
    await shown(blog).getByText('Noch keine Komplimente.').waitFor();
    await blog.close();

    // Searching by a word finds the one entry.
    await tab.getByLabel('In der Sammlung suchen').fill('workshops');
    await tab.getByRole('button', { name: 'Suchen', exact: true }).click();
    await tab.getByText('Einträge mit „workshops“').waitFor();
    expect(await tab.getByRole('article').count()).toBe(1);
    await tab.getByRole('link', { name: 'Alle zeigen' }).click();
    await tab.getByRole('article').nth(1).waitFor();

    const starred = tab.getByRole('article').filter({ hasText: 'den Montag gerettet' });
    await starred.getByRole('button', { name: 'Öffentlich zeigen' }).click();
    await tab.getByText('Der Eintrag ist jetzt öffentlich.').waitFor();

    const after = await world.open('/komplimente');
    const element = shown(after);
    await element.getByText('Dein Beitrag hat mir den Montag gerettet.', { exact: false }).waitFor();
    await element.getByText('Clara Kundin').waitFor();
    expect(await element.getByRole('link', { name: 'zum Beitrag' }).getAttribute('href')).toBe(
      `${world.stack.url}${POST}`,
    );
    // The hand entry stays in her collection only.
    expect(await element.getByText('Deine Workshops').count()).toBe(0);
    expect(await element.getByRole('listitem').count()).toBe(1);
    expect(await element.getByRole('heading').count()).toBe(0);
    await after.close();
  });

  it('reads well on a phone in the dark and on a desktop', async () => {
    const dark = await at('/desk/compliments', phone, 'dark');
    await dark.getByRole('article').first().waitFor();
    await expectClean(dark, 'desk-compliments-dark');
    const wide = await at('/desk/compliments', desktop);
    await wide.getByRole('article').first().waitFor();
    await expectClean(wide, 'desk-compliments-desktop');
    const wideDark = await at('/desk/compliments?lang=en', desktop, 'dark');
    await wideDark.getByRole('heading', { name: 'Compliments', level: 1 }).waitFor();
    await expectClean(wideDark, 'desk-compliments-desktop-dark-en');
  });
});
