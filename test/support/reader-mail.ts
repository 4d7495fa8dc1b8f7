/**
 * For tests of mail to readers: a fresh table whose real stream the local poller feeds to the
 * notifier, mail landing in a temporary outbox, and ways to find a reader's mails and links.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type ReadMail, readEml } from '../../dev/outbox';
import { type StreamPoller, startStreamPoller } from '../../dev/stream-poller';
import { handler as readers } from '../../functions/handlers/readers';
import { handler as notifier } from '../../functions/notifier/handler';
import { useTransport } from '../../functions/notifier/transport';
import { linkIn } from './outbox';
import { call, createTestStack, type TestStack } from './stack';

export interface MailTestStack extends TestStack {
  outboxDir: string;
  /** Every mail in the outbox, oldest first. */
  mails: () => ReadMail[];
  /** The mails to one address (compared case-insensitively). */
  mailsTo: (address: string) => ReadMail[];
  stop: () => Promise<void>;
}

export async function startReaderMailStack(env: Record<string, string> = {}): Promise<MailTestStack> {
  const dir = mkdtempSync(join(tmpdir(), 'leserpost-reader-mail-'));
  const outboxDir = join(dir, 'outbox');
  const stack = await createTestStack({ MAIL_TRANSPORT: 'outbox', OUTBOX_DIR: outboxDir, ...env });
  useTransport(undefined);
  const poller: StreamPoller = await startStreamPoller({
    endpoint: stack.endpoint,
    tableName: stack.tableName,
    startAt: 'TRIM_HORIZON',
    failureDir: join(dir, 'failed'),
    pollIntervalMs: 50,
  });
  const mails = () => {
    let names: string[] = [];
    try {
      names = readdirSync(outboxDir).filter((name) => name.endsWith('.eml'));
    } catch {
      return [];
    }
    return names.sort().map((name) => readEml(readFileSync(join(outboxDir, name))));
  };
  return {
    ...stack,
    outboxDir,
    mails,
    mailsTo: (address) => mails().filter((mail) => mail.to.toLowerCase().includes(address.toLowerCase())),
    stop: async () => {
      await poller.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls until the condition holds; the bound only ends a hanging test (DynamoDB Local's stream can
 * lag by seconds on a busy machine), it is no timing assertion.
 */
export async function eventually(condition: () => boolean): Promise<void> {
  // A deadline, not a count of rounds: on a machine at load 8 each round takes far longer than 50 ms.
  for (const deadline = Date.now() + 60_000; !condition() && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The token of a link to an API page (`…/readers/confirm?t=…`). */
export function tokenOf(url: string): string {
  return new URL(url).searchParams.get('t') ?? '';
}

let marks = 0;

/**
 * Waits until every stream record written so far is handled: a comment posted now sends the
 * author a mail, and the stream delivers in order.
 */
export async function settle(
  stack: MailTestStack,
  post: (json: Record<string, unknown>, sourceIp: string) => Promise<unknown>,
): Promise<void> {
  const text = `Markierung ${++marks} am Ende des Streams`;
  await post({ text, email: 'markierung@example.org' }, '198.51.100.99');
  await eventually(() => stack.mails().some((mail) => mail.text.includes(text)));
}

/** A form POST to a reader page of the API (confirm, unsubscribe), as her browser sends it. */
export const readerPost = (path: string, body: string, query = '') =>
  call(readers, {
    method: 'POST',
    path,
    rawQueryString: query,
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

/** Follows the link of her confirmation mail, as she would: open the page, press the button. */
export async function confirmByMail(
  stack: MailTestStack,
  settled: () => Promise<void>,
  address: string,
): Promise<void> {
  await settled();
  const mail = stack.mailsTo(address).find((candidate) => /bestätige/.test(candidate.subject));
  if (!mail) throw new Error(`no confirmation mail to ${address}`);
  const token = tokenOf(linkIn(mail, 'Adresse bestätigen'));
  const response = await readerPost('/readers/confirm', `t=${encodeURIComponent(token)}`);
  if (response.status !== 200) throw new Error(`confirming failed: ${response.status}`);
}

let redeliveries = 0;

/**
 * The stream delivers a record again, twice in one batch (Lambda retries records): the item as it
 * is now, after `oldImage` (a MODIFY) or new (an INSERT). Returns the batch's failures.
 */
export async function redeliver(
  item: Record<string, unknown>,
  oldImage?: Record<string, unknown>,
): Promise<unknown[]> {
  const image = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true });
  const record = {
    eventName: oldImage ? 'MODIFY' : 'INSERT',
    eventID: `again-${++redeliveries}`,
    dynamodb: {
      ...(oldImage ? { OldImage: image(oldImage) } : {}),
      NewImage: image(item),
      SequenceNumber: String(900 + redeliveries),
    },
  };
  return (await notifier({ Records: [record, record] } as never)).batchItemFailures;
}

/** What a test file of reader mail works with: its stack's outbox and table, and the stream's end. */
export interface ReaderMailSuite {
  mails: () => ReadMail[];
  mailsTo: (address: string) => ReadMail[];
  dump: () => Promise<Record<string, unknown>[]>;
  /** Waits until every stream record written so far is handled (see settle()). */
  settle: () => Promise<void>;
  /** Confirms her address through the link of her confirmation mail. */
  confirm: (address: string) => Promise<void>;
}

/**
 * A reader-mail stack for the test file that calls this: started before its tests and stopped
 * after them. `post` writes the stream's end mark (see settle()): a comment, or a wish whose
 * author mail names the text.
 */
export function readerMailSuite(
  post: (json: Record<string, unknown>, sourceIp: string) => Promise<unknown>,
  env: Record<string, string> = {},
): ReaderMailSuite {
  let started: MailTestStack | undefined;
  beforeAll(async () => {
    started = await startReaderMailStack(env);
  });
  afterAll(() => started?.stop());
  const running = () => {
    if (!started) throw new Error('The reader-mail stack did not start (see beforeAll).');
    return started;
  };
  const suite: ReaderMailSuite = {
    mails: () => running().mails(),
    mailsTo: (address) => running().mailsTo(address),
    dump: () => running().dump(),
    settle: () => settle(running(), post),
    confirm: (address) => confirmByMail(running(), suite.settle, address),
  };
  return suite;
}
