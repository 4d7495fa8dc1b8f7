/**
 * "Meine Daten", self-service, through the real stream and outbox: she asks on the form, the same
 * answer comes for any address, a signed link goes only to an address with data, the link shows
 * and downloads everything and changes nothing until she erases, erasing leaves no trace of her
 * address in the table, and the author hears how much was erased, never whose.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { LIMITS } from '../../functions/core/limits';
import { issueToken } from '../../functions/core/tokens';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as readers } from '../../functions/handlers/readers';
import { handler as notifier } from '../../functions/notifier/handler';
import { resetConfig } from '../../functions/runtime/config';
import { linkKey, lookupHashOf } from '../../functions/runtime/keys';
import { followConfirmLink } from '../../functions/usecases/confirmations';
import { moderateComment } from '../../functions/usecases/moderation';
import { eraseReaderData } from '../../functions/usecases/reader-data';
import { linkIn } from '../support/outbox';
import {
  eventually,
  type MailTestStack,
  settle as settleStream,
  startReaderMailStack,
  tokenOf,
} from '../support/reader-mail';
import { call, validComment } from '../support/stack';
import { acceptedWish } from '../support/wishes';

// The stream of DynamoDB Local lags on a busy machine: a generous bound against a hang, no timing.
jest.setTimeout(120_000);

let stack: MailTestStack;
const page = '/posts/meine-daten-selbst';
const erika = 'erika.selbst@example.de';
const jan = 'jan.antwortet@example.org';
const AUTHOR = 'autorin@blog.example';

function postComment(json: Record<string, unknown>, sourceIp = '198.51.100.30') {
  return call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page, ...json }),
    sourceIp,
  });
}
const settle = () => settleStream(stack, postComment);

const form = (body: string, sourceIp = '203.0.113.7', headers: Record<string, string> = {}) =>
  call(readers, {
    method: 'POST',
    path: '/readers/data',
    body,
    sourceIp,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
const ask = (email: string, sourceIp?: string, lang = 'de') =>
  form(`email=${encodeURIComponent(email)}&lang=${lang}`, sourceIp);
const view = (token: string) =>
  call(readers, {
    method: 'GET',
    path: '/readers/data/view',
    rawQueryString: `t=${encodeURIComponent(token)}`,
  });
const act = (token: string, fields: string) =>
  call(readers, {
    method: 'POST',
    path: '/readers/data/view',
    body: `t=${encodeURIComponent(token)}&${fields}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

const dataMails = (address: string) =>
  stack.mailsTo(address).filter((mail) => /Deine Daten|Your data/.test(mail.subject));
const erasureMails = () => stack.mailsTo(AUTHOR).filter((mail) => /gelöscht/.test(mail.subject));

let parentId: string;
let wishId: string;

beforeAll(async () => {
  stack = await startReaderMailStack({ MODERATION: 'none' });
  const parent = await postComment({
    email: erika,
    name: 'Erika',
    text: 'Erikas Kommentar mit Antwort.',
    notifyReplies: true,
  });
  parentId = parent.body.comment.id;
  await postComment({ email: jan, name: 'Jan', text: 'Jans Antwort an Erika.', parentId });
  await postComment({ email: erika, name: 'Erika', text: 'Erikas zweiter Kommentar.' });
  wishId = await acceptedWish({ email: erika, displayName: 'Erika S.', topic: 'Wie schreibe ich Angebote?' });
  await settle();
  // She confirms her address for reply mails: a confirmation item to export and erase.
  const confirm = stack.mailsTo(erika).find((mail) => /bestätige/i.test(mail.subject));
  await followConfirmLink(tokenOf(linkIn(confirm!, 'Adresse bestätigen')), new Date());
}, 120_000);
afterAll(() => stack?.stop());

describe('the form', () => {
  it('asks for the address in the language of ?lang=, else of the browser', async () => {
    const de = await call(readers, { method: 'GET', path: '/readers/data', rawQueryString: 'lang=de' });
    expect(de.status).toBe(200);
    expect(de.headers['content-language']).toBe('de');
    expect(de.text).toContain('Meine Daten');
    expect(de.text).toContain('<form method="post" action="data">');
    expect(de.text).toContain('name="lang" value="de"');
    const en = await call(readers, { method: 'GET', path: '/readers/data', rawQueryString: 'lang=en' });
    expect(en.text).toContain('My data');
    const browser = await call(readers, {
      method: 'GET',
      path: '/readers/data',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(browser.text).toContain('My data');
    // Neither: the blog's language (SITE_LANG).
    const blog = await call(readers, { method: 'GET', path: '/readers/data' });
    expect(blog.headers['content-language']).toBe(process.env.SITE_LANG ?? 'de');
  });

  it('without ?lang= or a browser language, asks in the blog’s language, whichever it is', async () => {
    const before = process.env.SITE_LANG;
    try {
      for (const lang of ['en', 'de']) {
        process.env.SITE_LANG = lang;
        resetConfig();
        const page = await call(readers, { method: 'GET', path: '/readers/data' });
        expect(page.headers['content-language']).toBe(lang);
        expect(page.text).toContain(lang === 'en' ? 'My data' : 'Meine Daten');
      }
    } finally {
      if (before === undefined) delete process.env.SITE_LANG;
      else process.env.SITE_LANG = before;
      resetConfig();
    }
  });

  it('names the field of a wrong language or address, and stores nothing', async () => {
    const before = JSON.stringify(await stack.dump());
    const lang = await call(readers, { method: 'GET', path: '/readers/data', rawQueryString: 'lang=fr' });
    expect(lang.status).toBe(400);
    expect(lang.headers['content-type']).toContain('text/html');
    expect(lang.text).toContain('lang');
    const email = await form('email=keine-adresse&lang=de');
    expect(email.status).toBe(400);
    expect(email.text).toContain('„email“');
    const wrongLang = await form(`email=${encodeURIComponent(erika)}&lang=xx`);
    expect(wrongLang.status).toBe(400);
    expect(wrongLang.text).toContain('lang');
    expect(JSON.stringify(await stack.dump())).toBe(before);
  });

  it('answers the same for a known and an unknown address, and mails only the known one', async () => {
    const known = await ask(erika, '203.0.113.21');
    const unknown = await ask('niemand.hier@example.net', '203.0.113.22');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(unknown.text).toBe(known.text);
    expect(unknown.headers).toEqual(known.headers);
    await settle();
    expect(dataMails(erika)).toHaveLength(1);
    expect(stack.mailsTo('niemand.hier@example.net')).toEqual([]);
  });
});

describe('the mail and her data page', () => {
  let token: string;
  beforeAll(async () => {
    const [mail] = dataMails(erika);
    expect(mail!.text).toContain('Testblog');
    token = tokenOf(linkIn(mail!, 'Meine Daten ansehen'));
  });

  it('links to her data page, signed for this purpose with the reader key, for a day', () => {
    expect(token).toMatch(/^reader\.data\./);
    const expiresAt = Number.parseInt(token.split('.')[3]!, 36);
    const day = Date.now() / 1000 + LIMITS.readers.dataLinkTtlSeconds;
    expect(LIMITS.readers.dataLinkTtlSeconds).toBe(24 * 60 * 60);
    expect(Math.abs(expiresAt - day)).toBeLessThan(600);
  });

  it('goes out once, even when the stream delivers the request again', async () => {
    const request = (await stack.dump()).find((item) => item.kind === 'data-request');
    const record = {
      eventName: 'INSERT',
      dynamodb: { NewImage: marshall(request!, { removeUndefinedValues: true }), SequenceNumber: '1' },
    };
    const result = await notifier({ Records: [record, record] } as never);
    expect(result.batchItemFailures).toEqual([]);
    await settle();
    expect(dataMails(erika)).toHaveLength(1);
  });

  it('shows her comments, wish and confirmation, and opening it changes nothing', async () => {
    const before = JSON.stringify(await stack.dump());
    const response = await view(token);
    expect(response.status).toBe(200);
    expect(response.text).toContain('Erikas Kommentar mit Antwort.');
    expect(response.text).toContain('Erikas zweiter Kommentar.');
    expect(response.text).toContain('Wie schreibe ich Angebote?');
    expect(response.text).toContain('Bestätigte Adresse');
    expect(response.text).toContain('Mail bei Antworten');
    expect(response.text).not.toContain('Jans Antwort');
    // A scanner following the link, and following it again, erases nothing.
    await view(token);
    expect(JSON.stringify(await stack.dump())).toBe(before);
  });

  it('downloads everything as JSON: comments, wish, notification, confirmation; nothing of Jan', async () => {
    const response = await act(token, 'do=download');
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toContain('attachment');
    const data = response.body;
    expect(data.comments.map((c: { text: string }) => c.text).sort()).toEqual(
      ['Erikas Kommentar mit Antwort.', 'Erikas zweiter Kommentar.'].sort(),
    );
    expect(data.wishes).toEqual([
      expect.objectContaining({ id: wishId, topic: 'Wie schreibe ich Angebote?' }),
    ]);
    // Her reply notification is a flag on her comment; separate subscriptions are listed apart.
    expect(data.comments.filter((c: { notifyReplies: boolean }) => c.notifyReplies)).toHaveLength(1);
    expect(Array.isArray(data.subscriptions)).toBe(true);
    expect(data.confirmations).toHaveLength(1);
    expect(Array.isArray(data.votes)).toBe(true);
    expect(JSON.stringify(data)).not.toContain('Jan');
    // The page's Lambda never opens addresses: the export names none.
    expect(data.email).toBeUndefined();
    expect(JSON.stringify(data)).not.toContain(erika);
  });

  it('refuses a forged, an expired and another purpose’s link with a clear page', async () => {
    const key = await linkKey('reader');
    const target = token.split('.')[2]!;
    const forged = await view(`${token.slice(0, -2)}${token.endsWith('AA') ? 'AB' : 'AA'}`);
    expect(forged.status).toBe(403);
    expect(forged.text).toMatch(/beschädigt|unvollständig/);
    const expired = await view(
      issueToken({ kind: 'reader', action: 'data', target }, key, new Date(Date.now() - 2 * 86_400_000), 60),
    );
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('abgelaufen');
    const confirm = issueToken({ kind: 'reader', action: 'confirm', target }, key, new Date());
    const other = await view(confirm);
    expect(other.status).toBe(403);
    expect(other.text).toContain('anderen Mail');
    const otherErase = await act(confirm, 'do=erase&confirm=1');
    expect(otherErase.status).toBe(403);
    expect((await view(token)).status).toBe(200);
  });

  it('does not erase without the tick, and names the field', async () => {
    const before = JSON.stringify(await stack.dump());
    const response = await act(token, 'do=erase');
    expect(response.status).toBe(400);
    expect(response.text).toContain('„confirm“');
    expect(JSON.stringify(await stack.dump())).toBe(before);
  });

  it('erases everything: no address, seal or lookup hash of hers left, the thread kept readable', async () => {
    const hash = await lookupHashOf(erika);
    const seals = (await stack.dump())
      .filter((item) => item.emailHash === hash && typeof item.emailEnc === 'string')
      .map((item) => String(item.emailEnc));
    expect(seals.length).toBeGreaterThan(0);
    const response = await act(token, 'do=erase&confirm=1');
    expect(response.status).toBe(200);
    expect(response.text).toContain('Gelöscht');
    expect(response.text).toContain('Kommentare als „gelöscht“ im Gespräch: 1');
    const dump = JSON.stringify(await stack.dump());
    expect(dump.toLowerCase()).not.toContain(erika);
    expect(dump).not.toContain(hash);
    for (const seal of seals) expect(dump).not.toContain(seal);
    expect(dump).toContain('Jans Antwort an Erika.');
    // Her wish stays on the board, without her name.
    const wish = (await stack.dump()).find((item) => item.kind === 'wish' && item.id === wishId);
    expect(wish).toMatchObject({ topic: 'Wie schreibe ich Angebote?' });
    expect(wish?.requesterName).toBeUndefined();
    expect(wish?.publicName).toBeUndefined();
    // The link has nothing left to show.
    expect((await view(token)).status).toBe(410);
  });

  it('tells the author how much was erased, and not whose', async () => {
    await eventually(() => erasureMails().length > 0);
    const [mail] = erasureMails();
    expect(mail!.text).toContain('über „Meine Daten“');
    expect(mail!.text).toContain('Kommentare entfernt: 1');
    expect(mail!.text).toContain('Kommentare als „gelöscht“ im Gespräch: 1');
    expect(mail!.text).toContain('Wünsche ohne Namen: 1');
    expect(`${mail!.text}${mail!.html}`).not.toContain('erika');
    await settle();
    expect(erasureMails()).toHaveLength(1);
  });
});

describe('an erasure at the desk', () => {
  it('tells the author too, by mail', async () => {
    const anna = 'anna.desk@example.de';
    const comment = await postComment({ email: anna, text: 'Annas Kommentar.' });
    await moderateComment(comment.body.comment.id, 'approve', new Date());
    await eraseReaderData(anna, new Date());
    await eventually(() => erasureMails().some((mail) => mail.text.includes('Am Schreibtisch')));
    const mail = erasureMails().find((candidate) => candidate.text.includes('Am Schreibtisch'));
    expect(mail!.text).toContain('Kommentare entfernt: 1');
  });
});

describe('who may post the forms', () => {
  it('takes them from the page itself (a no-referrer page sends Origin: null), not from another site', async () => {
    const body = `email=${encodeURIComponent('jemand@example.net')}&lang=de`;
    const own = await form(body, '203.0.113.90', { origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(200);
    const foreign = await form(body, '203.0.113.91', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['content-type']).toContain('text/html');
  });
});

describe('the limits', () => {
  it('mails one address at most a few times a day, with the same answer beyond', async () => {
    const lena = 'lena.limit@example.de';
    await postComment({ email: lena, text: 'Lenas Kommentar.' });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await ask(lena, `203.0.113.${100 + i}`));
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.text}`)).size).toBe(1);
    await settle();
    expect(dataMails(lena)).toHaveLength(3);
  });

  it('limits one client across addresses', async () => {
    const addresses = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((x) => `client.${x}@example.de`);
    for (const address of addresses) await postComment({ email: address, text: 'Ein Kommentar.' });
    const answers = [];
    for (const address of addresses) answers.push(await ask(address, '203.0.113.250'));
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    await settle();
    const mailed = addresses.filter((address) => dataMails(address).length > 0);
    expect(mailed).toHaveLength(5);
  });

  it('sends her link in English when she asked in English', async () => {
    const mia = 'mia.english@example.org';
    await postComment({ email: mia, text: 'Mias comment.' });
    const response = await ask(mia, '203.0.113.77', 'en');
    expect(response.text).toContain('Check your inbox');
    await settle();
    const [mail] = dataMails(mia);
    expect(mail!.subject).toBe('Your data on Testblog');
    const page = await view(tokenOf(linkIn(mail!, 'See my data')));
    expect(page.headers['content-language']).toBe('en');
    expect(page.text).toContain('Mias comment.');
  });
});
