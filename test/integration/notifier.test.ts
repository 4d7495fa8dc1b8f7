/**
 * The notifier handler with stream records: the real shared fixtures (foreign item shapes) are
 * skipped without failures; our items become mails that resist header injection; a record that
 * arrives twice mails once; a failed send is a batchItemFailure that leaves the claim free.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { newId } from '../../functions/core/ids';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as notifier } from '../../functions/notifier/handler';
import { failingTransport, transport, useTransport } from '../../functions/notifier/transport';
import { sealEmail } from '../../functions/runtime/email-keys';
import { lookupHashOf } from '../../functions/runtime/keys';
import { type ConfirmationRequest, confirmAddress } from '../../functions/store/confirmations';
import { capturingTransport, headerLines, parseMail } from '../support/outbox';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';
import { validWish, wishApi } from '../support/wishes';

const FIXTURES = join(__dirname, '../../../shared/fixtures/apigw');

let stack: TestStack;
let outbox: ReturnType<typeof capturingTransport>;

beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'all' });
});
beforeEach(() => {
  outbox = capturingTransport();
  useTransport(outbox);
});
afterAll(() => useTransport(undefined));

let sequence = 1000;
/** A stream record as Lambda delivers it, for an item as the table holds it. */
function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  newItem: Record<string, unknown> | undefined,
  oldItem?: Record<string, unknown>,
): DynamoDBRecord {
  const options = { removeUndefinedValues: true, convertClassInstanceToMap: true };
  return {
    eventID: `e${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-central-1',
    eventSourceARN: `arn:aws:dynamodb:eu-central-1:123456789012:table/${stack.tableName}/stream/2026-11-01T00:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: 1.7640000001e9,
      SequenceNumber: String(sequence++),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ...(newItem ? { NewImage: marshall(newItem, options) as never } : {}),
      ...(oldItem ? { OldImage: marshall(oldItem, options) as never } : {}),
    },
  };
}

/** Double opt-in done: her address is confirmed (as the link in her confirmation mail does). */
const confirmed = async (email: string) =>
  confirmAddress({ id: newId(), emailHash: await lookupHashOf(email) } as ConfirmationRequest, new Date());

const event = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const stored = async (pk: string) => (await stack.dump()).find((item) => item.pk === pk)!;

async function storedComment(overrides: Record<string, unknown> = {}) {
  const response = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: '/posts/notifier', ...overrides }),
  });
  expect(response.status).toBe(201);
  return stored(`COMMENT#${response.body.comment.id}`);
}

/** A comment item that bypassed validation (an old version, an import, a bug). */
async function hostileComment(fields: Record<string, unknown>) {
  return {
    pk: `COMMENT#${newId()}`,
    sk: 'COMMENT',
    kind: 'comment',
    id: newId(),
    page: '/posts/evil',
    parentId: null,
    name: 'Eve',
    text: 'Hallo',
    status: 'pending',
    createdAt: new Date().toISOString(),
    emailEnc: await sealEmail('eve@example.org'),
    emailHash: 'x',
    lang: 'de',
    ...fields,
  };
}

describe('the real stream fixtures', () => {
  it.each(readdirSync(FIXTURES).filter((name) => name.startsWith('ddb-stream-')))(
    '%s: unknown item shapes are skipped, not failed, and mail nobody',
    async (name) => {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as DynamoDBStreamEvent;
      expect(fixture.Records.length).toBeGreaterThan(0);
      await expect(notifier(fixture)).resolves.toEqual({ batchItemFailures: [] });
      expect(outbox.sent).toHaveLength(0);
    },
  );

  it('copes with an empty or odd event', async () => {
    await expect(notifier({ Records: [] })).resolves.toEqual({ batchItemFailures: [] });
    await expect(notifier({} as DynamoDBStreamEvent)).resolves.toEqual({ batchItemFailures: [] });
    const odd = record('INSERT', undefined);
    (odd.dynamodb as Record<string, unknown>).NewImage = { id: { Q: 'nonsense' } };
    await expect(notifier(event(odd))).resolves.toEqual({ batchItemFailures: [] });
  });
});

