/**
 * Mails that failed are not lost with the stream's 24 hours: the notifier keeps each one in the
 * table (sealed addresses only) until it goes out, and mail-retry hands them to the same notifier
 * again. Local stack with DynamoDB Local's real stream; SES stands in as the outbox transport.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type LocalStack, notifierEnvironment } from '../../dev/local-stack';
import { listOutbox } from '../../dev/outbox';
import { LIMITS } from '../../functions/core/limits';
import { handler } from '../../functions/notifier/handler';
import { retryFailedMails } from '../../functions/notifier/retry';
import { failingTransport, outboxTransport, useTransport } from '../../functions/notifier/transport';
import { config } from '../../functions/runtime/config';
import { documentClient } from '../../functions/runtime/dynamo';
import { keepFailedMail, listFailedMails } from '../../functions/store/failed-mails';
import { keys } from '../../functions/store/keys';
import { mailingStackPerFile, parseMail, postComment, waitForFiles } from '../support/outbox';

const ROOT = join(__dirname, '..', '..');
const execFileAsync = promisify(execFile);

// Mails arrive through DynamoDB Local's stream, which lags by seconds at load 8 on two cores.
jest.setTimeout(120_000);
const current = mailingStackPerFile({ MODERATION: 'none' });
let stack: LocalStack;
beforeAll(() => {
  stack = current();
});

async function postRetryComment(text: string): Promise<string> {
  const posted = await postComment(stack, '/posts/retry', text);
  expect(posted.status).toBe(201);
  return posted.id;
}

/** The mails in the outbox whose text mentions `text`. */
const mailsAbout = async (text: string) =>
  (
    await Promise.all(
      listOutbox(stack.outboxDir).map((name) => parseMail(readFileSync(join(stack.outboxDir, name)))),
    )
  ).filter((mail) => mail.text.includes(text));

describe('a mail that failed after every retry', () => {
  let id: string;

  beforeAll(async () => {
    useTransport(failingTransport(outboxTransport(stack.outboxDir), Number.POSITIVE_INFINITY));
    id = await postRetryComment('Diese Mail wartet auf SES.');
    // The stream poller gives up after its retries, as Lambda's event source mapping does.
    await waitForFiles(join(stack.dataDir, 'failed'), 1, (name) => name.endsWith('.json'));
  }, 120_000);

  it('is kept in the table with its record, the attempts and the reason, no plaintext address', async () => {
    const [failed, ...others] = await listFailedMails();
    expect(others).toEqual([]);
    expect(failed).toMatchObject({
      notificationId: `comment#${id}`,
      attempts: LIMITS.notifier.maxRetries + 1,
      lastError: 'InjectedMailFailure',
      record: { eventName: 'INSERT', NewImage: { id: { S: id } } },
    });
    const stored = await documentClient().send(
      new GetCommand({ TableName: config().tableName, Key: keys.failedMail(`comment#${id}`) }),
    );
    // Kept 90 days (README), far beyond the stream's 24 hours.
    const ninetyDays = Date.now() / 1000 + 90 * 24 * 3600;
    expect(stored.Item!.expiresAt).toBeGreaterThan(ninetyDays - 600);
    expect(stored.Item!.expiresAt).toBeLessThan(ninetyDays + 600);
    expect(JSON.stringify(stored.Item)).not.toContain('rita@example.org');
    expect(await mailsAbout('wartet auf SES')).toEqual([]);
  });

  it('stays kept, one more attempt counted, while sending still fails', async () => {
    const result = await retryFailedMails(handler);
    expect(result).toEqual({ retried: [`comment#${id}`], failed: [`comment#${id}`] });
    const [failed] = await listFailedMails();
    expect(failed!.attempts).toBe(LIMITS.notifier.maxRetries + 2);
  });

  it('is sent by mail-retry once SES works, then forgotten; a second run sends nothing', async () => {
    useTransport(outboxTransport(stack.outboxDir));
    expect(await retryFailedMails(handler)).toEqual({ retried: [`comment#${id}`], failed: [] });
    const mails = await mailsAbout('wartet auf SES');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toContain(process.env.AUTHOR_EMAIL);
    expect(await listFailedMails()).toEqual([]);

    expect(await retryFailedMails(handler)).toEqual({ retried: [], failed: [] });
    expect(await mailsAbout('wartet auf SES')).toHaveLength(1);
  });

  it('does not send again a mail that went out but was kept (crash before it was cleared)', async () => {
    const original = await documentClient().send(
      new GetCommand({ TableName: config().tableName, Key: keys.comment(id) }),
    );
    const record = { eventName: 'INSERT', NewImage: marshall(original.Item!) };
    await keepFailedMail(`comment#${id}`, record, 'TimeoutError', new Date());
    expect(await retryFailedMails(handler)).toEqual({ retried: [`comment#${id}`], failed: [] });
    expect(await mailsAbout('wartet auf SES')).toHaveLength(1);
    expect(await listFailedMails()).toEqual([]);
  });
});

it('keeps nothing for a mail that went out at the first attempt', async () => {
  useTransport(outboxTransport(stack.outboxDir));
  await postRetryComment('Diese Mail klappt sofort.');
  await waitForFiles(stack.outboxDir, 2, (name) => name.endsWith('.eml'));
  expect(await mailsAbout('klappt sofort')).toHaveLength(1);
  expect(await listFailedMails()).toEqual([]);
});

describe('npm run admin -- mail-retry on the local stack', () => {
  const admin = (...args: string[]) =>
    execFileAsync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bin/admin.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LESERPOST_LANG: 'en', LOG_LEVEL: 'ERROR' },
    });

  it('resends into the outbox with the settings `npm start` left in local.json, once', async () => {
    useTransport(failingTransport(outboxTransport(stack.outboxDir), Number.POSITIVE_INFINITY));
    const id = await postRetryComment('Diese Mail holt die Kommandozeile nach.');
    await waitForFiles(join(stack.dataDir, 'failed'), 2, (name) => name.endsWith('.json'));
    expect((await listFailedMails()).map((mail) => mail.notificationId)).toEqual([`comment#${id}`]);
    // What bin/dev.ts writes for the author's command line.
    writeFileSync(
      join(stack.dataDir, 'local.json'),
      JSON.stringify({
        endpoint: stack.dynamoEndpoint,
        tableName: stack.tableName,
        apiUrl: stack.apiUrl,
        notifierEnv: notifierEnvironment(),
      }),
    );

    const first = await admin('mail-retry', '--data', stack.dataDir);
    expect(first.stdout).toContain('✓ 1 mails delivered again.');
    expect(await mailsAbout('holt die Kommandozeile nach')).toHaveLength(1);
    expect(await listFailedMails()).toEqual([]);

    const second = await admin('mail-retry', '--data', stack.dataDir);
    expect(second.stdout).toContain('✓ No failed mails.');
    expect(await mailsAbout('holt die Kommandozeile nach')).toHaveLength(1);
  }, 120_000);
});
