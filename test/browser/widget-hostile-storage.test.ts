/**
 * The widget under whatever its browser storage holds, in Chromium: entries another script, an
 * old version or a broken disk left (not JSON, the wrong type, `__proto__` keys, huge numbers) and
 * storage that throws on every call (Safari's private mode, storage switched off). The comments
 * and the board still show, the forms still post, votes still count, and a broken entry is
 * repaired on the next write.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Page } from 'playwright-core';
import { applyWishAction } from '../../functions/usecases/wishes';
import {
  apiCall,
  type BrowserWorld,
  describeInBrowser,
  expectText,
  pageErrors,
  replaceElement,
  seedComment,
  startWorld,
} from './support';

const POST = '/posts/schwierigste-kundin';
const PAGE = '/posts/kaputter-speicher';
const TOPIC = 'Wie plane ich ein Jahr voller Beiträge?';

/** Puts raw strings into the widget's entries (`leserpost:<key>`), as another script could. */
function setEntries(tab: Page, entries: Record<string, string>): Promise<void> {
  return tab.evaluate((entries) => {
    localStorage.clear();
    for (const [key, value] of Object.entries(entries)) localStorage.setItem(`leserpost:${key}`, value);
  }, entries);
}

/** Anything an entry may hold: JSON of any shape, no JSON at all, or shapes close to the widget's own. */
const raw = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string(),
  fc.constantFrom('{"__proto__": {"polluted": 1}}', '{"x": 5}', '{"x": null}', '"x"', '5', 'null', '{'),
);
const soon = Date.now() + 600_000;
/** Entries of her own comments (`mine`): id → [edit key, until, comment], but broken. */
const mine = fc.oneof(
  raw,
  fc
    .dictionary(
      fc.oneof(fc.constantFrom('__proto__', 'constructor'), fc.string()),
      fc.oneof(
        fc.anything({ maxDepth: 2 }),
        fc.tuple(
          fc.anything({ maxDepth: 1 }),
          fc.oneof(fc.constant(1e308), fc.constant(soon), fc.double()),
          fc.oneof(
            fc.anything({ maxDepth: 1 }),
            fc.record(
              {
                id: fc.string(),
                page: fc.constant(PAGE),
                status: fc.constantFrom('pending', 'visible'),
                name: fc.oneof(fc.string(), fc.integer()),
                text: fc.oneof(fc.string(), fc.integer()),
                createdAt: fc.oneof(fc.constant(new Date().toISOString()), fc.string()),
              },
              { requiredKeys: ['page'] },
            ),
          ),
        ),
      ),
      { maxKeys: 3 },
    )
    .map((value) => JSON.stringify(value)),
);
/** Entries of her waiting wishes (`wishes`): [until, wish, key][], but broken. */
const waiting = fc.oneof(
  raw,
  fc
    .array(
      fc.oneof(
        fc.anything({ maxDepth: 2 }),
        fc.tuple(
          fc.oneof(fc.constant(1e308), fc.constant(soon), fc.double()),
          fc.oneof(
            fc.anything({ maxDepth: 1 }),
            fc.record(
              {
                id: fc.string(),
                topic: fc.oneof(fc.string(), fc.integer()),
                status: fc.constantFrom('new', 'accepted'),
                votes: fc.oneof(fc.constant(1e308), fc.integer()),
                details: fc.oneof(fc.string(), fc.integer()),
                createdAt: fc.oneof(fc.constant(new Date().toISOString()), fc.string()),
              },
              { requiredKeys: ['id'] },
            ),
          ),
          fc.anything({ maxDepth: 1 }),
        ),
      ),
      { maxLength: 3 },
    )
    .map((value) => JSON.stringify(value)),
);

