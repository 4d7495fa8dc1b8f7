/**
 * In Chromium: signed out, she opens a tab of the desk (a bookmark, a link in a mail), signs in
 * with the link in her mail, opened in another browser (her phone's mail app), and the desk opens
 * the tab she asked for, not the inbox.
 */
import { axe, type BrowserWorld, describeInBrowser, screenshot, startWorld, waitForMail } from './support';

describeInBrowser('the desk after signing in, in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({});
  }, 120_000);
  afterAll(() => world?.close());

  it('opens the page she asked for, with the mail link opened in another browser', async () => {
    const asked = '/desk/wishes?status=accepted';
    const tab = await world.open(asked);
    await tab.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    const login = new URL(tab.url());
    expect(login.pathname).toBe('/desk/login');
    expect(login.searchParams.get('next')).toBe(asked);
    // The page looks as before: `next` is a hidden field, nothing more to read.
    expect((await axe(tab)).violations).toEqual([]);
    await screenshot(tab, 'desk-login-with-next');
    await tab.getByLabel('E-Mail-Adresse').fill('autorin@localhost');
    await tab.getByRole('button', { name: 'Link schicken' }).click();
    await tab.getByText('ist der Link unterwegs').waitFor();

    const mail = await waitForMail(world.stack, 'Anmelde-Link');
    const link = /https?:\/\/\S+\/desk\/login\/confirm\?t=\S+/.exec(mail.text)![0];
    // Her phone: a browser profile of its own, which knows nothing of the first tab.
    const phone = await (await world.otherReader()).newPage();
    await phone.goto(link);
    await phone.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await phone.getByRole('heading', { name: 'Wünsche', level: 1 }).waitFor();
    const opened = new URL(phone.url());
    expect(`${opened.pathname}${opened.search}`).toBe(asked);
    expect(await phone.getByRole('link', { name: /^Angenommen/ }).getAttribute('aria-current')).toBe('page');
  }, 180_000);
});
