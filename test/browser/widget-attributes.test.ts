/**
 * The widget's documented element attributes and theming (widget/README.md) in Chromium: the
 * thread found by `<link rel="canonical">`, a custom property of the theme reaching into the
 * shadow root, an element's own `api` overriding the script's, and `no-heading` on the compliments.
 */
import { addHandCompliment } from '../../functions/usecases/compliments';
import {
  type BrowserWorld,
  describeInBrowser,
  placeElement,
  screenshot,
  seedComment,
  startWorld,
} from './support';

describeInBrowser('widget attributes in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'all' });
  }, 120_000);
  afterAll(() => world?.close());

  it('without `page` the thread is the canonical URL’s, not the address in the bar', async () => {
    await seedComment(world.stack, {
      page: '/posts/kanonisch',
      name: 'Kim',
      text: 'Unter der kanonischen Adresse.',
    });
    const page = await world.open('/posts/newsletter-ohne-angst');
    await page.evaluate(() => {
      document.querySelector('leserpost-comments')?.remove();
      const link = document.createElement('link');
      link.rel = 'canonical';
      link.href = '/posts/kanonisch?utm_source=feed';
      document.head.append(link);
    });
    const element = await placeElement(page, 'leserpost-comments', 'canonical', {});
    await element.getByText('Unter der kanonischen Adresse.').waitFor({ timeout: 60_000 });
    await page.close();
  });

  it('a theme’s custom properties reach into the shadow root (accent, text, background)', async () => {
    await seedComment(world.stack, {
      page: '/posts/farbe',
      name: 'Lou',
      text: 'Siehe [die Quelle](https://example.org/quelle) dazu.',
    });
    const page = await world.open('/posts/newsletter-ohne-angst');
    await page.evaluate(() => document.querySelector('leserpost-comments')?.remove());
    const element = await placeElement(page, 'leserpost-comments', 'themed', {
      page: '/posts/farbe',
      style:
        '--leserpost-accent: rgb(1, 102, 3); --leserpost-text: rgb(4, 5, 6); --leserpost-bg: rgb(250, 240, 230)',
    });
    const link = element.getByRole('link', { name: 'die Quelle' });
    await link.waitFor({ timeout: 60_000 });
    expect(await link.evaluate((a) => getComputedStyle(a).color)).toBe('rgb(1, 102, 3)');
    const host = await element.evaluate((el) => [
      getComputedStyle(el).color,
      getComputedStyle(el).backgroundColor,
    ]);
    expect(host).toEqual(['rgb(4, 5, 6)', 'rgb(250, 240, 230)']);
    await page.close();
  });

  it('an element’s `api` sends its requests there instead of the script’s data-api', async () => {
    const page = await world.open('/posts/newsletter-ohne-angst');
    const seen: string[] = [];
    page.on('request', (request) => seen.push(request.url()));
    await page.evaluate(() => document.querySelector('leserpost-comments')?.remove());
    const other = `${world.stack.url}/api-elsewhere`;
    await placeElement(page, 'leserpost-comments', 'elsewhere', { page: '/posts/anderswo', api: other });
    // Waits on the condition (generously, for a busy machine), never a fixed sleep as the assertion.
    for (let i = 0; i < 300 && !seen.some((url) => url.startsWith(`${other}/comments?`)); i++)
      await page.waitForTimeout(100);
    expect(seen.filter((url) => url.includes('/comments?'))).toEqual([
      expect.stringMatching(`^${other}/comments\\?`),
    ]);
    await page.close();
  });

  it('`no-heading` leaves out the compliments’ own heading; the list keeps its name for screen readers', async () => {
    const added = await addHandCompliment(
      { text: 'Ihr Newsletter ist der einzige, den ich ganz lese.', from: 'Romy', public: '1' },
      new Date(),
    );
    expect(added.ok).toBe(true);
    // The demo page has its own heading and places the element with `no-heading`.
    const page = await world.open('/komplimente');
    const bare = page.locator('leserpost-compliments').first();
    expect(await bare.getAttribute('no-heading')).toBe('');
    await bare.getByText('Ihr Newsletter ist der einzige', { exact: false }).waitFor({ timeout: 60_000 });
    expect(await bare.getByRole('heading').count()).toBe(0);
    expect(await bare.getByRole('region', { name: 'Das sagen Leser:innen' }).count()).toBe(1);
    // The same element without the attribute, in English: its own heading names the list.
    const headed = await placeElement(page, 'leserpost-compliments', 'headed', { lang: 'en' });
    await headed.getByText('Ihr Newsletter ist der einzige', { exact: false }).waitFor({ timeout: 60_000 });
    await headed.getByRole('heading', { name: 'What readers say', level: 2 }).waitFor();
    expect(await headed.getByRole('region', { name: 'What readers say' }).count()).toBe(1);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'widget-compliments-no-heading-phone');
    await page.close();
  });
});
