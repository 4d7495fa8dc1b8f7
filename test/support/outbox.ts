/** Helpers for tests that read mail: wait for the outbox, capture what a transport sends. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddressObject, simpleParser } from 'mailparser';
import { type LocalStack, startLocalStack } from '../../dev/local-stack';
import { listOutbox } from '../../dev/outbox';
import type { BuiltMail } from '../../functions/core/mail/mime';
import { type MailTransport, useTransport } from '../../functions/notifier/transport';

/** A mail as a test reads it: decoded by mailparser, not by the outbox page's own decoder. */
export interface ReadMail {
  /** Every header, lower-case name → its decoded text (addresses as mailparser writes them). */
  headers: Record<string, string>;
  subject: string;
  from: string;
  to: string;
  date: string;
  text: string;
  html: string;
}

const addressText = (value: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []).map((address) => address.text).join(', ');

/** Parses a raw message (an `.eml` file, a captured send) with mailparser's simpleParser. */
export async function parseMail(raw: Buffer | string): Promise<ReadMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const headers: Record<string, string> = {};
  for (const [name, value] of parsed.headers) {
    if (typeof value === 'string') headers[name] = value;
    else if (value instanceof Date) headers[name] = value.toUTCString();
    else if (value && typeof value === 'object' && 'text' in value) headers[name] = String(value.text);
    else if (value && typeof value === 'object' && 'value' in value) headers[name] = String(value.value);
  }
  return {
    headers,
    subject: parsed.subject ?? '',
    from: addressText(parsed.from),
    to: addressText(parsed.to),
    date: headers.date ?? '',
    text: (parsed.text ?? '').replace(/\r\n/g, '\n').replace(/\n$/, ''),
    html: parsed.html || '',
  };
}

/**
 * Waits until `count` files are in a folder. The deadline only bounds a hanging test; it is not a
 * timing assertion (the stream poller delivers asynchronously).
 */
export async function waitForFiles(
  dir: string,
  count: number,
  filter: (name: string) => boolean = () => true,
  deadlineMs = 60_000,
): Promise<string[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const files = existsSync(dir) ? readdirSync(dir).filter(filter).sort() : [];
    if (files.length >= count) return files;
    if (Date.now() > deadline) throw new Error(`Expected ${count} files in ${dir}, found ${files.length}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for the outbox to hold `count` mails; returns them, oldest first. */
export async function waitForMails(outboxDir: string, count: number): Promise<ReadMail[]> {
  await waitForFiles(outboxDir, count, (name) => name.endsWith('.eml'));
  return Promise.all(
    listOutbox(outboxDir)
      .reverse()
      .map((name) => parseMail(readFileSync(join(outboxDir, name)))),
  );
}

/** The URL behind a labelled link in the text part ("Freigeben: https://…"). */
export function linkIn(mail: ReadMail, label: string): string {
  const line = mail.text.split('\n').find((candidate) => candidate.startsWith(`${label}: `));
  if (!line) throw new Error(`No "${label}" link in:\n${mail.text}`);
  return line.slice(label.length + 2).trim();
}

/** A transport that keeps every mail in memory. */
export function capturingTransport(): MailTransport & { sent: BuiltMail[] } {
  const sent: BuiltMail[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
      return `captured-${sent.length}`;
    },
  };
}

/** The mails of a test file's handlers, kept in memory instead of sent, emptied before each test. */
export function useCapturedMails(): MailTransport & { sent: BuiltMail[] } {
  const mails = capturingTransport();
  beforeAll(() => useTransport(mails));
  afterAll(() => useTransport(undefined));
  beforeEach(() => {
    mails.sent.length = 0;
  });
  return mails;
}

/** The header block of a raw message, unfolded, one header per entry. */
export function headerLines(raw: Buffer): string[] {
  const text = raw.toString('utf8').replace(/\r\n/g, '\n');
  return text
    .slice(0, text.indexOf('\n\n'))
    .replace(/\n[ \t]+/g, ' ')
    .split('\n');
}

/**
 * The local stack in this run's DynamoDB Local, with a fresh table, a temporary data folder and
 * the stream poller reading from the start of the stream, so every mail of the test arrives.
 */
export function startMailingStack(env: Record<string, string>): Promise<LocalStack> {
  return startLocalStack({
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'leserpost-mail-')),
    dynamoEndpoint: process.env.DYNAMODB_ENDPOINT,
    tableName: `mail-${randomBytes(4).toString('hex')}`,
    notifier: 'TRIM_HORIZON',
    env: { BROWSER_GUARDS: 'off', RATE_LIMIT_SCALE: '1000', ...env },
  });
}

export async function stopMailingStack(stack: LocalStack | undefined): Promise<void> {
  if (!stack) return;
  await stack.stop();
  rmSync(stack.dataDir, { recursive: true, force: true });
}

/** One mailing stack for a whole test file: started before its tests, stopped (transport restored) after. */
export function mailingStackPerFile(env: Record<string, string>): () => LocalStack {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startMailingStack(env);
  }, 120_000);
  afterAll(async () => {
    useTransport(undefined);
    await stopMailingStack(stack);
  });
  return () => stack!;
}

/** Rita comments on a page of the stack's blog; returns the HTTP status and the comment's id. */
export async function postComment(
  stack: LocalStack,
  page: string,
  text: string,
): Promise<{ status: number; id: string }> {
  const response = await fetch(`${stack.apiUrl}/comments`, {
    method: 'POST',
    headers: { origin: stack.url, 'content-type': 'application/json' },
    body: JSON.stringify({ page, name: 'Rita', email: 'rita@example.org', text, consent: true }),
  });
  return { status: response.status, id: (await response.json()).comment.id };
}
