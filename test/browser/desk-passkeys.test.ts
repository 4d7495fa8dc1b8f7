/**
 * Passkeys at the desk in Chromium, with the DevTools Protocol's virtual authenticator standing in
 * for her phone's (CTAP2, built in, resident keys, user verification): she logs in by the mail
 * link from the outbox, adds a passkey in the settings, logs out, signs in with the passkey and
 * sees the inbox, then removes it, after which it opens the desk no more. axe-core finds nothing on
 * the settings and login pages; a browser without WebAuthn shows no passkey button.
 *
 * Passkey autofill (conditional mediation): Chromium's virtual authenticator answers the login
 * page's quiet request at once with its only passkey, where her phone would show it among the
 * address field's suggestions and wait for her tap; what Chromium cannot show is that list itself.
 */
import type { CDPSession, Page } from 'playwright-core';
import { axe, type BrowserWorld, describeInBrowser, screenshot, startWorld, waitForMail } from './support';

/** Her phone's authenticator as Chromium simulates it: built in, resident keys, she always confirms. */
const PHONE = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
} as const;

describeInBrowser('passkeys at the desk in Chromium', () => {
  let world: BrowserWorld;
  let desk: Page;
  let cdp: CDPSession;
  let authenticatorId: string;

  beforeAll(async () => {
    world = await startWorld({}, { mail: true });
    desk = await world.open('/desk/login');
    // Her browser with or without passkey autofill (switched per step), and a log of what the page
    // asked the device for and how the address field was marked at that moment (passed through).
    await desk.addInitScript(() => {
      if (localStorage.getItem('autofill') === 'off')
        delete (PublicKeyCredential as { isConditionalMediationAvailable?: unknown })
          .isConditionalMediationAvailable;
      const get = navigator.credentials.get.bind(navigator.credentials);
      navigator.credentials.get = (options) => {
        const asked = JSON.parse(sessionStorage.getItem('asked') ?? '[]');
        const autocomplete = document.getElementById('email')?.getAttribute('autocomplete');
        asked.push({ mediation: options?.mediation ?? 'optional', autocomplete });
        sessionStorage.setItem('asked', JSON.stringify(asked));
        return get(options);
      };
    });
    // The virtual authenticator belongs to this tab: the whole story runs in it.
    cdp = await world.context.newCDPSession(desk);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: PHONE,
    }));
    await desk.getByLabel('E-Mail-Adresse').fill('autorin@localhost');
    await desk.getByRole('button', { name: 'Link schicken' }).click();
    await desk.getByText('ist der Link unterwegs').waitFor();
    const mail = await waitForMail(world.stack, 'Anmelde-Link');
    await desk.goto(/https?:\/\/\S+\/desk\/login\/confirm\?t=\S+/.exec(mail.text)![0]);
    await desk.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await desk.getByRole('heading', { name: 'Eingang', level: 1 }).waitFor();
  }, 120_000);
  afterAll(() => world?.close());

  /** Screenshots at the desktop width and a phone's, and axe over the page. */
  async function look(name: string): Promise<void> {
    expect((await axe(desk)).violations).toEqual([]);
    await screenshot(desk, name);
    await desk.setViewportSize({ width: 390, height: 844 });
    await screenshot(desk, `${name}-phone`);
    await desk.setViewportSize({ width: 900, height: 1000 });
  }

  async function logOut(): Promise<void> {
    await desk.getByRole('button', { name: 'Abmelden', exact: true }).click();
    await desk.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
  }

  const setAutofill = (on: boolean) =>
    desk.evaluate((on) => {
      if (on) localStorage.removeItem('autofill');
      else localStorage.setItem('autofill', 'off');
      sessionStorage.removeItem('asked');
    }, on);
  const asked = () => desk.evaluate(() => JSON.parse(sessionStorage.getItem('asked') ?? '[]'));

  it('adds a passkey, signs in with it after logging out (button, then autofill), and removes it', async () => {
    // First a browser without passkey autofill: the button is the way in.
    await setAutofill(false);
    await desk.goto(`${world.stack.url}/desk/settings`);
    await desk.getByText('Noch kein Passkey eingetragen.').waitFor();
    // With WebAuthn the script shows the form and hides the note for browsers without it.
    expect(await desk.getByText('Dieser Browser kann hier keine Passkeys anlegen').isVisible()).toBe(false);
    await desk.getByLabel('Name des Passkeys').fill('iPhone');
    // The script holds a challenge before the click (Safari allows WebAuthn only in the click's turn).
    await desk.locator('form[data-passkey="register"][data-ready]').waitFor();
    await desk.getByRole('button', { name: 'Passkey hinzufügen' }).click();
    await desk.getByText('Der Passkey ist eingetragen.').waitFor();
    const entry = desk.getByRole('listitem').filter({ hasText: 'iPhone' });
    await entry.getByText('noch nie benutzt').waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    expect(credentials[0]!.rpId).toBe('localhost');
    await look('desk-passkeys-settings');

    await logOut();
    await look('desk-passkeys-login');
    await desk.locator('form[data-passkey="login"][data-ready]').waitFor();
    await desk.getByRole('button', { name: 'Mit Passkey anmelden' }).click();
    await desk.getByRole('heading', { name: 'Eingang', level: 1 }).waitFor();
    expect(new URL(desk.url()).pathname).toBe('/desk');

    expect(await asked()).toEqual([{ mediation: 'optional', autocomplete: 'email' }]);

    await desk.goto(`${world.stack.url}/desk/settings`);
    const used = desk.getByRole('listitem').filter({ hasText: 'iPhone' });
    await used.getByText(/Zuletzt benutzt: \d\d\.\d\d\.\d{4}, \d\d:\d\d/).waitFor();

    // With passkey autofill, the login page signs her in from the address field, no button.
    await setAutofill(true);
    await desk.getByRole('button', { name: 'Abmelden', exact: true }).click();
    // Log out, the login page, its challenge, the device, the sign-in: room for a busy machine.
    await desk.getByRole('heading', { name: 'Eingang', level: 1 }).waitFor({ timeout: 60_000 });
    expect(new URL(desk.url()).pathname).toBe('/desk');
    // Only the field's quiet request asked the device (again, should the challenge have been renewed).
    const calls = await asked();
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls)
      expect(call).toEqual({ mediation: 'conditional', autocomplete: 'username webauthn' });

    await setAutofill(false);
    await desk.goto(`${world.stack.url}/desk/settings`);
    await used.getByRole('button', { name: 'Passkey „iPhone“ entfernen' }).click();
    await desk.getByText('Der Passkey ist entfernt').waitFor();
    await desk.getByText('Noch kein Passkey eingetragen.').waitFor();

    // The device still holds it, but the desk no longer knows it: her message, no session.
    await logOut();
    await desk.locator('form[data-passkey="login"][data-ready]').waitFor();
    await desk.getByRole('button', { name: 'Mit Passkey anmelden' }).click();
    await desk.getByText('kennt der Schreibtisch nicht').waitFor();
    await screenshot(desk, 'desk-passkeys-unknown');
    await desk.goto(`${world.stack.url}/desk`);
    expect(new URL(desk.url()).pathname).toBe('/desk/login');
  }, 180_000);

  /** Where the first and the last thing inside a box sit, relative to the box's edges, in pixels. */
  async function insets(tab: Page, box: string): Promise<{ top: number; bottom: number; gapAbove: number }> {
    return tab.locator(box).evaluate((element) => {
      const outer = element.getBoundingClientRect();
      const shown = [...element.children].filter((child) => child.getBoundingClientRect().height > 0);
      const previous = element.previousElementSibling!.getBoundingClientRect();
      return {
        top: Math.round(shown[0]!.getBoundingClientRect().top - outer.top),
        bottom: Math.round(outer.bottom - shown.at(-1)!.getBoundingClientRect().bottom),
        gapAbove: Math.round(outer.top - previous.bottom),
      };
    });
  }

  it("shows the passkey box right under the mail form, its text as close to the edge as the form's label", async () => {
    const reader = await world.otherReader();
    const tab = await reader.newPage();
    for (const [query, button] of [
      ['', 'Mit Passkey anmelden'],
      ['?lang=en', 'Sign in with a passkey'],
    ] as const) {
      for (const width of [390, 900]) {
        await tab.setViewportSize({ width, height: 844 });
        await tab.goto(`${world.stack.url}/desk/login${query}`);
        await tab.getByRole('button', { name: button }).waitFor();
        const mail = await insets(tab, 'form[action="/desk/login"]');
        const passkey = await insets(tab, 'form[data-passkey="login"]');
        // Before: the paragraph's own top margin left an empty band above the text in the box.
        expect(passkey.top).toBe(mail.top);
        expect(passkey.bottom).toBe(mail.bottom);
        expect(passkey.gapAbove).toBeLessThanOrEqual(16);
        await screenshot(tab, `desk-login${query ? '-en' : ''}-${width}`);
      }
    }
    await reader.close();
  });

  it('keeps the button working while the address field waits for a passkey, one challenge per page', async () => {
    // Another browser whose device holds no passkey for the desk: the field's request waits.
    const reader = await world.otherReader();
    const tab = await reader.newPage();
    const session = await reader.newCDPSession(tab);
    await session.send('WebAuthn.enable', { enableUI: false });
    await session.send('WebAuthn.addVirtualAuthenticator', {
      options: PHONE,
    });
    const challenges: string[] = [];
    tab.on('request', (request) => {
      if (request.url().endsWith('/desk/passkeys/login/options')) challenges.push(request.method());
    });
    await tab.goto(`${world.stack.url}/desk/login?lang=en`);
    await tab.locator('form[data-passkey="login"][data-ready]').waitFor();
    await tab.locator('#email[autocomplete="username webauthn"]').waitFor();
    // The field's request and the button share the page's one challenge (sign-in attempts are
    // limited per network): nothing fetched a second one.
    expect(challenges).toEqual(['POST']);
    await tab.getByRole('button', { name: 'Sign in with a passkey' }).click();
    // The device's own answer (it holds none), not the page's "did not work" for want of a challenge.
    await tab.getByText('Cancelled. Nothing was changed.').waitFor();
    expect(new URL(tab.url()).pathname).toBe('/desk/login');
    await reader.close();
  });

  it('shows no passkey button in a browser without WebAuthn; the mail link form stays', async () => {
    const tab = await world.context.newPage();
    await tab.addInitScript(() => {
      delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential;
    });
    await tab.goto(`${world.stack.url}/desk/login`);
    await tab.waitForLoadState('load');
    await tab.getByRole('button', { name: 'Link schicken' }).waitFor();
    expect(await tab.locator('form[data-passkey]').count()).toBe(1);
    expect(await tab.getByRole('button', { name: 'Mit Passkey anmelden' }).isVisible()).toBe(false);
    // The hidden box takes no space: nothing empty under the mail form.
    expect(await tab.locator('form[data-passkey]').boundingBox()).toBeNull();
    await tab.close();
  });
});
