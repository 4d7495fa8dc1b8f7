/**
 * The reply digest under concurrency: two replies to her comment handled at the same moment (two
 * shards, two notifier invocations) must give her one mail at once and the other reply in the
 * digest an hour later, never two immediate mails, never a reply lost. Her confirmed parent comment
 * and the replies are real items on DynamoDB Local; the notifier's functions run as its stream
 * handler calls them, the sweep on a clock the test sets.
 */
import { newId } from '../../functions/core/ids';
import { LIMITS } from '../../functions/core/limits';
import { handler as comments } from '../../functions/handlers/comments';
import { notifyReply, sweepDigests } from '../../functions/notifier/reader-mails';
import { useTransport } from '../../functions/notifier/transport';
import { lookupHashOf } from '../../functions/runtime/keys';
import { type ConfirmationRequest, confirmAddress } from '../../functions/store/confirmations';
import { moderateComment } from '../../functions/usecases/moderation';
import { capturingTransport, parseMail } from '../support/outbox';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';

let stack: TestStack;
let outbox: ReturnType<typeof capturingTransport>;
beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'all' });
  outbox = capturingTransport();
  useTransport(outbox);
});
afterAll(() => useTransport(undefined));

const page = '/posts/gleichzeitig';

/** A comment posted and approved by the author; returns the item as the stream would carry it. */
async function visibleComment(json: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page, pageUrl: `https://blog.example${page}`, ...json }),
  });
  expect(response.status).toBe(201);
  const id = response.body.comment.id as string;
  await moderateComment(id, 'approve', new Date());
  return (await stack.dump()).find((item) => item.pk === `COMMENT#${id}`)!;
}

const texts = async () => Promise.all(outbox.sent.map(async (mail) => (await parseMail(mail.raw)).text));

it('mails one of two simultaneous replies at once and the other in the digest, never both at once', async () => {
  const fenja = 'fenja.gleichzeitig@example.org';
  const parent = await visibleComment({ email: fenja, name: 'Fenja', notifyReplies: true });
  await confirmAddress(
    { id: newId(), emailHash: await lookupHashOf(fenja) } as ConfirmationRequest,
    new Date(),
  );
  const first = await visibleComment({ name: 'Gil', text: 'Gils Antwort.', parentId: parent.id });
  const second = await visibleComment({ name: 'Hedi', text: 'Hedis Antwort.', parentId: parent.id });

  const now = new Date();
  const outcomes = await Promise.all([notifyReply(first, now), notifyReply(second, now)]);
  expect(outcomes.sort()).toEqual(['queued', 'sent']);
  expect(outbox.sent).toHaveLength(1);

  // Both records delivered again: nothing more at once.
  await Promise.all([notifyReply(first, now), notifyReply(second, now)]);
  expect(outbox.sent).toHaveLength(1);

  const afterTheHour = new Date(now.getTime() + (LIMITS.readers.replyDigestSeconds + 60) * 1000);
  expect(await sweepDigests(afterTheHour)).toBe(1);
  expect(outbox.sent).toHaveLength(2);
  const [immediate, digest] = await texts();
  // Each reply reached her exactly once, one at once and one in the digest.
  for (const reply of ['Gils Antwort.', 'Hedis Antwort.']) {
    expect([immediate, digest].filter((text) => text!.includes(reply))).toHaveLength(1);
  }
  expect(await sweepDigests(new Date(afterTheHour.getTime() + 60_000))).toBe(0);
});
