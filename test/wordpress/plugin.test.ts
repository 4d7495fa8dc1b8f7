/**
 * The plugin in a real WordPress (Debian's package, installed German, plugin from the zip) next
 * to the real local stack: the author pastes the snippet, a reader comments on the WordPress post
 * in Chromium, the comment lands in DynamoDB Local, the author approves it from her mail, and the
 * post shows it — in the widget and in the HTML WordPress serves. Then WordPress's own export is
 * imported and its comments appear under their post.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { type LocalStack, startLocalStack } from '../../dev/local-stack';
import { LIMITS } from '../../functions/core/limits';
import { normalisePage } from '../../functions/core/page';
import { parseWordPress } from '../../functions/importers/wordpress';
import { applyCommentAction, listCommentsByStatus } from '../../functions/store/comments';
import { listWishesByStatus } from '../../functions/store/wishes';
import { applyWishAction } from '../../functions/usecases/wishes';
import { embedSnippet } from '../../lib/api-stack';
import { buildWordPressZip } from '../../wordpress/build';
import { ARTIFACTS, CHROMIUM, describeInBrowser, waitForMail } from '../browser/support';
import { linkIn } from '../support/outbox';
import { describeWithWordPress, freePort, phpString, startWordPress, type WordPress } from './support';

/** The README's screenshots are refreshed with WRITE_SCREENSHOTS=1; other runs leave them alone. */
const SCREENSHOTS = process.env.WRITE_SCREENSHOTS ? join(__dirname, '../../docs/screenshots') : ARTIFACTS;

