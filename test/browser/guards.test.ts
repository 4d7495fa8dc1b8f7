/**
 * The spam guards as the deployed default has them (BROWSER_GUARDS on): a reader in the widget
 * posts without noticing anything, while a bot posting plain HTTP or filling the honeypot is
 * stopped and nothing is stored.
 */
import type { Page, Request } from 'playwright-core';
import { applyWishAction } from '../../functions/usecases/wishes';
import { resetRuntime } from '../support/stack';
import { apiCall, type BrowserWorld, describeInBrowser, expectText, screenshot, startWorld } from './support';

const POST = '/posts/schwierigste-kundin';

describeInBrowser('the spam guards in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'none', BROWSER_GUARDS: 'on' });
  }, 120_000);
  afterAll(() => world?.close());

  const widget = (page: Page) => page.locator('leserpost-comments');
  const form = (page: Page) => widget(page).getByRole('form', { name: 'Kommentar schreiben' });
  const visibleTexts = async (page: string) => {
    const response = await fetch(`${world.stack.apiUrl}/comments?page=${encodeURIComponent(page)}`);
    return ((await response.json()).comments as { text: string }[]).map((comment) => comment.text);
  };

  async function writeComment(tab: Page, text: string): Promise<void> {
    const comment = form(tab);
    await comment.getByRole('textbox', { name: 'Name', exact: true }).fill('Greta Gast');
    await comment.getByRole('textbox', { name: 'E-Mail', exact: true }).fill('greta@example.org');
    await comment.getByRole('textbox', { name: 'Kommentar', exact: true }).fill(text);
    await comment.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
  }

  it('lets a reader post right away: form token, fill time and proof of work happen unseen', async () => {
    const tab = await world.open(POST);
    const sent: Request[] = [];
    tab.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/comments')) sent.push(request);
    });
    await writeComment(tab, 'Geschrieben, ohne etwas von den Wächtern zu merken.');
    await form(tab).getByRole('button', { name: 'Kommentar senden' }).click();
    const article = widget(tab).getByRole('article', { name: 'Greta Gast' });
    await article.waitFor();
    expect(
      await form(tab)
        .getByText(/automatisiert/)
        .count(),
    ).toBe(0);
    const body = JSON.parse(sent[0]!.postData() ?? '{}');
    expect(body.formToken).toMatch(/^v1\./);
    expect(body.pow).toMatch(/\S{40,}/);
    expect(body.hp ?? '').toBe('');
    expect(await visibleTexts(POST)).toContain('Geschrieben, ohne etwas von den Wächtern zu merken.');
    await screenshot(tab, 'guards-reader-posted');

    // A second comment from the same form gets a fresh challenge (each one works once).
    await writeComment(tab, 'Und gleich noch ein zweiter Gedanke hinterher.');
    await form(tab).getByRole('button', { name: 'Kommentar senden' }).click();
    await widget(tab).getByText('Und gleich noch ein zweiter Gedanke hinterher.').waitFor();
    expect(JSON.parse(sent[1]!.postData() ?? '{}').pow).not.toBe(body.pow);
    await tab.close();
  });

  it('lets a reader vote with one click: the proof of work is solved unseen', async () => {
    // The wish is seeded with the guards off (this test is about the vote).
    process.env.BROWSER_GUARDS = 'off';
    resetRuntime();
    const { wish } = await apiCall(world.stack, 'POST', '/wishes', {
      topic: 'Abstimmen trotz Wächtern',
      email: 'wunsch.waechter@example.org',
      consent: true,
    });
    process.env.BROWSER_GUARDS = 'on';
    resetRuntime();
    await applyWishAction(wish.id, 'accept', {}, new Date());
    const tab = await world.open('/wuensche');
    const sent: Request[] = [];
    tab.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/vote')) sent.push(request);
    });
    const item = tab
      .locator('leserpost-wishes li')
      .filter({ has: tab.getByRole('heading', { name: 'Abstimmen trotz Wächtern' }) });
    await item.getByRole('button', { name: 'Dafür stimmen' }).click();
    // The vote's own status (the address form after a vote has one of its own).
    await expectText(item.locator('.hi[role="status"]'), 'Deine Stimme ist gezählt.');
    expect(JSON.parse(sent[0]!.postData() ?? '{}').pow).toMatch(/\S{40,}/);
    // Plain HTTP without a solved challenge counts nothing.
    const bot = await fetch(`${world.stack.apiUrl}/wishes/${wish.id}/vote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: world.stack.url },
      body: JSON.stringify({ voterId: 'bot-voter-id-00000001' }),
    });
    expect((await bot.json()).error.code).toBe('spam_suspected');
    await expectText(item.locator('.vc'), '1 Stimme');
    await tab.close();
  });

  it('stops a bot that posts plain HTTP without the form, and stores nothing', async () => {
    const response = await fetch(`${world.stack.apiUrl}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: world.stack.url },
      body: JSON.stringify({
        page: POST,
        name: 'Bot',
        email: 'bot@example.org',
        text: 'Cheap pills here',
        consent: true,
      }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('spam_suspected');
    expect(await visibleTexts(POST)).not.toContain('Cheap pills here');
  });

  it('stops a bot that fills the hidden honeypot in the page', async () => {
    const tab = await world.open(POST);
    await writeComment(tab, 'Ein Formular-Roboter füllt alles aus.');
    await widget(tab).evaluate((host) => {
      const trap = host.shadowRoot!.querySelector<HTMLInputElement>('input[name="hp"]')!;
      trap.value = 'https://spam.example';
    });
    await form(tab).getByRole('button', { name: 'Kommentar senden' }).click();
    await form(tab)
      .getByText(/automatisiert/)
      .waitFor();
    expect(await visibleTexts(POST)).not.toContain('Ein Formular-Roboter füllt alles aus.');
    await tab.close();
  });
});
