/**
 * SES failing, on the local stack with the real stream: the comment is stored and answered with
 * 201 regardless; the notifier's failed record is retried (as Lambda retries it); after the retry
 * limit it lands in the failure folder (the on-failure destination), and no mail is lost silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalStack } from '../../dev/local-stack';
import { LIMITS } from '../../functions/core/limits';
import { failingTransport, outboxTransport, useTransport } from '../../functions/notifier/transport';
import { mailingStackPerFile, postComment, waitForFiles, waitForMails } from '../support/outbox';

// Mails arrive through DynamoDB Local's stream, which lags by seconds at load 8 on two cores.
jest.setTimeout(120_000);
const current = mailingStackPerFile({ MODERATION: 'none' });
let stack: LocalStack;
beforeAll(() => {
  stack = current();
});

const postSesComment = (text: string) => postComment(stack, '/posts/ses', text);

async function isListed(id: string): Promise<boolean> {
  const response = await fetch(`${stack.apiUrl}/comments?page=/posts/ses`, {
    headers: { origin: stack.url },
  });
  return ((await response.json()).comments as { id: string }[]).some((comment) => comment.id === id);
}

describe('when sending mail fails', () => {
  it('retries the record and delivers the mail once SES works again', async () => {
    const flaky = failingTransport(outboxTransport(stack.outboxDir), 2);
    useTransport(flaky);
    const posted = await postSesComment('Erst klappt die Mail nicht, dann doch.');
    expect(posted.status).toBe(201);
    const [mail] = await waitForMails(stack.outboxDir, 1);
    expect(mail!.text).toContain('Erst klappt die Mail nicht');
    // Two failed attempts, then the one that went through.
    expect(flaky.attempts).toBe(3);
    expect(await isListed(posted.id)).toBe(true);
  });

  it('keeps the comment and puts the record into the failure folder after the last retry', async () => {
    const broken = failingTransport(outboxTransport(stack.outboxDir), Number.POSITIVE_INFINITY);
    useTransport(broken);
    const posted = await postSesComment('Diese Mail kommt nie an.');
    expect(posted.status).toBe(201);
    const failedDir = join(stack.dataDir, 'failed');
    const [file] = await waitForFiles(failedDir, 1, (name) => name.endsWith('.json'));
    const failure = JSON.parse(readFileSync(join(failedDir, file!), 'utf8'));
    expect(failure.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: LIMITS.notifier.maxRetries + 1,
    });
    expect(failure.DDBStreamBatchInfo.streamArn).toContain(stack.tableName);
    expect(failure.record.eventName).toBe('INSERT');
    expect(failure.record.dynamodb.NewImage.id.S).toBe(posted.id);
    expect(broken.attempts).toBe(LIMITS.notifier.maxRetries + 1);
    // The reader's comment is there all the same, and nothing was mailed for it.
    expect(await isListed(posted.id)).toBe(true);
    expect((await waitForMails(stack.outboxDir, 1)).some((mail) => mail.text.includes('kommt nie an'))).toBe(
      false,
    );
  });
});