describeInBrowser('the widget under broken browser storage in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'none' });
    await seedComment(world.stack, { page: PAGE, name: 'Klara', text: 'Steht trotzdem da.' });
    const { wish } = await apiCall(world.stack, 'POST', '/wishes', {
      topic: TOPIC,
      email: `wunsch.${randomBytes(3).toString('hex')}@example.org`,
      consent: true,
    });
    expect((await applyWishAction(wish.id, 'accept', {}, new Date())).outcome).toBe('done');
  }, 120_000);
  afterAll(() => world?.close());

  it('broken entries of her comments, her details and her reader key: the thread shows, the form posts, the entry is repaired', async () => {
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.record({ mine, me: raw, rk: raw }), async (entries) => {
        await setEntries(tab, entries);
        const element = await replaceElement(tab, 'leserpost-comments', `s${++run}`, { page: PAGE });
        // The comment, or the failure that once came instead of it.
        await element
          .getByText('Steht trotzdem da.')
          .or(element.getByText('nicht geladen'))
          .waitFor({ timeout: 45_000 });
        expect(await element.getByText('Steht trotzdem da.').count()).toBe(1);
        // (It may say that a held comment of hers was not published: the API's answer to a stored one.)
        expect(await element.getByRole('status').first().textContent()).not.toContain('nicht geladen');
        await element.getByRole('form', { name: 'Kommentar schreiben' }).waitFor({ timeout: 45_000 });
      }),
      // Each of these once left the thread at "Kommentare nicht geladen".
      {
        numRuns: 10,
        // No shrinking: each run is a page in Chromium; the first counterexample says enough.
        endOnFailure: true,
        examples: [[{ mine: '{"x": 5}', me: '5', rk: '5' }], [{ mine: '{"x": null}', me: '', rk: '' }]],
      },
    );
    // A reader key of the wrong type once kept every comment with "merken" from going out.
    await setEntries(tab, { mine: '{"x": 5, "y": [1, 2]}', rk: '12345', me: '{"name": 7}' });
    const element = await replaceElement(tab, 'leserpost-comments', 'post', { page: PAGE });
    const form = element.getByRole('form', { name: 'Kommentar schreiben' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Lotte');
    await form.getByRole('textbox', { name: 'E-Mail', exact: true }).fill('lotte@example.org');
    await form.getByRole('textbox', { name: 'Kommentar', exact: true }).fill('Trotz kaputtem Speicher.');
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    await form.getByRole('checkbox', { name: /merken/ }).check();
    await form.getByRole('button', { name: 'Kommentar senden' }).click();
    await element.getByRole('article', { name: 'Lotte' }).waitFor({ timeout: 45_000 });
    const kept = await tab.evaluate(() => ({
      mine: Object.values(JSON.parse(localStorage.getItem('leserpost:mine')!)).map(Array.isArray),
      rk: JSON.parse(localStorage.getItem('leserpost:rk')!),
      polluted: 'polluted' in {},
    }));
    expect(kept).toEqual({ mine: [true], rk: expect.stringMatching(/^[\w-]{16,64}$/), polluted: false });
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('broken entries of her votes, her voter id and her waiting wishes: the board shows, its form comes, her vote counts', async () => {
    const tab = await world.open('/wuensche');
    const errors = pageErrors(tab);
    let run = 0;
    const board = (id: string) => tab.locator(`#${id}`);
    await fc.assert(
      fc.asyncProperty(fc.record({ voted: raw, voter: raw, wishes: waiting, me: raw }), async (entries) => {
        await setEntries(tab, entries);
        const id = `b${++run}`;
        await replaceElement(tab, 'leserpost-wishes', id, {});
        await board(id).getByRole('heading', { name: TOPIC }).waitFor({ timeout: 45_000 });
        await board(id).getByRole('form', { name: 'Thema wünschen' }).waitFor({ timeout: 45_000 });
        expect(await board(id).locator('section > [role=status]').textContent()).not.toContain(
          'nicht geladen',
        );
      }),
      // Each of these once left the board empty, without its form, or unable to vote.
      {
        numRuns: 8,
        // No shrinking: each run is a page in Chromium; the first counterexample says enough.
        endOnFailure: true,
        examples: [
          [{ voted: '5', voter: '5', wishes: '{}', me: '5' }],
          [{ voted: '{}', voter: '"x"', wishes: '[5]', me: '' }],
        ],
      },
    );
    // A voter id the API refuses (wrong type) once made every vote of hers fail.
    await setEntries(tab, { voted: '{"a": 1}', voter: '12345', wishes: '[[1e308, null]]' });
    await replaceElement(tab, 'leserpost-wishes', 'vote', {});
    const item = board('vote')
      .locator('li')
      .filter({ has: tab.getByRole('heading', { name: TOPIC }) });
    await item.getByRole('button', { name: 'Dafür stimmen' }).click();
    await expectText(item.locator('.vt').getByRole('status'), 'Deine Stimme ist gezählt.');
    const voter = await tab.evaluate(() => JSON.parse(localStorage.getItem('leserpost:voter')!));
    expect(voter).toMatch(/^[\w-]{16,64}$/);
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('storage that throws on every call (private mode, switched off): comments post and votes count', async () => {
    const clean = await world.open(POST);
    await clean.evaluate(() => localStorage.clear());
    await clean.close();
    for (const mode of ['quota', 'off'] as const) {
      const tab = await world.context.newPage();
      const errors = pageErrors(tab);
      await tab.addInitScript((mode) => {
        const fail = () => {
          throw new DOMException(
            'Storage is not available.',
            mode === 'quota' ? 'QuotaExceededError' : 'SecurityError',
          );
        };
        if (mode === 'quota') Storage.prototype.setItem = fail;
        else Object.defineProperty(window, 'localStorage', { get: fail });
      }, mode);
      await tab.goto(`${world.stack.url}${POST}`);
      const element = await replaceElement(tab, 'leserpost-comments', 'privat', { page: PAGE });
      const form = element.getByRole('form', { name: 'Kommentar schreiben' });
      await form.getByRole('textbox', { name: 'Name', exact: true }).fill(`Privat ${mode}`);
      await form.getByRole('textbox', { name: 'E-Mail', exact: true }).fill('privat@example.org');
      await form.getByRole('textbox', { name: 'Kommentar', exact: true }).fill(`Ohne Speicher (${mode}).`);
      await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
      await form.getByRole('checkbox', { name: /merken/ }).check();
      await form.getByRole('button', { name: 'Kommentar senden' }).click();
      await element.getByRole('article', { name: `Privat ${mode}` }).waitFor({ timeout: 45_000 });

      await tab.goto(`${world.stack.url}/wuensche`);
      const item = tab
        .locator('leserpost-wishes li')
        .filter({ has: tab.getByRole('heading', { name: TOPIC }) });
      await item.getByRole('button', { name: /Dafür stimmen|Stimme zurücknehmen/ }).click();
      await expectText(item.locator('.vt').getByRole('status'), 'Deine Stimme ist gezählt.');
      expect(errors).toEqual([]);
      await tab.close();
    }
  });
});
