/**
 * The whole path a person takes, through HTTP on the local stack: a reader posts a comment, the
 * real DynamoDB Local stream carries it to the notifier, the author's mail lands in the outbox,
 * the author opens the approve link (nothing happens), confirms (approved), and the comment is
 * in the public list.
 */
import type { LocalStack } from '../../dev/local-stack';
import { linkIn, startMailingStack, stopMailingStack, waitForMails } from '../support/outbox';

// Mails arrive through DynamoDB Local's stream, which lags by seconds at load 8 on two cores.
jest.setTimeout(120_000);
let stack: LocalStack;

beforeAll(async () => {
  stack = await startMailingStack({ MODERATION: 'first-time', SITE_LANG: 'de' });
}, 120_000);

afterAll(() => stopMailingStack(stack));

const PAGE = '/posts/schwierigste-kundin';

async function visibleIds(): Promise<string[]> {
  const response = await fetch(`${stack.apiUrl}/comments?page=${encodeURIComponent(PAGE)}`, {
    headers: { origin: stack.url },
  });
  return ((await response.json()).comments as { id: string }[]).map((comment) => comment.id);
}

/** The "remember me" key her widget keeps: with it, her approved address is trusted. */
const MIRIAMS_BROWSER = 'miriams-browser-key-0001';

function postComment(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${stack.apiUrl}/comments`, {
    method: 'POST',
    headers: { origin: stack.url, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('post → stream → mail → link → confirm → visible', () => {
  it('works end to end through HTTP', async () => {
    const posted = await postComment({
      page: PAGE,
      pageUrl: `${stack.url}${PAGE}`,
      pageTitle: 'Meine schwierigste & wunderbarste Kundin',
      name: 'Miriam <Coach>',
      email: 'miriam.flow@example.org',
      readerKey: MIRIAMS_BROWSER,
      website: 'https://coach-miriam.example',
      text: 'Danke für diesen ehrlichen Beitrag!\nZweite Zeile.',
      consent: true,
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

    // "Antworten" opens her desk at this comment, where she can answer it as the author.
    expect(linkIn(mail!, 'Antworten (am Schreibtisch)')).toBe(
      `${stack.url}/desk/comments/${comment.id}#reply`,
    );
    expect(mail!.html).toContain(`href="${stack.url}/desk/comments/${comment.id}#reply"`);

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
    // A broken escape names no mail: 404, not the local server's 500.
    for (const broken of ['%', '%ED%A0%80', 'x%E0%A4%A.eml'])
      expect({ broken, status: (await fetch(`${stack.url}/dev/mail/${broken}`)).status }).toEqual({
        broken,
        status: 404,
      });
  });

  it('mails the author about a trusted reader too, already visible, without an approve link', async () => {
    const posted = await postComment({
      page: PAGE,
      name: 'Miriam',
      email: 'Miriam.Flow@example.org',
      readerKey: MIRIAMS_BROWSER,
      text: 'Noch was!',
      consent: true,
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