describe('a new comment', () => {
  it('mails the author once, even when the record is delivered again', async () => {
    const item = await storedComment({ name: 'Anna', email: 'anna.once@example.org' });
    const insert = record('INSERT', item);
    expect(await notifier(event(insert))).toEqual({ batchItemFailures: [] });
    expect(await notifier(event(insert))).toEqual({ batchItemFailures: [] });
    expect(outbox.sent).toHaveLength(1);
    const mail = await parseMail(outbox.sent[0]!.raw);
    expect(mail.to).toBe('autorin@blog.example');
    expect(mail.from).toContain('leserpost@blog.example');
    expect(mail.text).toContain('anna.once@example.org');
    expect(mail.text).toMatch(/Freigeben: https:\/\/api\.blog\.example\/moderate\?t=comment\.approve\./);
    // Votes, counters, markers and the comment's later changes are not news.
    await notifier(
      event(record('MODIFY', { ...item, status: 'approved' }, item), record('REMOVE', undefined, item)),
    );
    expect(outbox.sent).toHaveLength(1);
  });

  it('links the page only on an allowed origin, and explains why it was held', async () => {
    const item = await hostileComment({
      pageUrl: 'https://evil.example/phish',
      pageTitle: 'Bitte Passwort eingeben',
      holdReasons: ['many_links', 'brand_new_reason'],
    });
    await notifier(event(record('INSERT', item)));
    const mail = await parseMail(outbox.sent[0]!.raw);
    expect(mail.html).not.toContain('evil.example');
    expect(mail.text).not.toContain('evil.example');
    expect(mail.text).toContain('Zurückgehalten, weil: viele Links, brand_new_reason');

    const good = await hostileComment({ pageUrl: 'https://blog.example/posts/evil' });
    await notifier(event(record('INSERT', good)));
    // The link goes to the comment itself (its permalink on the post).
    expect((await parseMail(outbox.sent[1]!.raw)).html).toContain(
      `<a href="https://blog.example/posts/evil#kommentar-${String(good.id)}">`,
    );
  });

  it('keeps CR/LF in name, website and page title out of the headers', async () => {
    const attack = 'X\r\nBcc: victim@example.org\r\nX-Injected: yes';
    const item = await hostileComment({
      name: `Eve${attack}`,
      website: `https://eve.example/${attack}`,
      pageTitle: `Titel\nSubject: Gewonnen!${attack}\u2028Reply-To: evil@example.org`,
    });
    await notifier(event(record('INSERT', item)));
    const raw = outbox.sent[0]!.raw;
    const headers = headerLines(raw);
    const names = headers.map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
    expect(names).not.toContain('bcc');
    expect(names).not.toContain('x-injected');
    expect(names.filter((name) => name === 'subject')).toHaveLength(1);
    expect(names.filter((name) => name === 'reply-to')).toHaveLength(1);
    const mail = await parseMail(raw);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toContain('Eve');
    expect(mail.headers['reply-to']).toContain('eve@example.org');
    expect(mail.headers['reply-to']).not.toContain('evil@example.org');
    expect(mail.to).toBe('autorin@blog.example');
  });

  it('is refused at the API already when a header field holds a line break', async () => {
    for (const field of [
      { name: 'A\r\nBcc: x@y.z' },
      { pageTitle: 'T\nBcc: x@y.z' },
      { website: 'https://a.example/\r\nX: y' },
    ]) {
      const response = await call(comments, {
        method: 'POST',
        path: '/comments',
        json: validComment(field),
      });
      expect(response.status).toBe(400);
    }
  });

  it('fails the record when the send fails, and the retry sends it', async () => {
    const item = await storedComment({ email: 'retry@example.org' });
    const insert = record('INSERT', item);
    const flaky = failingTransport(outbox, 1);
    useTransport(flaky);
    expect(await notifier(event(insert))).toEqual({
      batchItemFailures: [{ itemIdentifier: insert.dynamodb!.SequenceNumber }],
    });
    expect(outbox.sent).toHaveLength(0);
    // The comment is untouched by the failed mail.
    expect((await stored(item.pk as string)).status).toBe('pending');
    expect(await notifier(event(insert))).toEqual({ batchItemFailures: [] });
    expect(flaky.attempts).toBe(2);
    expect(outbox.sent).toHaveLength(1);
  });

  it('does not send while another delivery holds the claim, but reports the record for a retry', async () => {
    const item = await storedComment();
    const insert = record('INSERT', item);
    let release: () => void = () => {};
    const slow = {
      async send() {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return 'slow';
      },
    };
    useTransport(slow);
    const first = notifier(event(insert));
    while ((await stack.dump()).every((entry) => entry.pk !== `MAIL#${item.id}#author`)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    useTransport(outbox);
    const second = await notifier(event(insert));
    expect(second.batchItemFailures).toHaveLength(1);
    release();
    expect((await first).batchItemFailures).toHaveLength(0);
    expect(outbox.sent).toHaveLength(0);
    expect(await notifier(event(insert))).toEqual({ batchItemFailures: [] });
    expect(outbox.sent).toHaveLength(0);
  });
});

describe('wishes', () => {
  async function storedWish(overrides: Record<string, unknown> = {}) {
    const response = await wishApi.post(validWish(overrides));
    expect(response.status).toBe(201);
    return stored(`WISH#${response.body.wish.id}`);
  }

  it('a new wish mails the author with accept, decline, spam, plan and written links', async () => {
    const item = await storedWish({ topic: 'Preise <erhöhen> ohne Angst', email: 'wunsch@example.org' });
    await notifier(event(record('INSERT', item)));
    const mail = await parseMail(outbox.sent[0]!.raw);
    expect(mail.subject).toBe('Neuer Themenwunsch von Coach Miriam: „Preise <erhöhen> ohne Angst“');
    expect(mail.html).toContain('Preise &lt;erhöhen&gt; ohne Angst');
    expect(mail.text).toContain('wunsch@example.org');
    for (const action of ['accept', 'decline', 'spam', 'plan', 'written']) {
      expect(mail.text).toContain(`/moderate?t=wish.${action}.${item.id}.`);
    }
  });

  it('a wish without a name says "Jemand" and has no empty Name row', async () => {
    const item = await storedWish({ topic: 'Ohne Namen', displayName: undefined, showName: false });
    delete item.requesterName;
    delete item.publicName;
    await notifier(event(record('INSERT', item)));
    const mail = await parseMail(outbox.sent.at(-1)!.raw);
    expect(mail.subject).toBe('Neuer Themenwunsch von Jemand: „Ohne Namen“');
    expect(mail.text).toContain('Jemand wünscht sich ein Thema:');
    expect(mail.text).not.toMatch(/^Name: *$/m);
    expect(mail.subject).not.toContain('von :');
  });

  it('a wish that becomes written mails the wisher exactly once, with the article link', async () => {
    const item = await storedWish({ email: 'wisher.once@example.org', notifyWhenWritten: true });
    await confirmed('wisher.once@example.org');
    const accepted = { ...item, status: 'accepted' };
    const written = {
      ...accepted,
      status: 'written',
      articleUrl: 'https://blog.example/2026/11/tag-27',
      articlePage: '/2026/11/tag-27',
      writtenAt: new Date().toISOString(),
    };
    const transition = record('MODIFY', written, accepted);
    await notifier(event(record('MODIFY', accepted, item)));
    expect(outbox.sent).toHaveLength(0);
    expect(await notifier(event(transition))).toEqual({ batchItemFailures: [] });
    // Delivered again (a retry of the batch) and a later edit of the written wish: no second mail.
    await notifier(event(transition, record('MODIFY', { ...written, votes: 3 }, written)));
    expect(outbox.sent).toHaveLength(1);
    const mail = await parseMail(outbox.sent[0]!.raw);
    expect(mail.to).toBe('wisher.once@example.org');
    expect(mail.subject).toContain('Dein Themenwunsch ist erschienen');
    expect(mail.text).toContain('https://blog.example/2026/11/tag-27');
    expect(mail.html).toContain('<a href="https://blog.example/2026/11/tag-27">');
    expect((await stored(`MAIL#${item.id}#written`)).state).toBe('sent');
  });

  it('nobody is mailed about a written wish without the opt-in', async () => {
    const item = await storedWish({ notifyWhenWritten: false });
    const written = { ...item, status: 'written', articleUrl: 'https://blog.example/x' };
    await notifier(event(record('MODIFY', written, { ...item, status: 'planned' })));
    expect(outbox.sent).toHaveLength(0);
  });

  it('writes to the wisher in her language', async () => {
    const item = await storedWish({ email: 'reader.en@example.org' });
    await confirmed('reader.en@example.org');
    const written = { ...item, lang: 'en', status: 'written', articleUrl: 'https://blog.example/en/post' };
    await notifier(event(record('MODIFY', written, { ...item, status: 'accepted' })));
    expect((await parseMail(outbox.sent[0]!.raw)).subject).toContain('Your topic wish is out');
  });
});

describe('the configured transport', () => {
  it('writes .eml files into OUTBOX_DIR, and MAIL_FAIL_TIMES makes the first sends fail', async () => {
    const outboxDir = mkdtempSync(join(tmpdir(), 'leserpost-transport-'));
    Object.assign(process.env, { MAIL_TRANSPORT: 'outbox', OUTBOX_DIR: outboxDir, MAIL_FAIL_TIMES: '1' });
    try {
      useTransport(undefined);
      const item = await storedComment();
      const insert = record('INSERT', item);
      expect((await notifier(event(insert))).batchItemFailures).toHaveLength(1);
      expect(readdirSync(outboxDir)).toHaveLength(0);
      expect(await notifier(event(insert))).toEqual({ batchItemFailures: [] });
      const files = readdirSync(outboxDir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-[0-9a-f]+\.eml$/);
      expect((await parseMail(readFileSync(join(outboxDir, files[0]!)))).text).toContain(String(item.id));
      expect(transport()).toBe(transport());
    } finally {
      delete process.env.MAIL_FAIL_TIMES;
      delete process.env.MAIL_TRANSPORT;
      delete process.env.OUTBOX_DIR;
      useTransport(undefined);
      rmSync(outboxDir, { recursive: true, force: true });
    }
  });
});
