/**
 * The wish board in Chromium: the lazily loaded chunk, statuses, sorting, voting and taking a vote
 * back with the voter id kept in the browser, the wish form, and the credit line on an article.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { listWishesByStatus } from '../../functions/store/wishes';
import { applyWishAction } from '../../functions/usecases/wishes';
import {
  apiCall,
  type BrowserWorld,
  describedError,
  describeInBrowser,
  expectText,
  focused,
  screenshot,
  startWorld,
} from './support';

describeInBrowser('the wish board in Chromium', () => {
  let world: BrowserWorld;
  const ids: Record<'prices' | 'channels' | 'newsletter', string> = {
    prices: '',
    channels: '',
    newsletter: '',
  };

  /** A wish another reader sent, accepted by the author, with some votes. */
  async function seedWish(topic: string, displayName: string | null, votes: number): Promise<string> {
    const { wish } = await apiCall(world.stack, 'POST', '/wishes', {
      topic,
      email: `wunsch.${randomBytes(3).toString('hex')}@example.org`,
      ...(displayName ? { displayName, showName: true } : {}),
      consent: true,
    });
    expect((await applyWishAction(wish.id, 'accept', {}, new Date())).outcome).toBe('done');
    for (let i = 0; i < votes; i++) {
      await apiCall(world.stack, 'POST', `/wishes/${wish.id}/vote`, {
        voterId: randomBytes(18).toString('base64url'),
      });
    }
    return wish.id;
  }

  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'all' });
    ids.prices = await seedWish('Preise kalkulieren ohne schlechtes Gewissen', 'Miriam', 2);
    ids.channels = await seedWish('Instagram oder LinkedIn – wo lohnt es sich?', null, 0);
    ids.newsletter = await seedWish('Wie fange ich mit einem Newsletter an?', 'Jana', 3);
    await applyWishAction(ids.channels, 'plan', {}, new Date());
    const articleUrl = `${world.stack.url}/posts/newsletter-ohne-angst`;
    expect((await applyWishAction(ids.newsletter, 'written', { articleUrl }, new Date())).outcome).toBe(
      'done',
    );
  }, 120_000);
  afterAll(() => world?.close());

  const board = (page: Page) => page.locator('leserpost-wishes');
  const wish = (page: Page, topic: string) =>
    board(page)
      .locator('li')
      .filter({ has: page.getByRole('heading', { name: topic }) });
  // The demo page has its own heading (no-heading): the topics are its second level.
  const topics = (page: Page) => board(page).locator('li h2').allTextContents();

  it('shows the board from its own chunk: statuses, names, votes, the written article', async () => {
    const tab = await world.context.newPage();
    const scripts: string[] = [];
    tab.on('request', (request) => {
      if (request.url().includes('/widget/')) scripts.push(new URL(request.url()).pathname);
    });
    await tab.goto(`${world.stack.url}/wuensche`);
    await wish(tab, 'Preise kalkulieren ohne schlechtes Gewissen').waitFor();
    // The board needs these two; the form chunk follows once the board is shown.
    expect(scripts.slice(0, 2)).toEqual([
      '/widget/leserpost.js',
      expect.stringMatching(/^\/widget\/leserpost-wishes\.[0-9a-f]{10}\.js$/),
    ]);
    for (const later of scripts.slice(2))
      expect(later).toMatch(/^\/widget\/leserpost-form\.[0-9a-f]{10}\.js$/);

    expect(await topics(tab)).toEqual([
      'Wie fange ich mit einem Newsletter an?',
      'Preise kalkulieren ohne schlechtes Gewissen',
      'Instagram oder LinkedIn – wo lohnt es sich?',
    ]);
    const prices = wish(tab, 'Preise kalkulieren ohne schlechtes Gewissen');
    expect(await prices.locator('.mt').textContent()).toMatch(/^Auf der Liste gewünscht von Miriam · \d/);
    expect(await prices.locator('.vc').textContent()).toBe('2 Stimmen');
    expect(await wish(tab, 'Instagram oder LinkedIn – wo lohnt es sich?').locator('.sx').textContent()).toBe(
      'Geplant',
    );

    const written = wish(tab, 'Wie fange ich mit einem Newsletter an?');
    expect(await written.locator('.sx').textContent()).toBe('Geschrieben');
    expect(await written.getByRole('link', { name: 'Zum Beitrag' }).getAttribute('href')).toBe(
      `${world.stack.url}/posts/newsletter-ohne-angst`,
    );
    expect(await written.getByRole('button').count()).toBe(0);
    await screenshot(tab, 'wishes-board');

    const newest = board(tab).getByRole('button', { name: 'Neueste' });
    await newest.click();
    await tab.waitForFunction(
      () =>
        document.querySelector('leserpost-wishes')?.shadowRoot?.querySelector('li h2')?.textContent ===
        'Wie fange ich mit einem Newsletter an?',
    );
    await board(tab).getByRole('heading', { name: 'Preise kalkulieren ohne schlechtes Gewissen' }).waitFor();
    expect(await topics(tab)).toEqual([
      'Wie fange ich mit einem Newsletter an?',
      'Instagram oder LinkedIn – wo lohnt es sich?',
      'Preise kalkulieren ohne schlechtes Gewissen',
    ]);
    expect(await newest.getAttribute('aria-pressed')).toBe('true');
    expect(await board(tab).getByRole('button', { name: 'Beliebteste' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
    await tab.close();
  });

  it('votes and takes the vote back, with a random voter id kept in this browser', async () => {
    const tab = await world.open('/wuensche');
    const channels = wish(tab, 'Instagram oder LinkedIn – wo lohnt es sich?');
    const button = channels.getByRole('button', { name: 'Dafür stimmen' });
    await button.click();
    await expectText(channels.locator('.vc'), '1 Stimme');
    // Next to the button, not below the list.
    await expectText(channels.locator('.vt').getByRole('status'), 'Deine Stimme ist gezählt.');
    const voterId = await tab.evaluate(() => JSON.parse(localStorage.getItem('leserpost:voter')!));
    expect(voterId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(await serverVotes(ids.channels)).toBe(1);
    // The button names its wish for screen readers.
    const describedBy = await channels
      .getByRole('button', { name: 'Stimme zurücknehmen' })
      .getAttribute('aria-describedby');
    expect(await board(tab).locator(`[id="${describedBy}"]`).textContent()).toBe(
      'Instagram oder LinkedIn – wo lohnt es sich?',
    );

    await tab.reload();
    const again = wish(tab, 'Instagram oder LinkedIn – wo lohnt es sich?');
    await expectText(again.locator('.vc'), '1 Stimme');
    await again.getByRole('button', { name: 'Stimme zurücknehmen' }).click();
    await expectText(again.locator('.vc'), '0 Stimmen');
    await again.getByRole('button', { name: 'Dafür stimmen' }).waitFor();
    expect(await serverVotes(ids.channels)).toBe(0);
    expect(await tab.evaluate(() => JSON.parse(localStorage.getItem('leserpost:voter')!))).toBe(voterId);
    await tab.close();
  });

  it('sends a wish after checking it with the shared schema; it waits for the author', async () => {
    const tab = await world.open('/wuensche');
    const form = board(tab).getByRole('form', { name: 'Thema wünschen' });
    await form.getByRole('button', { name: 'Wunsch senden' }).click();
    await expectText(
      await describedError(form.getByRole('textbox', { name: 'Thema', exact: true })),
      'Bitte ausfüllen.',
    );
    await expectText(await describedError(form.getByRole('textbox', { name: 'E-Mail' })), 'Bitte ausfüllen.');
    await expectText(
      await describedError(form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ })),
      'Bitte stimme zu.',
    );
    expect(await focused(tab)).toMatchObject({ name: 'topic' });

    await form.getByRole('textbox', { name: 'Thema', exact: true }).fill('Kurz');
    await form.getByRole('button', { name: 'Wunsch senden' }).click();
    await expectText(
      await describedError(form.getByRole('textbox', { name: 'Thema', exact: true })),
      'Zu kurz.',
    );
    await screenshot(tab, 'wishes-form-errors');

    const topic = `Kund:innen-Feedback einholen, ohne zu nerven ${randomBytes(2).toString('hex')}`;
    await form.getByRole('textbox', { name: 'Thema', exact: true }).fill(topic);
    await form.getByRole('textbox', { name: 'Was genau interessiert dich?' }).fill('Mit Vorlage, bitte.');
    await form.getByRole('textbox', { name: 'Dein Name' }).fill('Kim');
    await form.getByRole('checkbox', { name: 'Meinen Namen beim Wunsch zeigen' }).check();
    await form.getByRole('textbox', { name: 'E-Mail' }).fill('kim@example.org');
    // README: the opt-in for the "written" mail is unticked until she ticks it.
    expect(await form.getByRole('checkbox', { name: /Schreib mir/ }).isChecked()).toBe(false);
    await form.getByRole('checkbox', { name: /Schreib mir/ }).check();
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    await form.getByRole('button', { name: 'Wunsch senden' }).click();
    await expectText(
      form.getByRole('status'),
      'Danke! Dein Wunsch wird kurz geprüft und erscheint dann auf der Liste.',
    );
    expect(await form.getByRole('textbox', { name: 'Thema', exact: true }).inputValue()).toBe('');

    const stored = (await listWishesByStatus('new')).find((item) => item.topic === topic);
    expect(stored).toMatchObject({
      publicName: 'Kim',
      notifyWhenWritten: true,
      details: 'Mit Vorlage, bitte.',
    });
    await tab.reload();
    await wish(tab, 'Preise kalkulieren ohne schlechtes Gewissen').waitFor();
    // Not on the board: only her browser shows it, waiting (more in own-pending.test.ts).
    await expectText(wish(tab, topic).locator('.sx'), 'Wartet auf Freigabe');
    await tab.close();
  });

  it('shows the board in English when the element (or page) says so', async () => {
    const tab = await world.open('/wuensche');
    await wish(tab, 'Preise kalkulieren ohne schlechtes Gewissen').waitFor();
    await tab.evaluate(() => {
      const element = document.createElement('leserpost-wishes');
      element.id = 'english';
      element.setAttribute('lang', 'en');
      document.querySelector('main')!.append(element);
    });
    const english = tab.locator('#english');
    await english.getByRole('heading', { name: 'Topic wishes' }).waitFor();
    const channels = english.locator('li').filter({ hasText: 'Instagram oder LinkedIn' });
    await expectText(channels.locator('.sx'), 'Planned');
    await channels.getByRole('button', { name: 'Vote for this' }).waitFor();
    await english
      .getByRole('form', { name: 'Wish for a topic' })
      .getByRole('button', { name: 'Send wish' })
      .click();
    await english.getByText('Please check the marked fields.').waitFor();
    await tab.close();
  });

  it('credits the wish on the article that fulfilled it, and shows nothing elsewhere', async () => {
    const tab = await world.open('/posts/newsletter-ohne-angst');
    const credit = tab.locator('leserpost-wish-credit');
    await expectText(credit.locator('p'), 'Dieses Thema wünschte sich Jana – 3 Stimmen');
    await screenshot(tab, 'wish-credit');

    const answered = tab.waitForResponse((response) =>
      response.url().includes('/wishes/credit?page=%2Fkein-wunsch'),
    );
    await tab.evaluate(() => {
      const element = document.createElement('leserpost-wish-credit');
      element.id = 'none';
      element.setAttribute('page', '/kein-wunsch');
      document.querySelector('main')!.append(element);
    });
    expect((await (await answered).json()).wish).toBeNull();
    expect(await tab.evaluate(() => document.getElementById('none')!.shadowRoot)).toBeNull();
    await tab.close();
  });

  async function serverVotes(id: string): Promise<number> {
    const { wishes } = await apiCall(world.stack, 'GET', '/wishes?sort=newest&limit=100');
    return wishes.find((item: { id: string }) => item.id === id).votes;
  }
});
