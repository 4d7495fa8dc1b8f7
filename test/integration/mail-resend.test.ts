/**
 * Mails that failed are resent without a terminal: the notifier's own sweep resends the kept ones
 * (a bounded number per run, one attempt each, never one twice), and the desk's settings page shows
 * them with "Resend now", whose request item's stream record makes the notifier resend. Local stack
 * with DynamoDB Local's real stream and the real notifier; SES stands in as the outbox transport,
 * failing through the transport seam.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import type { LocalStack } from '../../dev/local-stack';
import { listOutbox } from '../../dev/outbox';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { newId } from '../../functions/core/ids';
import { LIMITS } from '../../functions/core/limits';
import { handler } from '../../functions/notifier/handler';
import { DIGEST_SWEEP_EVENT } from '../../functions/notifier/sweep-event';
import { failingTransport, outboxTransport, useTransport } from '../../functions/notifier/transport';
import { config } from '../../functions/runtime/config';
import { documentClient } from '../../functions/runtime/dynamo';
import { linkKey } from '../../functions/runtime/keys';
import { keepFailedMail, listFailedMails } from '../../functions/store/failed-mails';
import { keys } from '../../functions/store/keys';
import { claimMail, releaseMail } from '../../functions/store/mail';
import { logInWithLink } from '../../functions/usecases/desk';
import { csrfIn, DESK_URL, deskGet, deskPost } from '../support/desk';
import { mailingStackPerFile, parseMail, postComment, waitForFiles } from '../support/outbox';

// Mails arrive through DynamoDB Local's stream, which lags by seconds at load 8 on two cores.
jest.setTimeout(180_000);
const current = mailingStackPerFile({ MODERATION: 'none', DESK_URL });
let stack: LocalStack;
beforeAll(() => {
  stack = current();
});

// The one replaced limit (below) is back after its test, whatever happened in it.
afterEach(() => jest.restoreAllMocks());

const sweep = () => handler(DIGEST_SWEEP_EVENT);

/** SES refusing every mail, as before the sender is verified; counts what it was handed. */
function failingMail() {
  const failing = failingTransport(outboxTransport(stack.outboxDir), Number.POSITIVE_INFINITY);
  useTransport(failing);
  return failing;
}

const workingMail = () => useTransport(outboxTransport(stack.outboxDir));

/** The mails in the outbox whose text mentions `text`. */
const mailsAbout = async (text: string) =>
  (
    await Promise.all(
      listOutbox(stack.outboxDir).map((name) => parseMail(readFileSync(join(stack.outboxDir, name)))),
    )
  ).filter((mail) => mail.text.includes(text));

