/**
 * The whole way of a wish through the real stream: DynamoDB Local's stream → the notifier → the
 * outbox. Marking a wish written (even several times) sends the wisher exactly one mail.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StreamPoller, startStreamPoller } from '../../dev/stream-poller';
import { issueToken } from '../../functions/core/tokens';
import { useTransport } from '../../functions/notifier/transport';
import { linkKey } from '../../functions/runtime/keys';
import { followConfirmLink } from '../../functions/usecases/confirmations';
import { applyWishAction } from '../../functions/usecases/wishes';
import { createTestStack, type TestStack } from '../support/stack';
import { validWish, wishApi } from '../support/wishes';

const dir = mkdtempSync(join(tmpdir(), 'leserpost-wishes-mail-'));
const outboxDir = join(dir, 'outbox');
let poller: StreamPoller;
let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack({ MAIL_TRANSPORT: 'outbox', OUTBOX_DIR: outboxDir });
  useTransport(undefined);
  poller = await startStreamPoller({
    endpoint: stack.endpoint,
    tableName: stack.tableName,
    startAt: 'TRIM_HORIZON',
    failureDir: join(dir, 'failed'),
    pollIntervalMs: 50,
  });
});

afterAll(async () => {
  await poller?.stop();
});

/** The outbox's mails as text, quoted-printable undone so links can be searched. */
function mails(): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(outboxDir).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
  return names.map((name) =>
    readFileSync(join(outboxDir, name), 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  );
}

/** Polls until the condition holds; DynamoDB Local's stream can lag by seconds on a busy machine. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let round = 0; round < 1000 && !condition(); round++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the wisher’s mail', () => {
  it('goes out once when the wish is written, only if she asked for it', async () => {
    const wisher = validWish({ email: 'wisher.written@example.org', notifyWhenWritten: true });
    const quiet = validWish({ email: 'quiet.reader@example.org', notifyWhenWritten: false });
    const id = (await wishApi.post(wisher)).body.wish.id;
    const quietId = (await wishApi.post(quiet)).body.wish.id;
    // Double opt-in: she confirms her address through the link of the confirmation mail.
    const request = (await stack.dump()).find((item) => item.kind === 'confirmation-request');
    const token = issueToken(
      { kind: 'reader', action: 'confirm', target: String(request?.id) },
      await linkKey('reader'),
      new Date(),
    );
    expect((await followConfirmLink(token, new Date())).state).toBe('done');
    await applyWishAction(id, 'accept', {}, new Date());
    await applyWishAction(quietId, 'accept', {}, new Date());

    const articleUrl = 'https://blog.example/2026/11/tag-27-die-schwierigste-kundin';
    const clicks = await Promise.all(
      [1, 2, 3].map(() => applyWishAction(id, 'written', { articleUrl }, new Date())),
    );
    expect(clicks.map((c) => c.outcome).sort()).toEqual(['already', 'already', 'done']);
    expect((await applyWishAction(id, 'written', { articleUrl }, new Date())).outcome).toBe('already');
    await applyWishAction(quietId, 'written', { articleUrl: 'https://blog.example/leise' }, new Date());

    // A last wish as a marker: once its author mail is out, the stream before it has been handled.
    const marker = (await wishApi.post(validWish({ topic: 'Markierung am Ende des Streams' }))).body.wish.id;
    await waitFor(() => mails().some((mail) => mail.includes(marker)));
    expect(mails().some((mail) => mail.includes(marker))).toBe(true);

    // Besides the one confirmation mail (double opt-in) that ticking the box asks for.
    const toWisher = mails().filter(
      (mail) => /^To: .*wisher\.written@example\.org/im.test(mail) && !mail.includes('readers/confirm'),
    );
    expect(toWisher).toHaveLength(1);
    expect(toWisher[0]).toContain(articleUrl);
    expect(mails().filter((mail) => /^To: .*quiet\.reader@example\.org/im.test(mail))).toHaveLength(0);
  }, 90_000);
});
