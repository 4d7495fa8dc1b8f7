/**
 * The whole path a person takes, through HTTP on the local stack: a reader posts a comment, the
 * real DynamoDB Local stream carries it to the notifier, the author's mail lands in the outbox,
 * the author opens the approve link (nothing happens), confirms (approved), and the comment is
 * in the public list.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '../../dev/local-stack';
import { linkIn, waitForMails } from '../support/outbox';

let stack: LocalStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'leserpost-flow-'));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    dynamoEndpoint: process.env.DYNAMODB_ENDPOINT,
    tableName: `flow-${randomBytes(4).toString('hex')}`,
    notifier: 'TRIM_HORIZON',
    env: { MODERATION: 'first-time', BROWSER_GUARDS: 'off', RATE_LIMIT_SCALE: '1000', SITE_LANG: 'de' },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const PAGE = '/posts/schwierigste-kundin';

async function visibleIds(): Promise<string[]> {
  const response = await fetch(`${stack.apiUrl}/comments?page=${encodeURIComponent(PAGE)}`, {
    headers: { origin: stack.url },
  });
  return ((await response.json()).comments as { id: string }[]).map((comment) => comment.id);
}

describe('post → stream → mail → link → confirm → visible', () => {
  it('works end to end through HTTP', async () => {
    const posted = await fetch(`${stack.apiUrl}/comments`, {
      method: 'POST',
      headers: { origin: stack.url, 'content-type': 'application/json' },
      body: JSON.stringify({
        page: PAGE,
        pageUrl: `${stack.url}${PAGE}`,
        pageTitle: 'Meine schwierigste & wunderbarste Kundin',
        name: 'Miriam <Coach>',
        email: 'miriam.flow@example.org',
        website: 'https://coach-miriam.example',
        text: 'Danke für diesen ehrlichen Beitrag!\nZweite Zeile.',
        consent: true,
      }),
    });
    expect(posted.status).toBe(201);
    const { comment } = await posted.json();
    expect(comment.status).toBe('pending');

    const [mail] = await waitForMails(stack.outboxDir, 1);
    expect(mail!.to).toBe('autorin@localhost');
    expect(mail!.subject).toBe(
      '[Freigabe nötig] Neuer Kommentar von Miriam <Coach> zu „Meine schwierigste & wunderbarste Kundin“',
    );
    // The author sees the reader's address (decrypted for her mail only) and can answer directly.
    expect(mail!.text).toContain('E-Mail: miriam.flow@example.org');
    expect(mail!.headers['reply-to']).toContain('miriam.flow@example.org');
    expect(mail!.text).toContain(`${stack.url}${PAGE}`);
    expect(mail!.text).toContain('> Zweite Zeile.');
    expect(mail!.html).toContain('Miriam &lt;Coach&gt;');
    expect(mail!.html).not.toContain('<Coach>');

    const approve = linkIn(mail!, 'Freigeben');
    expect(approve.startsWith(`${stack.apiUrl}/moderate?t=`)).toBe(true);
    for (const label of ['Freigeben und als Kompliment sammeln', 'Als Spam markieren', 'Löschen']) {
      expect(linkIn(mail!, label).startsWith(`${stack.apiUrl}/moderate?t=`)).toBe(true);
    }

    // A mail scanner (or the author) opens the link: a page, no change.
    const opened = await fetch(approve);
    expect(opened.status).toBe(200);
    const page = await opened.text();
    expect(page).toContain('Kommentar freigeben?');
    expect(page).toContain('Miriam &lt;Coach&gt;');
    expect(await visibleIds()).not.toContain(comment.id);

    // The button posts the form.
    const token = new URL(approve).searchParams.get('t')!;
    const confirmed = await fetch(`${stack.apiUrl}/moderate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.url },
      body: new URLSearchParams({ t: token }).toString(),
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Erledigt');
    expect(await visibleIds()).toContain(comment.id);

    // Clicking again later says so, without an error.
    const again = await fetch(`${stack.apiUrl}/moderate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ t: token }).toString(),
    });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Schon erledigt');
  });

  it('shows the outbox at /dev/mail with clickable, escaped links', async () => {
    const list = await fetch(`${stack.url}/dev/mail`);
    expect(list.status).toBe(200);
    const listing = await list.text();
    expect(listing).toContain('Neuer Kommentar von Miriam &lt;Coach&gt;');
    const href = /href="(\/dev\/mail\/[^"]+\.eml)"/.exec(listing)![1]!;
    const shown = await (await fetch(`${stack.url}${href}`)).text();
    expect(shown).toMatch(/<a href="http:\/\/localhost:\d+\/api\/moderate\?t=[^"]+"/);
    expect(shown).toContain('<iframe sandbox=');
    expect(shown).not.toContain('<Coach>');
    expect((await fetch(`${stack.url}/dev/mail/..%2Fmaster.key`)).status).toBe(404);
  });

  it('mails the author about a trusted reader too, already visible, without an approve link', async () => {
    const posted = await fetch(`${stack.apiUrl}/comments`, {
      method: 'POST',
      headers: { origin: stack.url, 'content-type': 'application/json' },
      body: JSON.stringify({
        page: PAGE,
        name: 'Miriam',
        email: 'Miriam.Flow@example.org',
        text: 'Noch was!',
        consent: true,
      }),
    });
    expect((await posted.json()).visible).toBe(true);
    const mails = await waitForMails(stack.outboxDir, 2);
    const second = mails[1]!;
    expect(second.subject).toBe('Neuer Kommentar von Miriam zu „/posts/schwierigste-kundin“');
    expect(second.text).toContain('schon sichtbar');
    expect(() => linkIn(second, 'Freigeben')).toThrow();
    expect(linkIn(second, 'Löschen')).toContain('/moderate?t=');
  });
});