/** Waits (a deadline against a hang, not a timing assertion) until the outbox holds a mail about `text`. */
async function waitForMailAbout(text: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while ((await mailsAbout(text)).length === 0) {
    if (Date.now() > deadline) throw new Error(`No mail about "${text}" arrived.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let failedRecords = 0;

/** Rita's comment, whose mail to the author fails after the stream's retries and is kept. */
async function commentWhoseMailFailed(text: string): Promise<string> {
  const posted = await postComment(stack, '/posts/resend', text);
  expect(posted.status).toBe(201);
  failedRecords++;
  // The stream poller gives up after its retries, as Lambda's event source mapping does.
  await waitForFiles(join(stack.dataDir, 'failed'), failedRecords, (name) => name.endsWith('.json'));
  return posted.id;
}

const keptMail = async (notificationId: string) =>
  (await listFailedMails()).find((mail) => mail.notificationId === notificationId);

describe('the notifier’s sweep', () => {
  it('tries a kept mail once per sweep while SES still refuses, and keeps it with its reason', async () => {
    const failing = failingMail();
    const id = await commentWhoseMailFailed('Diese Mail holt der Sweep nach.');
    const kept = await keptMail(`comment#${id}`);
    expect(kept).toMatchObject({ lastError: 'InjectedMailFailure' });

    const before = failing.attempts;
    await sweep();
    expect(failing.attempts - before).toBe(1);
    await sweep();
    expect(failing.attempts - before).toBe(2);
    expect(await keptMail(`comment#${id}`)).toMatchObject({
      attempts: kept!.attempts + 2,
      lastError: 'InjectedMailFailure',
    });
    expect(await mailsAbout('holt der Sweep nach')).toEqual([]);

    // SES works again: the next sweep sends it, and a second sweep sends nothing twice.
    workingMail();
    await sweep();
    await sweep();
    const mails = await mailsAbout('holt der Sweep nach');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toContain(process.env.AUTHOR_EMAIL);
    expect(await keptMail(`comment#${id}`)).toBeUndefined();
  });

  it('leaves a mail alone while another delivery holds its claim, then sends it once the claim is gone', async () => {
    failingMail();
    const id = await commentWhoseMailFailed('Diese Mail hat gerade jemand in der Hand.');
    // Another delivery claimed the author's mail for this comment (notifier/mails.ts) and still holds the lease.
    const claim = await claimMail(`${id}#author`, new Date(), LIMITS.notifier.claimLeaseSeconds);
    expect(claim.claimed).toBe(true);

    workingMail();
    await sweep();
    expect(await mailsAbout('gerade jemand in der Hand')).toEqual([]);
    // Still kept, and the reason she reads is still why it failed, not "someone else was sending".
    expect(await keptMail(`comment#${id}`)).toMatchObject({ lastError: 'InjectedMailFailure' });

    await releaseMail(`${id}#author`, (claim as { claimId: string }).claimId);
    await sweep();
    await sweep();
    expect(await mailsAbout('gerade jemand in der Hand')).toHaveLength(1);
    expect(await keptMail(`comment#${id}`)).toBeUndefined();
  });

  it(`tries at most ${LIMITS.notifier.resendPerSweep} mails per sweep, the longest untried first, each sent once`, async () => {
    workingMail();
    const posted = await postComment(stack, '/posts/resend', 'Vorlage für viele wartende Mails.');
    await waitForMailAbout('Vorlage für viele wartende Mails');
    const template = await documentClient().send(
      new GetCommand({ TableName: config().tableName, Key: keys.comment(posted.id) }),
    );
    // More kept mails than one sweep tries: comments like hers (sealed address and all), each kept
    // a second later than the one before.
    const total = LIMITS.notifier.resendPerSweep + 1;
    const start = Date.now() - total * 1000;
    const ids: string[] = [];
    for (let i = 0; i < total; i++) {
      const id = newId();
      ids.push(id);
      const image = { ...template.Item!, ...keys.comment(id), id, text: `Wartende Mail Nummer ${i}.` };
      await keepFailedMail(
        `comment#${id}`,
        { eventName: 'INSERT', NewImage: marshall(image) },
        'MessageRejected',
        new Date(start + i * 1000),
      );
    }
    const attemptsOf = async (id: string) => (await keptMail(`comment#${id}`))!.attempts;
    // Only the count bounds these sweeps: on a loaded machine the time bound (next test) could end one first.
    jest.replaceProperty(LIMITS.notifier as { resendSecondsPerSweep: number }, 'resendSecondsPerSweep', 600);

    const failing = failingMail();
    await sweep();
    expect(failing.attempts).toBe(LIMITS.notifier.resendPerSweep);
    // The one kept last waited; the next sweep takes it first.
    expect(await attemptsOf(ids.at(-1)!)).toBe(1);
    expect(await attemptsOf(ids[0]!)).toBe(2);
    await sweep();
    expect(failing.attempts).toBe(2 * LIMITS.notifier.resendPerSweep);
    expect(await attemptsOf(ids.at(-1)!)).toBe(2);

    workingMail();
    await sweep();
    await sweep();
    await sweep();
    const sent = (await mailsAbout('Wartende Mail Nummer ')).map(
      (mail) => /Nummer (\d+)\./.exec(mail.text)![1],
    );
    expect(sent.sort((a, b) => Number(a) - Number(b))).toEqual(ids.map((_id, i) => String(i)));
    expect(await listFailedMails()).toEqual([]);
  });

  it(`starts no mail after ${LIMITS.notifier.resendSecondsPerSweep} seconds of a sweep (a hanging SES)`, async () => {
    workingMail();
    const posted = await postComment(stack, '/posts/resend', 'Vorlage für ein hängendes SES.');
    await waitForMailAbout('Vorlage für ein hängendes SES');
    const template = await documentClient().send(
      new GetCommand({ TableName: config().tableName, Key: keys.comment(posted.id) }),
    );
    const ids = [newId(), newId(), newId()];
    for (const [i, id] of ids.entries()) {
      const image = { ...template.Item!, ...keys.comment(id), id, text: `Hängende Mail ${i}.` };
      await keepFailedMail(
        `comment#${id}`,
        { eventName: 'INSERT', NewImage: marshall(image) },
        'TimeoutError',
        new Date(Date.now() - (3 - i) * 1000),
      );
    }
    // SES takes the connection and answers the first mail only after the run's time is over.
    const budgetMs = LIMITS.notifier.resendSecondsPerSweep * 1000;
    let handed = 0;
    useTransport({
      async send() {
        handed++;
        const over = Date.now() + budgetMs + 500;
        while (Date.now() < over) await new Promise((resolve) => setTimeout(resolve, 100));
        const error = new Error('Service unavailable');
        error.name = 'ServiceUnavailable';
        throw error;
      },
    });
    await sweep();
    expect(handed).toBe(1);
    const kept = await listFailedMails();
    expect(kept.find((mail) => mail.notificationId === `comment#${ids[0]}`)).toMatchObject({ attempts: 2 });
    expect(kept.find((mail) => mail.notificationId === `comment#${ids[1]}`)).toMatchObject({ attempts: 1 });

    // The next sweep, with SES back, sends all three, once.
    workingMail();
    await sweep();
    await sweep();
    expect(await mailsAbout('Hängende Mail ')).toHaveLength(3);
    expect(await listFailedMails()).toEqual([]);
  });
});

