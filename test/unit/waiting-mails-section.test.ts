/**
 * The desk's "waiting mails" in her words: the age of the oldest, the reason of the last failure
 * by its error name (SES's and the SDK's names), German and English; a stored reason that is not an
 * error name is never shown as the technical name.
 */
import { renderSettingsPage } from '../../functions/core/desk/comments-page';
import type { WaitingMailsView } from '../../functions/core/desk/waiting-mails-section';
import type { Lang } from '../../functions/core/messages';

const now = new Date('2026-11-30T10:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

function section(lang: Lang, view: Partial<WaitingMailsView>): string {
  const html = renderSettingsPage(
    { lang, siteName: 'Blog', csrf: 'token' },
    { authorLabel: '', waitingMails: { count: 2, now, timeZone: 'Europe/Berlin', ...view } },
  );
  return html.slice(html.indexOf('id="waiting-mails"'));
}

describe('the waiting mails section', () => {
  it.each([
    [0, 'seit weniger als einer Minute', 'for less than a minute'],
    [1, 'seit einer Minute', 'for 1 minute'],
    [59, 'seit 59 Minuten', 'for 59 minutes'],
    [60, 'seit einer Stunde', 'for 1 hour'],
    [23 * 60 + 59, 'seit 23 Stunden', 'for 23 hours'],
    [24 * 60, 'seit einem Tag', 'for 1 day'],
    [21 * 24 * 60, 'seit 21 Tagen', 'for 21 days'],
  ])('says how long the oldest waited (%i minutes)', (minutes, de, en) => {
    expect(section('de', { oldestFailedAt: ago(minutes) })).toContain(`Die älteste wartet ${de} (seit `);
    expect(section('en', { oldestFailedAt: ago(minutes) })).toContain(
      `The oldest has been waiting ${en} (since `,
    );
  });

  it.each([
    ['MessageRejected', 'Amazon SES hat die Mail abgelehnt.', 'Amazon SES refused the mail.'],
    ['MailFromDomainNotVerifiedException', 'Absender-Domain', 'sender domain'],
    ['SendingPausedException', 'angehalten', 'paused sending'],
    ['AccountSuspendedException', 'angehalten', 'paused sending'],
    ['TooManyRequestsException', 'gebremst', 'slowed down'],
    ['TimeoutError', 'nicht rechtzeitig geantwortet', 'did not answer in time'],
    ['MailInFlightError', 'andere Zustellung', 'Another delivery'],
    ['InjectedMailFailure', 'Ein anderer Fehler.', 'Another error.'],
  ])('names the reason of %s in plain words, with the name as the technical detail', (name, de, en) => {
    expect(section('de', { lastError: name })).toContain(de);
    expect(section('en', { lastError: name })).toContain(en);
    expect(section('de', { lastError: name })).toContain(`<code>${name}</code>`);
  });

  it('shows a stored reason that is no error name only as "another error"', () => {
    const html = section('de', { lastError: 'Rejected: rita@example.org <b>' });
    expect(html).toContain('Ein anderer Fehler.');
    expect(html).not.toContain('rita@example.org');
    expect(html).not.toContain('Technisch');
  });

  it('counts one and many, and offers the button only when a mail waits', () => {
    expect(section('de', { count: 1 })).toContain('1 Mail wartet darauf');
    expect(section('en', { count: 3 })).toContain('3 mails are waiting to be resent.');
    expect(section('de', { count: 3 })).toContain('name="do" value="resend-mails"');
    const none = section('en', { count: 0 });
    expect(none).toContain('No mail is waiting: everything went out.');
    expect(none).not.toContain('Resend now');
  });
});