describeWithWordPress('WordPress plugin', () => {
  describeInBrowser('in a real WordPress', () => {
    let stack: LocalStack;
    let wp: WordPress;
    let context: BrowserContext;
    let dir: string;
    let post: { id: number; link: string; key: string };
    // The emulated CloudFront's clock: the widget reads through it (`data-reads`), and a test that
    // must see a change at once moves the clock past the cache's whole lifetime.
    let edgeNow = 0;
    const outliveEdgeCache = (): void => {
      edgeNow += (LIMITS.edgeCache.maxAgeSeconds + LIMITS.edgeCache.staleWhileRevalidateSeconds + 1) * 1000;
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'leserpost-wp-test-'));
      const [stackPort, wpPort] = [await freePort(), await freePort()];
      stack = await startLocalStack({
        port: stackPort,
        dataDir: dir,
        dynamoEndpoint: process.env.DYNAMODB_ENDPOINT!,
        tableName: `wordpress-${randomBytes(5).toString('hex')}`,
        notifier: 'TRIM_HORIZON',
        edgeCache: { now: () => edgeNow },
        // The WordPress blog is another origin than the API: it must be allowed, as on AWS.
        env: {
          BROWSER_GUARDS: 'off',
          RATE_LIMIT_SCALE: '0',
          MODERATION: 'all',
          ALLOWED_ORIGINS: `http://localhost:${stackPort},http://127.0.0.1:${wpPort}`,
        },
      });
      wp = await startWordPress({
        port: wpPort,
        zip: buildWordPressZip(join(dir, 'leserpost-wordpress.zip')),
      });
      post = JSON.parse(
        wp.php(`
          $id = wp_insert_post(['post_title' => 'Meine schwierigste Kundin', 'post_name' => 'schwierigste-kundin',
            'post_content' => 'Drei Fragen, die jedes Erstgespräch retten.', 'post_status' => 'publish',
            'comment_status' => 'open']);
          $first = wp_insert_comment(['comment_post_ID' => $id, 'comment_author' => 'Berta Altkommentar',
            'comment_author_email' => 'berta@example.org', 'comment_content' => 'Ein Kommentar aus WordPress-Zeiten.',
            'comment_approved' => 1, 'comment_date' => '2024-03-01 10:00:00', 'comment_date_gmt' => '2024-03-01 09:00:00']);
          wp_insert_comment(['comment_post_ID' => $id, 'comment_author' => 'Jana', 'comment_parent' => $first,
            'comment_author_email' => 'jana@example.org', 'comment_content' => 'Danke, Berta!',
            'comment_approved' => 1, 'comment_date' => '2024-03-02 10:00:00', 'comment_date_gmt' => '2024-03-02 09:00:00']);
          echo wp_json_encode(['id' => $id, 'link' => get_permalink($id), 'key' => leserpost_page_key($id)]);
        `),
      );
      context = await chromium.launchPersistentContext(join(dir, 'chromium'), {
        executablePath: CHROMIUM,
        headless: true,
        locale: 'de-DE',
        viewport: { width: 1000, height: 1000 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      context.setDefaultTimeout(60_000);
      mkdirSync(SCREENSHOTS, { recursive: true });
    });

    afterAll(async () => {
      await context?.close();
      await wp?.stop();
      await stack?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const html = async (url: string): Promise<string> => (await fetch(url)).text();
    /** The author in her own browser, logged in to WordPress; the reader's (the persistent context) stays logged out. */
    const authorLoggedIn = async (): Promise<{ admin: BrowserContext; tab: Page }> => {
      const admin = await context
        .browser()!
        .newContext({ locale: 'de-DE', viewport: { width: 1000, height: 1000 } });
      const tab = await admin.newPage();
      await tab.goto(`${wp.url}/wp-login.php`);
      await tab.locator('#user_login').fill('jana');
      await tab.locator('#user_pass').fill('leserpost-test');
      await tab.locator('#wp-submit').click();
      await tab.waitForURL(/wp-admin/);
      return { admin, tab };
    };
    const widget = (page: Page): Locator => page.locator('leserpost-comments');

    it('gives the post the page key the importer gives it: the path of its permalink', () => {
      expect(post.link).toBe(`${wp.url}/schwierigste-kundin/`);
      expect(post.key).toBe('/schwierigste-kundin');
    });

    it('leaves the theme alone until the snippet is pasted', async () => {
      const page = await html(post.link);
      expect(page).not.toContain('<leserpost-comments');
      expect(page).toContain('id="respond"');
    });

    it('settings: the author pastes the EmbedSnippet, the addresses are filled and the API answers', async () => {
      const { admin, tab } = await authorLoggedIn();
      // German, from WordPress and from the plugin's own translation.
      await tab.goto(`${wp.url}/wp-admin/options-general.php?page=leserpost`);
      expect(await tab.locator('#adminmenu').getByRole('link', { name: 'Leserpost' }).count()).toBe(1);
      await tab.getByText('Füge das EmbedSnippet ein').waitFor();
      await tab
        .getByLabel('Snippet aus cdk deploy')
        .fill(embedSnippet(`${stack.url}/widget/leserpost.js`, `${stack.apiUrl}/`, `${stack.url}/edge/`));
      await tab.getByLabel('Zwischenspeicher für Kommentare im Seiten-HTML (Sekunden)').fill('2');
      await tab.getByRole('button', { name: 'Änderungen speichern' }).click();
      await tab.locator('#leserpost-check').waitFor();
      expect(await tab.getByLabel('API-Adresse').inputValue()).toBe(stack.apiUrl);
      expect(await tab.getByLabel('Widget-Adresse').inputValue()).toBe(`${stack.url}/widget/leserpost.js`);
      expect(await tab.getByLabel('Lese-Adresse (Edge-Cache)').inputValue()).toBe(`${stack.url}/edge`);
      // The old comments come over through the desk's import page, in the browser.
      expect(
        await tab
          .getByRole('link', { name: /Import-Seite deines Leserpost-Schreibtischs/ })
          .getAttribute('href'),
      ).toBe(`${stack.apiUrl}/desk/import`);
      expect(
        await tab.getByRole('link', { name: 'Leserpost-Schreibtisch öffnen' }).getAttribute('href'),
      ).toBe(`${stack.apiUrl}/desk`);
      expect(await tab.locator('#leserpost-check').textContent()).toContain(
        'Die API antwortet und lässt dieses Blog zu.',
      );
      await tab.screenshot({ path: join(SCREENSHOTS, 'wordpress-settings.png') });
      // Without the form's nonce WordPress refuses the change, even from the administrator's browser.
      const forged = await tab.request.post(`${wp.url}/wp-admin/options.php`, {
        form: {
          option_page: 'leserpost',
          action: 'update',
          'leserpost_settings[api_url]': 'https://evil.example/api',
        },
      });
      expect(forged.status()).toBe(403);
      expect(wp.php("echo leserpost_setting('api_url');")).toBe(stack.apiUrl);
      await admin.close();
    });

    it("replaces the theme's comments with the widget on the post; a comment lands in DynamoDB and, approved, shows in the widget and in the HTML", async () => {
      const tab = await context.newPage();
      const reads: string[] = [];
      tab.on('request', (request) => {
        if (request.method() === 'GET' && /\/comments\?/.test(request.url())) reads.push(request.url());
      });
      await tab.goto(post.link);
      // The theme's own form is gone; the script is there once, with the API from the settings.
      expect(await tab.locator('#respond').count()).toBe(0);
      expect(await tab.locator('script[src*="leserpost.js"]').count()).toBe(1);
      expect(await tab.locator('script[src*="leserpost.js"]').getAttribute('data-api')).toBe(stack.apiUrl);
      // Readers' browsers read through the edge cache, as the snippet says.
      expect(await tab.locator('script[src*="leserpost.js"]').getAttribute('data-reads')).toBe(
        `${stack.url}/edge`,
      );

      expect(await widget(tab).getAttribute('page')).toBe(post.key);
      const form = widget(tab).getByRole('form', { name: 'Kommentar schreiben' });
      await form.waitFor();
      await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Clara Kommentara');
      await form.getByRole('textbox', { name: 'E-Mail', exact: true }).fill('clara@example.org');
      await form
        .getByRole('textbox', { name: 'Kommentar', exact: true })
        .fill('Die drei Fragen probiere ich aus.');
      await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
      await form.getByRole('button', { name: 'Kommentar senden' }).click();
      await widget(tab).getByText('Wartet auf Freigabe').waitFor();

      expect(reads.length).toBeGreaterThan(0);
      expect(reads.every((url) => url.startsWith(`${stack.url}/edge/comments?`))).toBe(true);

      const pending = await listCommentsByStatus('pending');
      expect(pending.map((c) => [c.page, c.name, c.text])).toEqual([
        [post.key, 'Clara Kommentara', 'Die drei Fragen probiere ich aus.'],
      ]);
      expect(await html(post.link)).not.toContain('Die drei Fragen probiere ich aus.');

      // The author approves from her mail.
      const mail = await waitForMail(stack, 'Clara Kommentara');
      const moderation = await context.newPage();
      await moderation.goto(linkIn(mail, 'Freigeben'));
      await moderation.getByRole('button').click();
      await moderation.getByText('Erledigt').first().waitFor();
      await moderation.close();

      // After the plugin's short cache (2 s, set above) the page carries it, for readers without JavaScript too.
      // Asked again until it does (a busy machine may be slower than the cache), never a fixed sleep.
      const carried =
        /<leserpost-comments page="\/schwierigste-kundin"[^>]*>[\s\S]*Clara Kommentara[\s\S]*Die drei Fragen probiere ich aus\.[\s\S]*<\/leserpost-comments>/;
      let served = await html(post.link);
      for (const deadline = Date.now() + 60_000; !carried.test(served) && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        served = await html(post.link);
      }
      expect(served).toMatch(carried);
      outliveEdgeCache();
      await tab.reload();
      await widget(tab).getByRole('article', { name: 'Clara Kommentara' }).waitFor();
      expect(await widget(tab).getByText('Wartet auf Freigabe').count()).toBe(0);
      // The server's copy stays in the document but is not drawn once the widget runs.
      expect(await tab.locator('leserpost-comments > .leserpost-fallback').isVisible()).toBe(false);
      await tab.locator('main').screenshot({ path: join(SCREENSHOTS, 'wordpress-post.png') });
      await tab.close();

      const noScript = await context.browser()!.newContext({ javaScriptEnabled: false });
      const plain = await noScript.newPage();
      await plain.goto(post.link);
      expect(await plain.locator('leserpost-comments .leserpost-fallback h2').textContent()).toBe(
        'Kommentare',
      );
      expect(await plain.getByText('Die drei Fragen probiere ich aus.').isVisible()).toBe(true);
      await plain
        .locator('main')
        .screenshot({ path: join(SCREENSHOTS, 'wordpress-post-without-javascript.png') });
      await noScript.close();
    });

    it("brings WordPress's own comments over as the settings page says: WordPress's export, then the desk's import, in the browser", async () => {
      const { admin, tab } = await authorLoggedIn();
      await tab.goto(`${wp.url}/wp-admin/options-general.php?page=leserpost`);
      const steps = tab.locator('#leserpost-import-steps');
      // Step 1 names WordPress's own menu, choice and button as her (German) WordPress shows them ...
      const [choice, button] = ['Alle Inhalte', 'Export-Datei herunterladen'];
      expect(await steps.locator('li').first().textContent()).toContain(
        `Werkzeuge → Daten exportieren: wähle „${choice}“ und klicke auf „${button}“.`,
      );
      await tab
        .locator('#leserpost-import')
        .screenshot({ path: join(ARTIFACTS, 'wordpress-import-steps.png') });
      // ... and they lead there: WordPress's export page, its choice and its button, the file downloaded.
      await steps.getByRole('link', { name: 'Werkzeuge → Daten exportieren' }).click();
      await tab.getByRole('heading', { name: 'Daten exportieren', level: 1 }).waitFor();
      await tab.getByRole('radio', { name: choice }).check();
      const [download] = await Promise.all([
        tab.waitForEvent('download'),
        tab.getByRole('button', { name: button }).click(),
      ]);
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      expect(file).toMatch(/\.xml$/);

      // Step 2: the link to the desk's import page; the desk asks her to sign in first ...
      await tab.goBack();
      await steps
        .getByRole('link', { name: 'Öffne die Import-Seite deines Leserpost-Schreibtischs' })
        .click();
      await tab.getByLabel('E-Mail-Adresse').fill('autorin@localhost');
      await tab.getByRole('button', { name: 'Link schicken' }).click();
      const mail = await waitForMail(stack, 'Anmelde-Link');
      await tab.goto(/https?:\/\/\S+\/desk\/login\/confirm\?t=\S+/.exec(mail.text)![0]);
      await tab.getByRole('button', { name: 'Anmelden' }).click();
      // ... then it opens its import page again: the file under "Export-Datei", "Importieren", as the step says.
      await tab.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
      expect(new URL(tab.url()).pathname).toBe('/desk/import');
      await tab.getByLabel(/^Export-Datei/).setInputFiles(file);
      await tab.getByRole('button', { name: 'Importieren' }).click();
      await tab.getByRole('heading', { name: 'Import fertig', level: 1 }).waitFor({ timeout: 120_000 });
      // WordPress's sample post keeps its own thread: three comments on two pages.
      await tab.locator('.import-summary').getByText('3 Kommentare übernommen.').waitFor();
      // Signed in, the plugin's links open the desk's pages themselves, though her session cookie
      // (SameSite=Strict) stays behind on a link from her blog.
      await tab.goto(`${wp.url}/wp-admin/options-general.php?page=leserpost`);
      await steps
        .getByRole('link', { name: 'Öffne die Import-Seite deines Leserpost-Schreibtischs' })
        .click();
      await tab.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
      await tab.goBack();
      await tab.getByRole('link', { name: 'Leserpost-Schreibtisch öffnen' }).click();
      await tab.getByRole('heading', { name: 'Eingang', level: 1 }).waitFor();
      await admin.close();

      wp.php('leserpost_forget_cache();');
      outliveEdgeCache();
      const served = await html(post.link);
      // Berta's comment with Jana's reply nested inside it.
      expect(served).toMatch(
        /<li><article[^>]*>.*Berta Altkommentar.*Ein Kommentar aus WordPress-Zeiten\..*<ol class="leserpost-thread"><li><article[^>]*>.*Jana.*Danke, Berta!/s,
      );
      const reader = await context.newPage();
      await reader.goto(post.link);
      await widget(reader).getByRole('article', { name: 'Berta Altkommentar' }).waitFor();
      expect(await widget(reader).getByRole('article').count()).toBe(3);
      await reader.close();
      // Two sites, a mail and an import job in one test: room for a busy machine.
    }, 300_000);

    it('shows counts on the index page, filled by the widget', async () => {
      const tab = await context.newPage();
      await tab.goto(`${wp.url}/`);
      const count = tab.locator(`[data-leserpost-count="${post.key}"]`).first();
      await count.waitFor();
      expect((await count.textContent())?.trim()).toBe('3');
      await tab.close();
    });

    it('computes the same page key as the importer for every kind of permalink', () => {
      const links = [
        `${wp.url}/?p=17`,
        `${wp.url}/?page_id=23`,
        `${wp.url}/2024/03/k%C3%BCndigen-oder-nicht/`,
        `${wp.url}/ueber//mich/`,
        `${wp.url}/`,
      ];
      const items = links
        .map(
          (link, i) => `<item><link>${link.replace(/&/g, '&amp;')}</link><wp:post_id>${i + 40}</wp:post_id>
          <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>Hallo</wp:comment_content></wp:comment></item>`,
        )
        .join('');
      const imported = parseWordPress(
        `<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>${items}</channel></rss>`,
      ).comments.map((c) => normalisePage(c.pageUrl));
      const plugin = JSON.parse(
        wp.php(
          `echo wp_json_encode(array_map('leserpost_key_of_link', json_decode(${phpString(JSON.stringify(links))})));`,
        ),
      );
      expect(plugin).toEqual(imported);
      expect(plugin).toEqual(['/p/17', '/p/23', '/2024/03/kündigen-oder-nicht', '/ueber/mich', '/']);
    });

    it('prints what a reader wrote as text, never as markup', async () => {
      const { comment } = await (
        await fetch(`${stack.apiUrl}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: wp.url },
          body: JSON.stringify({
            page: post.key,
            name: '<img src=x onerror=alert(1)>',
            email: 'boese@example.org',
            website: 'https://example.org/"><script>alert(2)</script>',
            text: '</leserpost-comments><script>alert(3)</script>',
            consent: true,
          }),
        })
      ).json();
      expect((await applyCommentAction(comment.id, 'approve', new Date())).outcome).toBe('done');
      wp.php('leserpost_forget_cache();');
      const served = await html(post.link);
      expect(served).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(served).toContain('&lt;/leserpost-comments&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
      expect(served).not.toMatch(/<script>alert|<img src=x/);
    });

    it('offers the wish board and the wish credit as shortcodes', async () => {
      const links = JSON.parse(
        wp.php(`
          $board = wp_insert_post(['post_type' => 'page', 'post_title' => 'Wünsche', 'post_name' => 'wuensche',
            'post_content' => '[leserpost_wishes]', 'post_status' => 'publish']);
          $article = wp_insert_post(['post_title' => 'Der gewünschte Artikel', 'post_name' => 'gewuenscht',
            'post_content' => 'Text. [leserpost_credit]', 'post_status' => 'publish']);
          echo wp_json_encode([get_permalink($board), get_permalink($article)]);
        `),
      );
      expect(await html(links[0])).toMatch(/<leserpost-wishes lang="de"[^>]*>/);
      expect(await html(links[1])).toContain('<leserpost-wish-credit page="/gewuenscht" lang="de">');
      // With the automatic credit on, an article gets it without the shortcode (once, never twice).
      const auto = wp.php(`
        $settings = get_option('leserpost_settings'); $settings['auto_credit'] = true;
        update_option('leserpost_settings', $settings);
        echo get_permalink(wp_insert_post(['post_title' => 'Ohne Shortcode', 'post_name' => 'ohne-shortcode',
          'post_content' => 'Text.', 'post_status' => 'publish']));
      `);
      expect(await html(auto)).toContain('<leserpost-wish-credit page="/ohne-shortcode" lang="de">');
      expect((await html(links[1])).match(/<leserpost-wish-credit/g)).toHaveLength(1);
    });

    it('runs the wish board on a WordPress page: a reader wishes, the author accepts, readers vote, the written article credits the wisher', async () => {
      const [board, article] = JSON.parse(
        wp.php(`
          $board = wp_insert_post(['post_type' => 'page', 'post_title' => 'Eure Themen', 'post_name' => 'eure-themen',
            'post_content' => '[leserpost_wishes]', 'post_status' => 'publish']);
          $article = wp_insert_post(['post_title' => 'Angebote schreiben, die überzeugen', 'post_name' => 'angebote-schreiben',
            'post_content' => 'Wie gewünscht. [leserpost_credit]', 'post_status' => 'publish']);
          echo wp_json_encode([get_permalink($board), get_permalink($article)]);
        `),
      );
      const tab = await context.newPage();
      await tab.goto(board);
      const wishes = tab.locator('leserpost-wishes');
      const form = wishes.getByRole('form', { name: 'Thema wünschen' });
      await form.waitFor();
      const topic = 'Angebote schreiben, die überzeugen';
      await form.getByRole('textbox', { name: 'Thema', exact: true }).fill(topic);
      await form.getByRole('textbox', { name: 'Dein Name' }).fill('Dora Wunsch');
      await form.getByRole('checkbox', { name: 'Meinen Namen beim Wunsch zeigen' }).check();
      await form.getByRole('textbox', { name: 'E-Mail' }).fill('dora@example.org');
      await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
      await form.getByRole('button', { name: 'Wunsch senden' }).click();
      await form
        .getByRole('status')
        .getByText(/Danke!/)
        .waitFor();
      const stored = (await listWishesByStatus('new')).find((wish) => wish.topic === topic);
      expect(stored).toMatchObject({ publicName: 'Dora Wunsch' });

      // The author accepts it (as from her mail or desk); the board on WordPress shows it to everyone.
      expect((await applyWishAction(stored!.id, 'accept')).outcome).toBe('done');
      outliveEdgeCache();
      await tab.reload();
      const item = wishes.getByRole('listitem').filter({ has: tab.getByRole('heading', { name: topic }) });
      await item.waitFor();
      await item.getByRole('button', { name: 'Dafür stimmen' }).click();
      await item.getByRole('button', { name: 'Stimme zurücknehmen' }).waitFor();
      await tab.screenshot({ path: join(SCREENSHOTS, 'wordpress-wishes.png'), fullPage: true });
      await tab.close();

      // Written: the article names the wisher, from the widget's credit element.
      expect((await applyWishAction(stored!.id, 'written', { articleUrl: article })).outcome).toBe('done');
      outliveEdgeCache();
      const reader = await context.newPage();
      await reader.goto(article);
      await reader
        .locator('leserpost-wish-credit')
        .getByText(/Dora Wunsch/)
        .waitFor();
      await reader.close();
    });

    it('replaces the comments block of a block theme (Twenty Twenty-Three) the same way', async () => {
      wp.php("switch_theme('twentytwentythree');");
      // Another plugin that hooks into WordPress's comment form, as anti-spam plugins do, with a script.
      wp.php(`
        file_put_contents(WP_PLUGIN_DIR . '/form-hook.php', '<?php
          /* Plugin Name: Form hook */
          add_action("comment_form", function () { wp_enqueue_script("form-hook", "/form-hook.js"); });');
        activate_plugin('form-hook.php');
      `);
      try {
        // Unconfigured, the block theme keeps its own comments and form ...
        const saved = wp.php("echo wp_json_encode(get_option('leserpost_settings'));");
        wp.php("delete_option('leserpost_settings');");
        const own = await html(post.link);
        wp.php(`update_option('leserpost_settings', json_decode(${phpString(saved)}, true));`);
        expect(own).toContain('wp-comments-post.php');
        expect(own).toContain('/form-hook.js');
        expect(own).not.toContain('<leserpost-comments');

        // ... configured, the block renders Leserpost, with the comments in the HTML and the script once;
        // WordPress's form is never built, so nothing hooked into it comes along.
        wp.php('leserpost_forget_cache();');
        const served = await html(post.link);
        expect(served).not.toContain('wp-comments-post.php');
        expect(served).not.toContain('/form-hook.js');
        expect(served).toMatch(
          /<leserpost-comments page="\/schwierigste-kundin" lang="de"[^>]*>[\s\S]*Berta Altkommentar/,
        );
        expect(served.match(/<script[^>]*leserpost\.js/g)).toHaveLength(1);
        const tab = await context.newPage();
        await tab.goto(post.link);
        await widget(tab).getByRole('article', { name: 'Berta Altkommentar' }).waitFor();
        await widget(tab).getByRole('form', { name: 'Kommentar schreiben' }).waitFor();
        await tab.screenshot({ path: join(SCREENSHOTS, 'wordpress-block-theme.png') });
        // The index page of the block theme lists excerpts with blocks: each gets its count.
        await tab.goto(`${wp.url}/`);
        const count = tab.locator(`[data-leserpost-count="${post.key}"]`).first();
        await count.waitFor();
        const { counts } = await (
          await fetch(`${stack.apiUrl}/comments/counts?pages=${encodeURIComponent(post.key)}`)
        ).json();
        expect(counts[post.key]).toBeGreaterThanOrEqual(3);
        expect((await count.textContent())?.trim()).toBe(String(counts[post.key]));
        await tab.close();
      } finally {
        wp.php("switch_theme('twentytwentyone'); deactivate_plugins('form-hook.php');");
      }
    });

    it('leaves the counts off index pages when "Show comment counts" is unticked', async () => {
      const toggle = (on: boolean) =>
        wp.php(`
          $settings = get_option('leserpost_settings'); $settings['archive_counts'] = ${on ? 'true' : 'false'};
          update_option('leserpost_settings', $settings);
        `);
      expect(await html(`${wp.url}/`)).toContain(`data-leserpost-count="${post.key}"`);
      toggle(false);
      try {
        expect(await html(`${wp.url}/`)).not.toContain('data-leserpost-count');
      } finally {
        toggle(true);
      }
    });

    it('closes WordPress comments for new posts when asked, and Leserpost still shows there', async () => {
      const created = JSON.parse(
        wp.php(`
          $settings = get_option('leserpost_settings'); $settings['close_comments'] = true;
          update_option('leserpost_settings', $settings);
          $id = wp_insert_post(['post_title' => 'Neu', 'post_name' => 'neu', 'post_content' => 'x', 'post_status' => 'publish']);
          echo wp_json_encode(['status' => get_post($id)->comment_status, 'pings' => get_post($id)->ping_status, 'link' => get_permalink($id)]);
        `),
      );
      expect(created).toMatchObject({ status: 'closed', pings: 'closed' });
      expect(await html(created.link)).toContain('<leserpost-comments page="/neu"');
    });

    it('stays out of feeds and password-protected posts, and speaks English on an English blog', async () => {
      const locked = wp.php(`
        $id = wp_insert_post(['post_title' => 'Geheim', 'post_name' => 'geheim', 'post_content' => 'x',
          'post_status' => 'publish', 'post_password' => 'geheim']);
        echo get_permalink($id);
      `);
      const lockedPage = await html(locked);
      expect(lockedPage).toContain('post-password-form');
      expect(lockedPage).not.toContain('<leserpost-comments');
      const feed = await html(`${wp.url}/feed/`);
      expect(feed).toContain('Meine schwierigste Kundin');
      expect(feed).not.toMatch(/leserpost-comments|data-leserpost-count/);

      wp.php("update_option('WPLANG', ''); leserpost_forget_cache();");
      let english: string;
      try {
        english = await html(post.link);
        // The settings page's export step names WordPress's English menu, choice and button, which are there.
        const { admin, tab } = await authorLoggedIn();
        await tab.goto(`${wp.url}/wp-admin/options-general.php?page=leserpost`);
        const steps = tab.locator('#leserpost-import-steps');
        expect(await steps.locator('li').first().textContent()).toContain(
          'Tools → Export: choose “All content” and click “Download Export File”.',
        );
        await tab
          .locator('#leserpost-import')
          .screenshot({ path: join(ARTIFACTS, 'wordpress-import-steps-en.png') });
        await steps.getByRole('link', { name: 'Tools → Export' }).click();
        await tab.getByRole('radio', { name: 'All content' }).waitFor();
        await tab.getByRole('button', { name: 'Download Export File' }).waitFor();
        await admin.close();
      } finally {
        wp.php("update_option('WPLANG', 'de_DE');");
      }
      expect(english).toMatch(/<leserpost-comments page="\/schwierigste-kundin" lang="en"/);
      expect(english).toContain('<h2>Comments</h2>');
      expect(english).toContain('To write a comment, please turn on JavaScript.');
      expect(await html(post.link)).toContain('<h2>Kommentare</h2>');
    });

    it('caches the server-rendered comments for 60 seconds unless the setting or the filter says otherwise', () => {
      const seconds = wp.php(`
        $saved = get_option('leserpost_settings');
        delete_option('leserpost_settings');
        echo leserpost_cache_seconds(), ' ';
        add_filter('leserpost_cache_seconds', function () { return 5; });
        echo leserpost_cache_seconds(), ' ';
        update_option('leserpost_settings', $saved);
        remove_all_filters('leserpost_cache_seconds');
        echo leserpost_cache_seconds();
      `);
      expect(seconds).toBe('60 5 2');
    });

    it('uninstalls cleanly: no option and no cached read stays behind', () => {
      const left = wp.php(`
        wp_set_current_user(1);
        uninstall_plugin('leserpost/leserpost.php');
        global $wpdb;
        echo $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE '%leserpost%'");
      `);
      expect(left.trim()).toBe('0');
    });
  });
});
