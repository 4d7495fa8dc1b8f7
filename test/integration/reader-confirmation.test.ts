/**
 * Double opt-in through the real stream: ticking "Benachrichtige mich bei Antworten" sends one
 * confirmation mail (who asked, for what), its link shows a page that changes nothing until the
 * button is pressed, and the confirmation is stored against the address's hash with the time.
 * The mail is limited per address and per client; the reader's answer never differs.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { LIMITS } from '../../functions/core/limits';
import { issueToken } from '../../functions/core/tokens';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as readers } from '../../functions/handlers/readers';
import { handler as wishes } from '../../functions/handlers/wishes';
import { handler as notifier } from '../../functions/notifier/handler';
import { linkKey, lookupHashOf } from '../../functions/runtime/keys';
import { linkIn } from '../support/outbox';
import {
  type MailTestStack,
  settle as settleStream,
  startReaderMailStack,
  tokenOf,
} from '../support/reader-mail';
import { call, validComment } from '../support/stack';
import { validWish } from '../support/wishes';

let stack: MailTestStack;
beforeAll(async () => {
  stack = await startReaderMailStack({ MODERATION: 'none' });
});
afterAll(() => stack?.stop());

const page = '/posts/double-opt-in';
function postComment(json: Record<string, unknown>, sourceIp = '198.51.100.20') {
  return call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page, ...json }),
    sourceIp,
  });
}

const settle = () => settleStream(stack, postComment);

const confirmations = (address: string) =>
  stack.mailsTo(address).filter((mail) => /bestätige|confirm/i.test(mail.subject));

const readerPage = (method: 'GET' | 'POST', token: string, origin?: string) =>
  method === 'GET'
    ? call(readers, { method, path: '/readers/confirm', rawQueryString: `t=${encodeURIComponent(token)}` })
    : call(readers, {
        method,
        path: '/readers/confirm',
        body: `t=${encodeURIComponent(token)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
      });

const confirmationItems = async () => (await stack.dump()).filter((item) => item.kind === 'confirmation');

describe('the confirmation mail', () => {
  const erika = 'erika.optin@example.org';
  let url: string;

  beforeAll(async () => {
    expect((await postComment({ email: erika, notifyReplies: true })).status).toBe(201);
    await settle();
    const [mail] = confirmations(erika);
    url = linkIn(mail!, 'Adresse bestätigen');
  });

  it('goes out once, in German, saying which blog asked, for what, on which page', () => {
    const mails = confirmations(erika);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Testblog');
    expect(mails[0]!.text).toContain('Benachrichtige mich bei Antworten');
    expect(mails[0]!.text).toContain(page);
    expect(mails[0]!.html).toContain('Adresse bestätigen');
    expect(url).toMatch(/^https:\/\/api\.blog\.example\/readers\/confirm\?t=reader\.confirm\./);
  });

  it('is the only mail she gets: nothing else goes to an unconfirmed address', () => {
    expect(stack.mailsTo(erika)).toHaveLength(1);
  });

  it('opens a page with a button that changes nothing (a mail scanner may open it)', async () => {
    const response = await readerPage('GET', tokenOf(url));
    expect(response.status).toBe(200);
    expect(response.text).toContain('<form method="post" action="confirm">');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(await confirmationItems()).toEqual([]);
  });

  it('confirms on the button, stored against the address hash with the time, and says so once', async () => {
    // The page's own form posts with the API's origin, which is not one of the blog's; a foreign
    // site's form is refused with a page, and nothing is stored.
    const foreign = await readerPage('POST', tokenOf(url), 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers['content-type']).toMatch(/^text\/html/);
    expect(await confirmationItems()).toEqual([]);
    const response = await readerPage('POST', tokenOf(url), new URL(process.env.API_BASE_URL!).origin);
    expect(response.status).toBe(200);
    expect(response.text).toContain('Deine Adresse ist bestätigt');
    const stored = await confirmationItems();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ emailHash: await lookupHashOf(erika) });
    expect(Date.parse(String(stored[0]!.confirmedAt))).not.toBeNaN();
    expect(JSON.stringify(await stack.dump())).not.toContain(erika);
    const again = await readerPage('POST', tokenOf(url));
    expect(again.text).toContain('Schon bestätigt');
    expect(await confirmationItems()).toHaveLength(1);
  });

  it('is not sent again once the address is confirmed', async () => {
    await postComment({ email: erika.toUpperCase(), notifyReplies: true });
    await settle();
    expect(confirmations(erika)).toHaveLength(1);
  });
});

describe('without the tick', () => {
  it('sends her nothing', async () => {
    await postComment({ email: 'ohne.haken@example.org' });
    await settle();
    expect(stack.mailsTo('ohne.haken@example.org')).toEqual([]);
  });
});

describe('the wish form', () => {
  it('asks for confirmation when she wants to hear that the article is out', async () => {
    const email = 'wunsch.optin@example.org';
    const response = await call(wishes, {
      method: 'POST',
      path: '/wishes',
      json: validWish({ email, notifyWhenWritten: true }),
    });
    expect(response.status).toBe(201);
    await settle();
    expect(confirmations(email)).toHaveLength(1);
    expect(confirmations(email)[0]!.text).toContain('Schreib mir, wenn der Beitrag erschienen ist');
  });
});

describe('a redelivered stream record', () => {
  it('sends the confirmation mail no second time', async () => {
    const request = (await stack.dump()).find((item) => item.kind === 'confirmation-request');
    if (!request) throw new Error('no pending confirmation request to redeliver');
    const before = stack.mails().length;
    const record = {
      eventName: 'INSERT',
      eventID: 'redelivered',
      dynamodb: { NewImage: marshall(request, { removeUndefinedValues: true }), SequenceNumber: '1' },
    };
    const result = await notifier({ Records: [record, record] } as never);
    expect(result.batchItemFailures).toEqual([]);
    await settle();
    expect(stack.mails().length).toBe(before + 1); // only the marker's author mail
  });
});

describe('nobody can mail-bomb an address through the blog', () => {
  it('mails one address at most the daily limit, and answers every request the same', async () => {
    const victim = 'opfer@example.org';
    const bodies: string[] = [];
    for (let i = 0; i < LIMITS.readers.confirmationsPerAddressPerDay + 2; i++) {
      const response = await postComment(
        { email: victim, notifyReplies: true, text: `Versuch ${i}` },
        `203.0.113.${i}`,
      );
      expect(response.status).toBe(201);
      bodies.push(
        JSON.stringify(response.body)
          .replace(/"(id|createdAt)":"[^"]*"/g, '')
          .replace(/Versuch \d/, ''),
      );
    }
    await settle();
    expect(confirmations(victim)).toHaveLength(LIMITS.readers.confirmationsPerAddressPerDay);
    expect(new Set(bodies).size).toBe(1);
  });

  it('lets one client ask for at most its limit of confirmation mails per window', async () => {
    for (let i = 0; i < LIMITS.readers.confirmationsPerClientPerWindow + 2; i++) {
      await postComment({ email: `empfaenger${i}@example.org`, notifyReplies: true }, '192.0.2.77');
    }
    await settle();
    const sent = stack.mails().filter((mail) => /^empfaenger\d@/i.test(mail.to.replace(/^.*</, '')));
    expect(sent).toHaveLength(LIMITS.readers.confirmationsPerClientPerWindow);
  });
});

describe('a link that is not ours', () => {
  it('is refused with a page, for a forged, a foreign or an expired token; nothing is stored', async () => {
    const before = (await confirmationItems()).length;
    const request = { kind: 'reader' as const, action: 'confirm', target: '01JD0000000000000000000000' };
    const expired = issueToken(request, await linkKey('reader'), new Date('2020-01-01T00:00:00Z'), 60);
    const authorKeyed = issueToken(request, await linkKey('author'), new Date());
    for (const token of ['kaputt', expired, authorKeyed, `${authorKeyed.slice(0, -2)}xx`]) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await readerPage(method, token);
        expect(response.status).toBe(403);
        expect(response.headers['content-type']).toContain('text/html');
      }
    }
    expect(await confirmationItems()).toHaveLength(before);
  });
});
