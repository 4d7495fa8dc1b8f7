/**
 * "Meine Daten" as a reader does it on a phone: the form the widget links to, the mail in the
 * outbox, her data page, the JSON download, the erasure, and the author's mail about it. Every
 * page is screenshotted (test-artifacts/) and axe-core finds nothing on any of them.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import {
  apiCall,
  type BrowserWorld,
  describeInBrowser,
  screenshot,
  startWorld,
  waitForMail,
} from './support';

const PAGE = '/2026/11/meine-daten/';
const ERIKA = 'erika.browser@example.org';

describeInBrowser('"Meine Daten" in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'none' }, { mail: true });
    await apiCall(world.stack, 'POST', '/comments', {
      page: PAGE,
      name: 'Erika',
      email: ERIKA,
      text: 'Mein Kommentar, den ich später wiedersehen will.',
      consent: true,
    });
  }, 120_000);
  afterAll(() => world?.close());

  async function phone(path: string): Promise<Page> {
    const tab = await world.open(path);
    await tab.setViewportSize({ width: 390, height: 844 });
    return tab;
  }

  /** axe-core through the debugging protocol: the pages' CSP rightly refuses an injected script tag. */
  async function expectClean(tab: Page, name: string): Promise<void> {
    await tab.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await tab.evaluate(async () => {
      const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.map((n: any) => n.target),
      }));
    });
    await screenshot(tab, name);
    expect(violations).toEqual([]);
    // Nothing scrolls sideways on a phone.
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  }

  it('sends the link, shows her data, downloads it, erases it, and tells the author', async () => {
    const tab = await phone('/api/readers/data?lang=de');
    await tab.getByRole('heading', { name: 'Meine Daten', level: 1 }).waitFor();
    await expectClean(tab, 'my-data-form');

    // A typo first: the form says which field, and keeps what she typed.
    await tab.getByLabel('Deine E-Mail-Adresse').fill('erika.browser@');
    await tab.evaluate(() => document.querySelector('form')!.setAttribute('novalidate', ''));
    await tab.getByRole('button', { name: 'Link schicken' }).click();
    await tab.getByRole('alert').getByText('„email“', { exact: false }).waitFor();
    await expectClean(tab, 'my-data-form-problem');

    await tab.getByLabel('Deine E-Mail-Adresse').fill(ERIKA);
    await tab.getByRole('button', { name: 'Link schicken' }).click();
    await tab.getByRole('heading', { name: 'Schau in dein Postfach' }).waitFor();
    await expectClean(tab, 'my-data-sent');

    const mail = await waitForMail(world.stack, 'Deine Daten');
    expect(mail.to).toContain(ERIKA);
    const link = /https?:\/\/\S+\/readers\/data\/view\?t=\S+/.exec(mail.text)![0];
    await tab.goto(link);
    await tab.getByRole('heading', { name: 'Deine Daten', level: 1 }).waitFor();
    await tab.getByText('Mein Kommentar, den ich später wiedersehen will.').waitFor();
    await expectClean(tab, 'my-data-page');

    const [download] = await Promise.all([
      tab.waitForEvent('download'),
      tab.getByRole('button', { name: 'Alles als Datei herunterladen (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('meine-daten.json');
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(data.comments.map((c: { text: string }) => c.text)).toEqual([
      'Mein Kommentar, den ich später wiedersehen will.',
    ]);

    await tab.getByLabel('Ja, alles zu meiner Adresse löschen').check();
    await tab.getByRole('button', { name: 'Endgültig löschen' }).click();
    await tab.getByRole('heading', { name: 'Gelöscht', level: 1 }).waitFor();
    await tab.getByText('Kommentare entfernt: 1').waitFor();
    await expectClean(tab, 'my-data-erased');

    const notice = await waitForMail(world.stack, 'Daten einer Leser:in gelöscht');
    expect(notice.text).toContain('Kommentare entfernt: 1');
    expect(notice.text).not.toContain(ERIKA);

    // The link has nothing left; a changed link is refused with a page that says why.
    await tab.goto(link);
    await tab.getByRole('heading', { name: 'Hier ist nichts mehr' }).waitFor();
    await expectClean(tab, 'my-data-gone');
    await tab.goto(link.replace(/.{4}$/, 'AAAA'));
    await tab.getByRole('heading', { name: 'Dieser Link gilt nicht' }).waitFor();
    await expectClean(tab, 'my-data-refused');
  });

  it('speaks English with ?lang=en', async () => {
    const tab = await phone('/api/readers/data?lang=en');
    await tab.getByRole('heading', { name: 'My data', level: 1 }).waitFor();
    await expectClean(tab, 'my-data-form-en');
  });
});
