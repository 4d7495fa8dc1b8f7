/**
 * What a reader sees of her own things in Chromium: her held comment survives a reload with its
 * note (only in her browser), appears once when approved, and leaves when the author threw it out;
 * her new wish shows to her as waiting; the "Meine Daten" link in both forms; and the address she
 * can leave after her vote for the mail when the wish is written. And what her browser learns
 * after the author acted: approved while it sorts beyond the first page, the mark goes; her waiting
 * wish stays when she re-sorts the board; a declined wish and a comment marked spam leave at her next
 * visit with one short note, not after 14 days. Screenshots at phone width.
 */
import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Locator, Page } from 'playwright-core';
import { LIMITS } from '../../functions/core/limits';
import { config } from '../../functions/runtime/config';
import { documentClient } from '../../functions/runtime/dynamo';
import { applyCommentAction } from '../../functions/store/comments';
import { applyWishAction } from '../../functions/usecases/wishes';
import {
  apiCall,
  type BrowserWorld,
  describeInBrowser,
  expectText,
  screenshot,
  seedComment,
  startWorld,
} from './support';

const POST = '/posts/schwierigste-kundin';

/** The vote items of a wish, as stored. */
async function votesOf(wishId: string): Promise<Record<string, unknown>[]> {
  const { Items } = await documentClient().send(
    new QueryCommand({
      TableName: config().tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :vote)',
      ExpressionAttributeValues: { ':pk': `WISH#${wishId}`, ':vote': 'VOTE#' },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}
const PHONE = { width: 390, height: 844 };

describeInBrowser('her own pending things in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'all' });
  }, 120_000);
  afterAll(() => world?.close());

  const comments = (page: Page) => page.locator('leserpost-comments');
  const board = (page: Page) => page.locator('leserpost-wishes');
  const mainForm = (page: Page) => comments(page).getByRole('form', { name: 'Kommentar schreiben' });
  const article = (page: Page, name: string) => comments(page).getByRole('article', { name });

  /** Mounts the thread of another page on the demo post (same origin, same script), `size` comments a step. */
  async function thread(tab: Page, path: string, size = 50): Promise<void> {
    await tab.evaluate(
      ([page, size]) => {
        document.querySelector('leserpost-comments')?.remove();
        const element = document.createElement('leserpost-comments');
        element.setAttribute('page', page);
        element.setAttribute('page-size', size);
        document.querySelector('main')!.append(element);
      },
      [path, String(size)] as const,
    );
  }

  async function postComment(tab: Page, name: string, text: string): Promise<string> {
    const form = mainForm(tab);
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await form
      .getByRole('textbox', { name: 'E-Mail', exact: true })
      .fill(`${name.toLowerCase()}@example.org`);
    await form.getByRole('textbox', { name: 'Kommentar', exact: true }).fill(text);
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    const answer = tab.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/api/comments'),
    );
    await form.getByRole('button', { name: 'Kommentar senden' }).click();
    return (await (await answer).json()).comment.id;
  }

  /** Lets her browser believe the edit window of her comments has passed (its clock, not a sleep). */
  const editWindowOver = (tab: Page) =>
    tab.evaluate(() => {
      const mine = JSON.parse(localStorage.getItem('leserpost:mine') ?? '{}');
      for (const id in mine) mine[id][1] = Date.now() - 1000;
      localStorage.setItem('leserpost:mine', JSON.stringify(mine));
    });

  const note = (locator: Locator) => locator.getByText('Wartet auf Freigabe');

  async function postWish(tab: Page, topic: string): Promise<string> {
    const form = board(tab).getByRole('form', { name: 'Thema wünschen' });
    await form.getByRole('textbox', { name: 'Thema', exact: true }).fill(topic);
    await form.getByRole('textbox', { name: 'E-Mail' }).fill('wuenschende@example.org');
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    const answer = tab.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/api/wishes'),
    );
    await form.getByRole('button', { name: 'Wunsch senden' }).click();
    return (await (await answer).json()).wish.id;
  }

  const wishItem = (tab: Page, topic: string) =>
    board(tab)
      .locator('li')
      .filter({ has: tab.getByRole('heading', { name: topic, exact: true }) });

  it('keeps her held comment with its note after a reload, only for her, and once when approved', async () => {
    const page = `${POST}-gehalten`;
    const tab = await world.open(POST);
    await thread(tab, page);
    const id = await postComment(tab, 'Greta', 'Das probiere ich morgen aus.');
    await note(article(tab, 'Greta')).waitFor();

    await tab.reload();
    await thread(tab, page);
    await note(article(tab, 'Greta')).waitFor();
    expect(await article(tab, 'Greta').count()).toBe(1);
    await tab.setViewportSize(PHONE);
    await screenshot(tab, 'own-pending-comment-phone');

    // Another reader's browser shows nothing of it.
    const other = await world.otherReader();
    const otherTab = await other.newPage();
    await otherTab.goto(world.stack.url + POST);
    await thread(otherTab, page);
    await comments(otherTab).getByText('Noch keine Kommentare.').waitFor();
    expect(await article(otherTab, 'Greta').count()).toBe(0);

    // Approved: it is there once, like any other, without the note.
    expect((await applyCommentAction(id, 'approve', new Date())).outcome).toBe('done');
    await tab.reload();
    await thread(tab, page);
    await article(tab, 'Greta').waitFor();
    await mainForm(tab).waitFor();
    expect(await article(tab, 'Greta').count()).toBe(1);
    expect(await note(article(tab, 'Greta')).count()).toBe(0);
    await tab.close();
  });

  it('forgets her held comment once the API no longer knows it (spam), not while it waits', async () => {
    const page = `${POST}-verworfen`;
    const tab = await world.open(POST);
    await thread(tab, page);
    const thrownOut = await postComment(tab, 'Hanna', 'Kauft meine Pillen, billig!');
    await note(article(tab, 'Hanna')).waitFor();
    await postComment(tab, 'Ida', 'Eine Frage zum zweiten Absatz.');
    await note(article(tab, 'Ida')).waitFor();
    expect((await applyCommentAction(thrownOut, 'spam', new Date())).outcome).toBe('done');
    await editWindowOver(tab);

    await tab.reload();
    await thread(tab, page);
    await note(article(tab, 'Ida')).waitFor();
    // Her browser asks with her edit key once the form chunk is there (POST /comments/status): gone leaves, waiting stays.
    await tab.waitForFunction(
      () => !JSON.stringify(JSON.parse(localStorage.getItem('leserpost:mine') ?? '{}')).includes('Pillen'),
    );
    expect(await article(tab, 'Hanna').count()).toBe(0);
    await tab.reload();
    await thread(tab, page);
    await note(article(tab, 'Ida')).waitFor();
    expect(await article(tab, 'Hanna').count()).toBe(0);

    // Still held after LIMITS.comment.heldShownSeconds (14 days): her browser lets it go.
    await tab.evaluate((heldMs) => {
      const mine = JSON.parse(localStorage.getItem('leserpost:mine') ?? '{}');
      for (const id in mine) mine[id][1] = Date.now() - heldMs - 1000;
      localStorage.setItem('leserpost:mine', JSON.stringify(mine));
    }, LIMITS.comment.heldShownSeconds * 1000);
    await tab.reload();
    await thread(tab, page);
    await comments(tab).getByText('Noch keine Kommentare.').waitFor();
    expect(await article(tab, 'Ida').count()).toBe(0);
    expect(LIMITS.comment.heldShownSeconds).toBe(14 * 24 * 60 * 60);
    await tab.close();
  });

  it('shows her own new wish on the board after a reload, waiting, without a vote button', async () => {
    const tab = await world.open('/wuensche');
    const form = board(tab).getByRole('form', { name: 'Thema wünschen' });
    const topic = `Mein eigener Wunsch ${randomBytes(2).toString('hex')}`;
    await form.getByRole('textbox', { name: 'Thema', exact: true }).fill(topic);
    await form.getByRole('textbox', { name: 'E-Mail' }).fill('wuenschende@example.org');
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    await form.getByRole('button', { name: 'Wunsch senden' }).click();
    const mine = board(tab)
      .locator('li')
      .filter({ has: tab.getByRole('heading', { name: topic }) });
    await expectText(mine.locator('.sx'), 'Wartet auf Freigabe');
    expect(await board(tab).getByText('Fang an!').isVisible()).toBe(false);

    await tab.reload();
    await expectText(mine.locator('.sx'), 'Wartet auf Freigabe');
    expect(await mine.getByRole('button').count()).toBe(0);
    await tab.setViewportSize(PHONE);
    await screenshot(tab, 'own-pending-wish-phone');

    const other = await world.otherReader();
    const otherTab = await other.newPage();
    await otherTab.goto(`${world.stack.url}/wuensche`);
    await board(otherTab).getByRole('form', { name: 'Thema wünschen' }).waitFor();
    expect(await board(otherTab).getByRole('heading', { name: topic }).count()).toBe(0);
    // A reader who sent nothing keeps nothing of Leserpost in her browser.
    expect(
      await otherTab.evaluate(() =>
        Object.keys(localStorage).filter((name) => name.startsWith('leserpost:')),
      ),
    ).toEqual([]);

    // After LIMITS.wish.pendingShownSeconds (14 days) without reaching the board, she lets it go too.
    await tab.evaluate(() => {
      const wishes = JSON.parse(localStorage.getItem('leserpost:wishes') ?? '[]');
      for (const entry of wishes) entry[0] = Date.now() - 1000;
      localStorage.setItem('leserpost:wishes', JSON.stringify(wishes));
    });
    await tab.reload();
    await board(tab).getByRole('form', { name: 'Thema wünschen' }).waitFor();
    expect(await board(tab).getByRole('heading', { name: topic }).count()).toBe(0);
    expect(LIMITS.wish.pendingShownSeconds).toBe(14 * 24 * 60 * 60);
    await tab.close();
  });

  it('links "Meine Daten" next to the privacy link in the comment and the wish form, in her language', async () => {
    const tab = await world.open(POST);
    const data = mainForm(tab).getByRole('link', { name: 'Meine Daten' });
    expect(await data.getAttribute('href')).toBe(`${world.stack.apiUrl}/readers/data?lang=de`);
    await tab.goto(`${world.stack.url}/wuensche`);
    const wishData = board(tab)
      .getByRole('form', { name: 'Thema wünschen' })
      .getByRole('link', { name: 'Meine Daten' });
    expect(await wishData.getAttribute('href')).toBe(`${world.stack.apiUrl}/readers/data?lang=de`);
    await tab.evaluate(() => {
      const element = document.createElement('leserpost-comments');
      element.id = 'english';
      element.setAttribute('lang', 'en');
      element.setAttribute('page', '/posts/in-english');
      document.querySelector('main')!.append(element);
    });
    const english = tab.locator('#english').getByRole('link', { name: 'My data' });
    expect(await english.getAttribute('href')).toBe(`${world.stack.apiUrl}/readers/data?lang=en`);
    await tab.close();
  });

  it('offers the written mail after her vote: her address and the unticked box, kept on her vote', async () => {
    const { wish } = await apiCall(world.stack, 'POST', '/wishes', {
      topic: 'Angebote schreiben, die man gern liest',
      email: 'jemand@example.org',
      consent: true,
    });
    await applyWishAction(wish.id, 'accept', {}, new Date());
    const tab = await world.open('/wuensche', { colorScheme: 'dark' });
    await tab.setViewportSize(PHONE);
    const item = board(tab).locator('li').filter({ hasText: 'Angebote schreiben, die man gern liest' });
    await item.getByRole('button', { name: 'Dafür stimmen' }).click();
    const form = item.getByRole('form', { name: 'Möchtest du erfahren, wenn der Beitrag erscheint?' });
    await form.waitFor();
    const box = form.getByRole('checkbox', { name: /Schreib mir, wenn der Beitrag erschienen ist/ });
    expect(await box.isChecked()).toBe(false);
    await form.getByRole('textbox', { name: 'E-Mail' }).fill('stimme@example.org');
    await form.getByRole('button', { name: 'Eintragen' }).click();
    await form.getByText('Bitte stimme zu.').waitFor();
    await box.check();
    await form.getByRole('button', { name: 'Eintragen' }).click();
    await form.getByText(/Bitte bestätige deine Adresse/).waitFor();
    await screenshot(tab, 'vote-mail-phone-dark');
    const votes = await votesOf(wish.id);
    expect(votes).toHaveLength(1);
    expect(votes[0]).toMatchObject({ notifyWhenWritten: true, lang: 'de' });
    expect(JSON.stringify(votes[0])).not.toContain('stimme@example.org');

    // Taking the vote back takes the form (and the address on the vote) away.
    await item.getByRole('button', { name: 'Stimme zurücknehmen' }).click();
    await item.getByRole('button', { name: 'Dafür stimmen' }).waitFor();
    expect(await form.count()).toBe(0);
    expect(await votesOf(wish.id)).toEqual([]);
    await tab.close();
  });

  // What her browser learns after the author acted (POST …/status with the keys it keeps).
  it('loses the waiting mark once approved, though it sorts beyond the first page of the thread', async () => {
    const page = `${POST}-lang`;
    for (const name of ['Anja', 'Bea', 'Carla'])
      await seedComment(world.stack, { page, name, text: `${name} war zuerst da.` });
    const tab = await world.open(POST);
    await thread(tab, page, 2);
    await article(tab, 'Bea').waitFor();
    const id = await postComment(tab, 'Greta', 'Meine Frage kommt ganz am Ende.');
    await note(article(tab, 'Greta')).waitFor();

    // Held: after a reload it is there for her with its mark, although the first page ends before it.
    await tab.reload();
    await thread(tab, page, 2);
    await note(article(tab, 'Greta')).waitFor();
    expect(await article(tab, 'Carla').count()).toBe(0);
    // Nobody can answer a comment nobody else sees yet.
    expect(await article(tab, 'Greta').getByRole('button', { name: 'Antworten' }).count()).toBe(0);

    expect((await applyCommentAction(id, 'approve', new Date())).outcome).toBe('done');
    await tab.reload();
    await thread(tab, page, 2);
    await article(tab, 'Greta').waitFor();
    await note(article(tab, 'Greta')).waitFor({ state: 'detached' });
    // Approved, it can be answered at once, though it still comes from her browser's copy.
    await article(tab, 'Greta').getByRole('button', { name: 'Antworten' }).waitFor();
    await tab.waitForFunction(() => !(localStorage.getItem('leserpost:mine') ?? '').includes('ganz am Ende'));
    await tab.setViewportSize(PHONE);
    await screenshot(tab, 'own-status-approved-later-page-phone');

    // From now on it comes with the list like any other: on its own page, once, unmarked.
    await tab.reload();
    await thread(tab, page, 2);
    await article(tab, 'Bea').waitFor();
    expect(await article(tab, 'Greta').count()).toBe(0);
    await comments(tab).getByRole('button', { name: 'Weitere Kommentare' }).click();
    await article(tab, 'Carla').waitFor();
    await article(tab, 'Greta').waitFor();
    expect(await article(tab, 'Greta').count()).toBe(1);
    expect(await note(article(tab, 'Greta')).count()).toBe(0);
    await tab.close();
  });

  it('keeps her waiting wish on the board when she sorts by newest and back by votes', async () => {
    const tab = await world.open('/wuensche');
    const topic = `Bleibt beim Sortieren ${randomBytes(2).toString('hex')}`;
    await postWish(tab, topic);
    await expectText(wishItem(tab, topic).locator('.sx'), 'Wartet auf Freigabe');
    await tab.reload();
    await expectText(wishItem(tab, topic).locator('.sx'), 'Wartet auf Freigabe');

    for (const sort of ['Neueste', 'Beliebteste', 'Neueste']) {
      const button = board(tab).getByRole('button', { name: sort, exact: true });
      const loaded = tab.waitForResponse(
        (r) => r.request().method() === 'GET' && r.url().includes('/wishes?sort='),
      );
      await button.click();
      await loaded;
      await expectText(wishItem(tab, topic).locator('.sx'), 'Wartet auf Freigabe');
      expect(await button.getAttribute('aria-pressed')).toBe('true');
      expect(await wishItem(tab, topic).count()).toBe(1);
    }
    await tab.close();
  });

  it('takes a declined wish and a comment marked spam away at her next visit, with one note each', async () => {
    const tab = await world.open('/wuensche');
    const declined = `Wird abgelehnt ${randomBytes(2).toString('hex')}`;
    const accepted = `Wird angenommen ${randomBytes(2).toString('hex')}`;
    const declinedId = await postWish(tab, declined);
    await expectText(wishItem(tab, declined).locator('.sx'), 'Wartet auf Freigabe');
    const acceptedId = await postWish(tab, accepted);
    await expectText(wishItem(tab, accepted).locator('.sx'), 'Wartet auf Freigabe');
    expect((await applyWishAction(declinedId, 'decline', {}, new Date())).outcome).toBe('done');
    expect((await applyWishAction(acceptedId, 'accept', {}, new Date())).outcome).toBe('done');

    await tab.reload();
    const gone = board(tab).getByText(`Dein Wunsch „${declined}“ wurde nicht auf die Liste genommen.`);
    await gone.waitFor();
    expect(await wishItem(tab, declined).count()).toBe(0);
    // The accepted one is on the board like any other, once, and no longer "waiting".
    await expectText(wishItem(tab, accepted).locator('.sx'), 'Auf der Liste');
    expect(await wishItem(tab, accepted).count()).toBe(1);
    await tab.setViewportSize(PHONE);
    await screenshot(tab, 'own-status-wish-declined-phone');
    await tab.waitForFunction(
      (topics) => topics.every((topic) => !(localStorage.getItem('leserpost:wishes') ?? '').includes(topic)),
      [declined, accepted],
    );
    await tab.reload();
    await expectText(wishItem(tab, accepted).locator('.sx'), 'Auf der Liste');
    await board(tab).getByRole('form', { name: 'Thema wünschen' }).waitFor();
    expect(await wishItem(tab, declined).count()).toBe(0);
    expect(await gone.count()).toBe(0);

    // A held comment the author marks spam: gone at once, inside its edit window too.
    const page = `${POST}-spam-sofort`;
    await tab.goto(world.stack.url + POST);
    await thread(tab, page, 2);
    const spam = await postComment(tab, 'Hanna', 'Kauft meine Pillen, billig!');
    await note(article(tab, 'Hanna')).waitFor();
    expect((await applyCommentAction(spam, 'spam', new Date())).outcome).toBe('done');
    await tab.reload();
    await thread(tab, page, 2);
    const notPublished = comments(tab).getByText(
      'Dein zurückgehaltener Kommentar wurde nicht veröffentlicht.',
    );
    await notPublished.waitFor();
    expect(await article(tab, 'Hanna').count()).toBe(0);
    await comments(tab).getByText('Noch keine Kommentare.').waitFor();
    expect(await tab.evaluate(() => localStorage.getItem('leserpost:mine') ?? '')).not.toContain('Pillen');
    await tab.reload();
    await thread(tab, page, 2);
    await comments(tab).getByText('Noch keine Kommentare.').waitFor();
    expect(await notPublished.count()).toBe(0);
    await tab.close();
  });
});
