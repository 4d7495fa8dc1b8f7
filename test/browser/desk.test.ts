/**
 * The author's desk in Chromium, as she uses it on her phone: log in through the link in the
 * outbox, see what waits, approve, and find the comment on the post. axe-core finds nothing on
 * any desk page, light or dark; the README's screenshots are taken here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ARTIFACTS,
  apiCall,
  axe,
  type BrowserWorld,
  describeInBrowser,
  screenshot,
  startWorld,
  waitForMail,
} from './support';

const POST = '/posts/schwierigste-kundin';
/** The README's screenshots are refreshed with WRITE_SCREENSHOTS=1; other runs leave the tree clean. */
const SCREENSHOTS = process.env.WRITE_SCREENSHOTS ? join(__dirname, '../../docs/screenshots') : ARTIFACTS;

describeInBrowser('the author’s desk in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'all' });
    await apiCall(world.stack, 'POST', '/comments', {
      page: POST,
      name: 'Clara Kundin',
      email: 'clara@example.org',
      text: 'Genau diese Kundin hatte ich letzte Woche. Danke für die drei Fragen!',
      consent: true,
    });
    await apiCall(world.stack, 'POST', '/wishes', {
      topic: 'Wie erhöhe ich meine Preise, ohne Kundinnen zu verlieren?',
      displayName: 'Bettina',
      showName: true,
      email: 'bettina@example.org',
      consent: true,
    });
  }, 120_000);
  afterAll(() => world?.close());

  async function phone(path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const tab = await world.open(path, { colorScheme });
    await tab.setViewportSize({ width: 390, height: 844 });
    return tab;
  }

  async function expectClean(tab: Page, name: string, readme?: string): Promise<void> {
    const violations = (await axe(tab)).violations;
    await screenshot(tab, name);
    if (readme) await tab.screenshot({ path: join(SCREENSHOTS, `${readme}.png`) });
    expect(violations).toEqual([]);
  }

  it('logs in through the outbox link, shows the inbox, approves, and the comment is on the post', async () => {
    const tab = await phone('/desk');
    // Without a session the desk sends her to the login page.
    expect(new URL(tab.url()).pathname).toBe('/desk/login');
    await expectClean(tab, 'desk-login', 'desk-login');
    await tab.getByLabel('E-Mail-Adresse').fill('autorin@localhost');
    await tab.getByRole('button', { name: 'Link schicken' }).click();
    await tab.waitForLoadState();
    await tab.getByText('ist der Link unterwegs').waitFor();

    const mail = await waitForMail(world.stack, 'Anmelde-Link');
    const link = /https?:\/\/\S+\/desk\/login\/confirm\?t=\S+/.exec(mail.text)![0];
    await tab.goto(link);
    await expectClean(tab, 'desk-login-confirm');
    await tab.getByRole('button', { name: 'Anmelden' }).click();
    await tab.getByRole('heading', { name: 'Eingang', level: 1 }).waitFor();
    expect(await tab.title()).toMatch(/^\(2\) Eingang/);
    await expectClean(tab, 'desk-inbox', 'desk-inbox');

    const dark = await phone('/desk', 'dark');
    await dark.getByRole('heading', { name: 'Eingang', level: 1 }).waitFor();
    await expectClean(dark, 'desk-inbox-dark', 'desk-inbox-dark');
    await dark.close();

    const comment = tab.getByRole('article', { name: /Clara Kundin/ });
    await comment.getByRole('button', { name: 'Freigeben', exact: true }).click();
    await tab.getByText('1 Eintrag erledigt.').waitFor();
    expect(await tab.title()).toMatch(/^\(1\) Eingang/);

    const post = await world.open(POST);
    await post
      .locator('leserpost-comments')
      .getByText('Genau diese Kundin hatte ich letzte Woche.', { exact: false })
      .waitFor();
  });

  it('shows the wish board and plans a wish', async () => {
    const tab = await phone('/desk/wishes');
    await tab.getByRole('heading', { name: 'Wünsche', level: 1 }).waitFor();
    await expectClean(tab, 'desk-wishes', 'desk-wishes');
    // The two log-out buttons at the foot stand apart, not glued into one.
    const logout = await tab.getByRole('button', { name: 'Abmelden', exact: true }).boundingBox();
    const everywhere = await tab.getByRole('button', { name: 'Überall abmelden' }).boundingBox();
    const sideBySide = Math.abs(logout!.y - everywhere!.y) < 4;
    const gap = sideBySide
      ? everywhere!.x - (logout!.x + logout!.width)
      : everywhere!.y - (logout!.y + logout!.height);
    expect(gap).toBeGreaterThanOrEqual(6);
    const wish = tab.getByRole('article', { name: /meine Preise/ });
    await wish.getByRole('button', { name: 'Einplanen' }).click();
    await tab.getByText('Erledigt.').waitFor();
    await tab.getByRole('link', { name: 'Geplant' }).click();
    await tab.getByRole('article', { name: /meine Preise/ }).waitFor();
  });

  it('looks a reader up, shows her comment, and erases it after the ticked box', async () => {
    const tab = await phone('/desk/readers');
    await tab.getByRole('heading', { name: 'Leser:innen-Daten', level: 1 }).waitFor();
    await tab.getByLabel('E-Mail-Adresse der Leserin oder des Lesers').fill('clara@example.org');
    await tab.getByRole('button', { name: 'Nachschlagen' }).click();
    await tab.getByText('1 Kommentar', { exact: true }).waitFor();
    await tab.getByText('Genau diese Kundin hatte ich letzte Woche.', { exact: false }).waitFor();
    expect(new URL(tab.url()).search).toBe('');
    // Five navigation entries still fit a phone: nothing scrolls sideways.
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectClean(tab, 'desk-readers');
    await tab.getByLabel('Ja, alles zu dieser Adresse endgültig löschen').check();
    await tab.getByRole('button', { name: 'Löschen', exact: true }).click();
    await tab.getByText('Kommentare entfernt: 1').waitFor();
    await expectClean(tab, 'desk-readers-erased');
  });

  it('downloads the backup as JSON and checks the file back, on a phone and a desktop', async () => {
    const tab = await phone('/desk/backup');
    await tab.getByRole('heading', { name: 'Sicherung', level: 1 }).waitFor();
    await expectClean(tab, 'desk-backup');
    const [download] = await Promise.all([
      tab.waitForEvent('download'),
      tab.getByRole('button', { name: 'Sicherung herunterladen' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^leserpost-backup-\d{4}-\d{2}-\d{2}\.json$/);
    const file = (await download.path())!;
    // The browser saved it unpacked (the answer was gzip-encoded).
    const backup = JSON.parse(readFileSync(file, 'utf8'));
    expect(backup).toMatchObject({ format: 'leserpost-backup', version: 1, withEmails: false });
    expect(JSON.stringify(backup)).not.toContain('@');

    await tab.getByLabel('Sicherungsdatei (.json oder .json.gz)').setInputFiles(file);
    await tab.getByRole('button', { name: 'Nur prüfen' }).click();
    await tab.getByText('Die Datei ist in Ordnung.', { exact: false }).waitFor();
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectClean(tab, 'desk-backup-checked');
    await tab.setViewportSize({ width: 1280, height: 900 });
    await expectClean(tab, 'desk-backup-desktop');
  });

  it('works with the keyboard alone and in English', async () => {
    const tab = await phone('/desk?lang=en');
    await tab.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await tab.keyboard.press('Tab');
    expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await expectClean(tab, 'desk-inbox-en');
    // The choice stays on the next page.
    await tab.goto(`${world.stack.url}/desk`);
    await tab.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await tab.goto(`${world.stack.url}/desk?lang=de`);
  });
});
