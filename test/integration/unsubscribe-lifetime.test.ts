/**
 * The unsubscribe link of a reader mail works without login for a long time: the documented two
 * years (LIMITS.readers.unsubscribeLinkTtlSeconds). A day before the end its page and the one-click
 * POST still work; a day after, the page says clearly that it expired and what to do instead.
 * The clock is the handlers' own `new Date()`, moved by jest (only Date is faked), never a sleep.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '../../functions/core/limits';
import { handler as readers } from '../../functions/handlers/readers';
import { unsubscribeLink } from '../../functions/notifier/reader-mails';
import { setDateOnly } from '../support/clock';
import { readerPost } from '../support/reader-mail';
import { call, createTestStack } from '../support/stack';

const DAY = 24 * 60 * 60 * 1000;
const lifetime = LIMITS.readers.unsubscribeLinkTtlSeconds * 1000;
const sentAt = new Date('2026-12-01T08:00:00.000Z');

beforeAll(() => createTestStack());
afterEach(() => jest.useRealTimers());

async function mailLink(): Promise<URL> {
  // The very link a reader mail carries (its List-Unsubscribe header and its footer).
  const id = '01JDZ0000000000000000000AB';
  return new URL(await unsubscribeLink(id, sentAt));
}

const page = (link: URL) =>
  call(readers, { method: 'GET', path: '/readers/unsubscribe', rawQueryString: link.search.slice(1) });
const oneClick = (link: URL) =>
  readerPost('/readers/unsubscribe', 'List-Unsubscribe=One-Click', link.search.slice(1));

describe('the unsubscribe link of a reader mail', () => {
  it('is documented as two years in the README and the limits', () => {
    expect(LIMITS.readers.unsubscribeLinkTtlSeconds).toBe(2 * 365 * 24 * 60 * 60);
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain('The link works without login for two years');
  });

  it('still works a day before its lifetime ends: the page with both buttons, and one click', async () => {
    const link = await mailLink();
    setDateOnly(new Date(sentAt.getTime() + lifetime - DAY));
    const shown = await page(link);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('name="scope" value="all"');
    const clicked = await oneClick(link);
    expect(clicked.status).toBe(200);
    expect(clicked.text).toContain('Abbestellt');
  });

  it('fails a day after with a clear page that says what to do instead', async () => {
    const link = await mailLink();
    setDateOnly(new Date(sentAt.getTime() + lifetime + DAY));
    for (const response of [await page(link), await oneClick(link)]) {
      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.text).toContain('Dieser Abbestell-Link ist abgelaufen (er gilt zwei Jahre).');
      expect(response.text).toContain('Meine Daten');
      expect(response.text).not.toContain('name="scope"');
    }
  });
});
