/**
 * Everyone can use it: axe-core finds no violation (inside the shadow roots too), a reader posts
 * and replies with the keyboard alone, dark mode follows the system, and the widget speaks German
 * or English as the page (or the element) says.
 */
import type { Page } from 'playwright-core';
import {
  axe,
  type BrowserWorld,
  describedError,
  describeInBrowser,
  expectText,
  focused,
  screenshot,
  seedComment,
  startWorld,
} from './support';

const POST = '/posts/schwierigste-kundin';
const ENGLISH = '/en/newsletter-without-fear';

describeInBrowser('accessibility, keyboard, dark mode and languages in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'first-time' });
    const first = await seedComment(world.stack, {
      page: POST,
      name: 'Anna Leserin',
      website: 'https://anna.example',
      text: 'Die drei Fragen auf Papier – genau so mache ich es jetzt auch.\n\nMehr dazu: https://example.org/fragen',
    });
    await seedComment(world.stack, { page: POST, name: 'Bernd', text: 'Danke, Anna!', parentId: first });
    await seedComment(world.stack, { page: ENGLISH, name: 'Jo Reader', text: 'Great read, thanks!' });
  }, 120_000);
  afterAll(() => world?.close());

  const widget = (page: Page) => page.locator('leserpost-comments');
  const thread = (page: Page) => widget(page).getByRole('article', { name: 'Anna Leserin' }).waitFor();

  async function expectNoViolations(page: Page, name: string): Promise<void> {
    const { violations, shadowNodesChecked } = await axe(page);
    await screenshot(page, name);
    expect(violations).toEqual([]);
    // axe looked into the widget's shadow roots, not only at the blog around it.
    expect(shadowNodesChecked).toBeGreaterThan(20);
  }

  it('has no axe violations: thread, form with errors, English, dark mode, wish board', async () => {
    const tab = await world.open(POST);
    await thread(tab);
    await expectNoViolations(tab, 'a11y-thread');

    await widget(tab).getByRole('button', { name: 'Kommentar senden' }).click();
    await widget(tab).getByText('Bitte prüfe die markierten Felder.').waitFor();
    await widget(tab)
      .getByRole('article', { name: 'Anna Leserin' })
      .getByRole('button', { name: 'Antworten' })
      .click();
    await expectNoViolations(tab, 'a11y-errors-and-reply-form');

    const dark = await world.open(POST, { colorScheme: 'dark' });
    await thread(dark);
    await expectNoViolations(dark, 'a11y-dark');

    const english = await world.open(ENGLISH);
    await widget(english).getByRole('article', { name: 'Jo Reader' }).waitFor();
    await expectNoViolations(english, 'a11y-english');

    const wishes = await world.open('/wuensche', { colorScheme: 'dark' });
    await wishes.locator('leserpost-wishes').getByRole('form', { name: 'Thema wünschen' }).waitFor();
    await expectNoViolations(wishes, 'a11y-wishes-dark');
    for (const page of [tab, dark, english, wishes]) await page.close();
  });

  it('lets a reader reply and post with the keyboard alone (Tab, Space, Enter)', async () => {
    const tab = await world.open(POST);
    await thread(tab);
    const tabTo = async (wanted: (element: Awaited<ReturnType<typeof focused>>) => boolean) => {
      for (let presses = 0; presses < 60; presses++) {
        await tab.keyboard.press('Tab');
        if (wanted(await focused(tab))) return;
      }
      throw new Error('Tab never reached the element');
    };

    // Reply to Anna: Tab to her reply button, Enter opens the form with the focus in it.
    await tabTo((element) => element.tag === 'button' && element.text === 'Antworten');
    expect(await focusOutline(tab)).not.toBe('none');
    await tab.keyboard.press('Enter');
    expect(await focused(tab)).toMatchObject({ tag: 'input', name: 'name' });
    await tab.keyboard.type('Karla Tastatur');
    await tab.keyboard.press('Tab');
    await tab.keyboard.type('karla@example.org');
    await tab.keyboard.press('Tab'); // website: left empty
    await tab.keyboard.press('Tab');
    expect(await focused(tab)).toMatchObject({ tag: 'textarea', name: 'text' });
    await tab.keyboard.type('Ganz ohne Maus geantwortet.');
    await tab.keyboard.press('Tab');
    // The opt-in for reply mails comes first and stays unticked unless she asks for it.
    expect(await focused(tab)).toMatchObject({ name: 'notifyReplies' });
    await tab.keyboard.press('Tab');
    expect(await focused(tab)).toMatchObject({ name: 'consent' });
    await tab.keyboard.press('Space');
    await tabTo((element) => element.tag === 'button' && element.text === 'Kommentar senden');
    await tab.keyboard.press('Enter');
    const reply = widget(tab).getByRole('article', { name: 'Karla Tastatur' });
    await reply.getByText('Wartet auf Freigabe').waitFor();
    expect(await focused(tab)).toMatchObject({ tag: 'article', label: 'Karla Tastatur' });

    // A new comment with the main form; Enter in a text field sends the form.
    await tabTo((element) => element.name === 'name' && element.form === 'Kommentar schreiben');
    await tab.keyboard.type('Karla Tastatur');
    await tab.keyboard.press('Tab');
    await tab.keyboard.type('karla@example.org');
    await tab.keyboard.press('Tab');
    await tab.keyboard.press('Tab');
    await tab.keyboard.type('Und noch ein Kommentar, nur mit Tasten.');
    await tab.keyboard.press('Tab'); // reply mails: left unticked
    await tab.keyboard.press('Tab');
    expect(await focused(tab)).toMatchObject({ name: 'consent' });
    await tab.keyboard.press('Space');
    await tab.keyboard.press('Tab'); // the privacy link
    await tab.keyboard.press('Tab');
    expect(await focused(tab)).toMatchObject({ tag: 'a' }); // Meine Daten
    await tab.keyboard.press('Tab'); // remember me
    await tab.keyboard.press('Tab');
    expect(await focused(tab)).toMatchObject({ tag: 'button', text: 'Kommentar senden' });
    await tab.keyboard.press('Enter');
    await widget(tab).getByText('Und noch ein Kommentar, nur mit Tasten.').waitFor();
    expect(await focused(tab)).toMatchObject({ tag: 'article', label: 'Karla Tastatur' });
    await screenshot(tab, 'keyboard-only');
    await tab.close();
  });

  it('follows the dark colour scheme, with the blog theme and with its own defaults', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const tab = await world.open(POST, { colorScheme: scheme });
      await thread(tab);
      const themed = await colours(tab);
      // The demo blog themes the widget through custom properties (its paper and ink colours).
      expect(themed).toEqual(
        scheme === 'dark'
          ? { background: 'rgb(29, 27, 32)', text: 'rgb(236, 230, 220)' }
          : { background: 'rgb(251, 248, 243)', text: 'rgb(36, 33, 42)' },
      );
      await tab.evaluate(() => document.querySelector('link[rel=stylesheet]')!.remove());
      const own = await colours(tab);
      expect(luminance(own.background) < 0.1).toBe(scheme === 'dark');
      expect(luminance(own.text) > 0.5).toBe(scheme === 'dark');
      await screenshot(tab, `widget-own-theme-${scheme}`);
      await tab.close();
    }
  });

  it('speaks English on an English page, and the lang attribute overrides the page', async () => {
    const english = await world.context.newPage();
    const sent = english.waitForRequest((request) => request.url().includes('/api/comments?'));
    await english.goto(world.stack.url + ENGLISH);
    const jo = widget(english).getByRole('article', { name: 'Jo Reader' });
    await jo.waitFor();
    expect((await sent).headers()['accept-language']).toBe('en');
    await widget(english).getByRole('heading', { name: 'Comments', exact: true }).waitFor();
    // The reader's browser is German (de-DE) but the page is English: English date format.
    expect(await jo.locator('time').textContent()).toMatch(
      /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M$/,
    );
    await widget(english).getByRole('button', { name: 'Post comment' }).click();
    const name = widget(english).getByRole('textbox', { name: 'Name', exact: true });
    await expectText(await describedError(name), 'Please fill this in.');
    await expectText(
      widget(english).getByRole('form').getByRole('status'),
      'Please check the marked fields.',
    );
    await widget(english).getByText('* Required').waitFor();
    await widget(english).getByText('Will not be published.').waitFor();
    await english.close();

    const german = await world.open(POST);
    await thread(german);
    await german.evaluate(() => {
      const element = document.createElement('leserpost-comments');
      element.setAttribute('lang', 'en');
      element.setAttribute('page', '/en/newsletter-without-fear');
      element.id = 'english';
      document.querySelector('main')!.append(element);
    });
    const override = german.locator('#english');
    await override.getByRole('article', { name: 'Jo Reader' }).waitFor();
    await override.getByRole('heading', { name: 'Comments', exact: true }).waitFor();
    await override.getByRole('button', { name: 'Reply' }).waitFor();
    expect(await widget(german).first().getByRole('heading', { name: 'Kommentare' }).count()).toBe(1);
    await german.close();
  });
});

/** The outline of the focused element inside the shadow root (visible focus for keyboard users). */
function focusOutline(page: Page): Promise<string> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return getComputedStyle(element!).outlineStyle;
  });
}

function colours(page: Page): Promise<{ background: string; text: string }> {
  return page.evaluate(() => {
    const style = getComputedStyle(document.querySelector('leserpost-comments')!);
    return { background: style.backgroundColor, text: style.color };
  });
}

/** Relative luminance of an rgb() colour (WCAG). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map((part) => {
    const value = Number(part) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