describe('at her desk', () => {
  let session: string;
  let csrf: string;
  const settings = async (lang: 'de' | 'en') => deskGet(`/desk/settings?lang=${lang}`, session);
  const resendRequests = async () =>
    (
      await documentClient().send(
        new ScanCommand({
          TableName: config().tableName,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': 'MAILRESEND#' },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  beforeAll(async () => {
    const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
    if (!login.ok) throw new Error('no session');
    session = login.sessionId;
    csrf = csrfIn((await settings('de')).text);
  });

  it('says when no mail is waiting, and offers no button', async () => {
    expect(await listFailedMails()).toEqual([]);
    const page = await settings('de');
    expect(page.text).toContain('Keine Mail wartet: alles ist gesendet.');
    expect(page.text).not.toContain('Jetzt erneut senden');
  });

  it('shows the waiting mails in German and English, and "Resend now" brings them into the outbox', async () => {
    failingMail();
    await commentWhoseMailFailed('Diese Mail schickt der Knopf am Schreibtisch.');

    const de = await settings('de');
    expect(de.status).toBe(200);
    expect(de.text).toContain('1 Mail wartet darauf, erneut gesendet zu werden.');
    expect(de.text).toContain('Die älteste wartet seit');
    expect(de.text).toContain('Zuletzt gescheitert, weil: Ein anderer Fehler.');
    expect(de.text).toContain('<code>InjectedMailFailure</code>');
    expect(de.text).toContain('Jetzt erneut senden');
    // The kept record is never read for the page: no address, sealed or plain.
    expect(de.text).not.toContain('rita@example.org');
    const en = await settings('en');
    expect(en.text).toContain('1 mail is waiting to be resent.');
    expect(en.text).toContain('The oldest has been waiting for');
    expect(en.text).toContain('Resend now');

    workingMail();
    const pressed = await deskPost('/desk/settings', { csrf, do: 'resend-mails' }, session);
    expect(pressed.status).toBe(303);
    expect(pressed.headers.location).toBe('/desk/settings?done=resend#waiting-mails');
    expect(await resendRequests()).toHaveLength(1);
    const notice = await deskGet('/desk/settings?done=resend&lang=de', session);
    expect(notice.text).toContain('Die Mails werden erneut gesendet');
    expect((await deskGet('/desk/settings?done=resend&lang=en', session)).text).toContain(
      'The mails are being resent',
    );

    // The notifier answers the request item's stream record; no sweep is involved.
    await waitForMailAbout('schickt der Knopf am Schreibtisch');
    expect(await mailsAbout('schickt der Knopf am Schreibtisch')).toHaveLength(1);
    const deadline = Date.now() + 60_000;
    while ((await listFailedMails()).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await settings('de')).text).toContain('Keine Mail wartet');
  });

  it('makes one request of several presses within a minute', async () => {
    const windowNow = () => Math.floor(Date.now() / 1000 / LIMITS.notifier.resendRequestWindowSeconds);
    const windows = new Set((await resendRequests()).map((item) => item.pk));
    for (let press = 0; press < 3; press++) {
      const before = windowNow();
      const answer = await deskPost('/desk/settings', { csrf, do: 'resend-mails' }, session);
      expect(answer.status).toBe(303);
      windows.add(keys.mailResendRequest(before).pk);
      windows.add(keys.mailResendRequest(windowNow()).pk);
    }
    // One item per window a press fell into (two only when the presses straddled a window's end).
    const requests = await resendRequests();
    expect(requests.length).toBeLessThanOrEqual(windows.size);
    expect(requests.map((item) => item.pk).every((pk) => windows.has(pk))).toBe(true);
  });

  it('answers an unknown action with the settings page naming the field, and stores nothing', async () => {
    const before = await resendRequests();
    await deskPost('/desk/settings', { csrf, authorLabel: 'Die Autorin' }, session);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 60 }).filter((value) => value !== 'resend-mails'),
        async (action) => {
          const answer = await deskPost('/desk/settings', { csrf, do: action }, session);
          expect(answer.status).toBe(400);
          expect(answer.headers['content-type']).toMatch(/^text\/html/);
          expect(answer.text).toContain('Diese Aktion kennt der Schreibtisch nicht.');
          expect(answer.text).toContain('<code>do</code>');
        },
      ),
      { numRuns: 25 },
    );
    expect(await resendRequests()).toEqual(before);
    // Her label is untouched (a form with an unknown action saves nothing).
    expect((await settings('de')).text).toContain('value="Die Autorin"');
  });

  it('refuses a forged or missing form token, a foreign origin and a missing session, storing nothing', async () => {
    const before = await resendRequests();
    const forged = await deskPost(
      '/desk/settings',
      { csrf: `${csrf.slice(0, -2)}AA`, do: 'resend-mails' },
      session,
    );
    expect(forged.status).toBe(403);
    expect(forged.headers['content-type']).toMatch(/^text\/html/);
    expect(forged.text).toContain('Das Formular ist veraltet.');
    const missing = await deskPost('/desk/settings', { do: 'resend-mails' }, session);
    expect(missing.status).toBe(403);
    const foreign = await deskPost('/desk/settings', { csrf, do: 'resend-mails' }, session, {
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('Das Formular kam nicht von deinem Schreibtisch.');
    const anonymous = await deskPost('/desk/settings', { csrf, do: 'resend-mails' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/desk/login');
    expect(await resendRequests()).toEqual(before);
  });
});
