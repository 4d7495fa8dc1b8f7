/**
 * Every time in a mail is in the blog's time zone (TIME_ZONE, by default Europe/Berlin for a German
 * blog), with the zone's name: the moments are chosen so that Berlin's date differs from UTC's.
 * The mails are read back with mailparser, as a mail program would.
 */
import { newId } from '../../functions/core/ids';
import { sendCommentMail, sendWishMail } from '../../functions/notifier/mails';
import { sendConfirmationMail } from '../../functions/notifier/reader-mails';
import { sealEmail } from '../../functions/runtime/email-keys';
import { requestLoginLink } from '../../functions/usecases/desk';
import { DESK_URL } from '../support/desk';
import { parseMail, type ReadMail, useCapturedMails } from '../support/outbox';
import { createTestStack, resetRuntime } from '../support/stack';

const mails = useCapturedMails();
/** 23:20 UTC on a Monday in November: already Tuesday 00:20 in Berlin (MEZ, UTC+1). */
const NOW = new Date('2026-11-23T23:20:00Z');

beforeAll(async () => {
  await createTestStack({ DESK_URL });
});

async function onlyMail(): Promise<ReadMail> {
  expect(mails.sent).toHaveLength(1);
  return parseMail(mails.sent[0]!.raw);
}

describe('times in mails', () => {
  it('the login mail says until when its link works, in Berlin time', async () => {
    await requestLoginLink('autorin@blog.example', 'de', NOW);
    const mail = await onlyMail();
    // 15 minutes after 23:20 UTC is 00:35 the next day in Berlin.
    expect(mail.text).toContain('24.11.2026, 00:35 MEZ');
    expect(mail.html).toContain('24.11.2026, 00:35 MEZ');
    expect(mail.text).not.toContain('UTC');
  });

  it('the comment and wish mails say until when their buttons work, in Berlin time', async () => {
    const emailEnc = await sealEmail('leserin@example.org');
    const id = newId();
    await sendCommentMail(
      {
        id,
        page: '/p',
        name: 'Lea',
        text: 'Hallo',
        status: 'pending',
        emailEnc,
        createdAt: NOW.toISOString(),
      },
      NOW,
    );
    const comment = await onlyMail();
    // Seven days after 23:20 UTC on the 23rd is 00:20 on 1 December in Berlin.
    expect(comment.text).toContain('01.12.2026, 00:20 MEZ');
    expect(comment.html).toContain('01.12.2026, 00:20 MEZ');
    expect(comment.text).not.toContain('UTC');

    mails.sent.length = 0;
    await sendWishMail({ id: newId(), topic: 'Storytelling', requesterName: 'Bea', emailEnc }, NOW);
    expect((await onlyMail()).text).toContain('01.12.2026, 00:20 MEZ');
  });

  it('the double opt-in mail in English shows the same moment, formatted for English', async () => {
    await sendConfirmationMail(
      { id: newId(), purpose: 'replies', lang: 'en', emailEnc: await sealEmail('reader@example.org') },
      NOW,
    );
    const mail = await onlyMail();
    expect(mail.text).toContain('1 Dec 2026, 00:20 CET');
    expect(mail.text).not.toContain('UTC');
  });

  it('follows TIME_ZONE when it names another zone', async () => {
    process.env.TIME_ZONE = 'America/New_York';
    resetRuntime();
    try {
      await requestLoginLink('autorin@blog.example', 'en', new Date('2026-11-24T03:00:00Z'));
      // 03:15 UTC is still the evening before in New York.
      expect((await onlyMail()).text).toContain('23 Nov 2026, 22:15 GMT-5');
    } finally {
      delete process.env.TIME_ZONE;
      resetRuntime();
    }
  });
});
