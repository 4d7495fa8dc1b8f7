/**
 * The passkey button under its rate limit, in Chromium: with every limit scaled down to one
 * (RATE_LIMIT_SCALE), the login page's script gets its challenge once; a second login page from the
 * same network gets a 429 and says in her words what to do instead.
 */
import { type BrowserWorld, describeInBrowser, screenshot, startWorld } from './support';

describeInBrowser('the desk login page under its limits in Chromium', () => {
  let world: BrowserWorld;

  beforeAll(async () => {
    world = await startWorld({ RATE_LIMIT_SCALE: '0.01' });
  }, 120_000);
  afterAll(() => world?.close());

  it('says why the passkey button cannot work and what to do, once the network used up its challenges', async () => {
    const first = await world.open('/desk/login');
    // The first page got its challenge: the button is ready and nothing is said.
    await first.locator('form[data-passkey="login"][data-ready="1"]').waitFor({ timeout: 60_000 });
    expect(await first.locator('[data-passkey-status]').textContent()).toBe('');
    const second = await world.open('/desk/login');
    const status = second.locator('[data-passkey-status]');
    await status.getByText('Zu viele Passkey-Anmeldeversuche').waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(/in ein paar Minuten.*Anmeldelink per Mail/);
    expect(await second.locator('form[data-passkey="login"][data-ready="1"]').count()).toBe(0);
    await screenshot(second, 'desk-login-passkey-limited');
  }, 120_000);
});
