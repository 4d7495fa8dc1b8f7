/**
 * The mails waiting to be resent, at her desk in Chromium: a comment's mail to her fails (SES
 * refusing, through the transport seam), the settings page shows it waiting with the reason, she
 * presses "Jetzt erneut senden" once SES works, sees the notice, and the mail lands in the outbox
 * through the notifier (the stream poller, as on AWS). axe-core finds nothing on the page, on a
 * desktop and a phone, before and after the press (screenshots in test-artifacts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { listOutbox } from '../../dev/outbox';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { failingTransport, outboxTransport, useTransport } from '../../functions/notifier/transport';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { parseMail, waitForFiles } from '../support/outbox';
import { apiCall, axe, type BrowserWorld, describeInBrowser, screenshot, startWorld } from './support';

const TEXT = 'Diese Mail wartet, bis die Autorin auf den Knopf drückt.';

describeInBrowser('mails waiting to be resent, at the desk in Chromium', () => {
  let world: BrowserWorld;
  let desk: Page;

  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'none' }, { mail: true });
    // SES refuses every mail, as before the sender is verified.
    useTransport(failingTransport(outboxTransport(world.stack.outboxDir), Number.POSITIVE_INFINITY));
    await apiCall(world.stack, 'POST', '/comments', {
      page: '/posts/wartende-mail',
      name: 'Rita',
      email: 'rita@example.org',
      text: TEXT,
      consent: true,
    });
    // The stream poller gives up after its retries; the notifier has kept the mail.
    await waitForFiles(join(world.stack.dataDir, 'failed'), 1, (name) => name.endsWith('.json'), 90_000);
    // Logged in as the outbox link would (desk.test.ts walks that way); the cookie of a local desk.
    const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
    if (!login.ok) throw new Error('no desk session');
    await world.context.addCookies([
      { name: 'leserpost-desk', value: login.sessionId, url: world.stack.url },
    ]);
    desk = await world.open('/desk/settings');
  }, 150_000);
  afterAll(async () => {
    useTransport(undefined);
    await world?.close();
  });

  /** axe over the page, screenshots at a desktop's width and a phone's. */
  async function look(name: string): Promise<void> {
    expect((await axe(desk)).violations).toEqual([]);
    await screenshot(desk, name);
    await desk.setViewportSize({ width: 390, height: 844 });
    expect((await axe(desk)).violations).toEqual([]);
    await screenshot(desk, `${name}-phone`);
    await desk.setViewportSize({ width: 900, height: 1000 });
  }

  const outboxHasIt = async () => {
    for (const name of listOutbox(world.stack.outboxDir)) {
      if ((await parseMail(readFileSync(join(world.stack.outboxDir, name)))).text.includes(TEXT)) return true;
    }
    return false;
  };

  it('shows the waiting mail with its reason, and "Jetzt erneut senden" brings it into the outbox', async () => {
    const section = desk.getByRole('region', { name: 'Mails, die noch warten' });
    await section.getByText('1 Mail wartet darauf, erneut gesendet zu werden.').waitFor();
    await section.getByText('Zuletzt gescheitert, weil:').waitFor();
    await look('desk-waiting-mails');

    useTransport(outboxTransport(world.stack.outboxDir));
    await section.getByRole('button', { name: 'Jetzt erneut senden' }).click();
    await desk.getByRole('status').getByText('Die Mails werden erneut gesendet').waitFor();
    expect(new URL(desk.url()).hash).toBe('#waiting-mails');
    await look('desk-waiting-mails-resending');

    // The notifier answers the press through the stream (a deadline against a hang, no timing).
    const deadline = Date.now() + 90_000;
    while (!(await outboxHasIt())) {
      if (Date.now() > deadline) throw new Error('The resent mail did not arrive.');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (;;) {
      await desk.goto(`${world.stack.url}/desk/settings`);
      if (await section.getByText('Keine Mail wartet: alles ist gesendet.').isVisible()) break;
      if (Date.now() > deadline) throw new Error('The desk still lists the mail.');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await expect(section.getByRole('button', { name: 'Jetzt erneut senden' }).count()).resolves.toBe(0);
  });
});
