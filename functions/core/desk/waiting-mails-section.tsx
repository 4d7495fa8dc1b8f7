/**
 * The settings page's "waiting mails": how many failed mails are kept for resending, since when
 * and why (in plain words; no reader address, the desk never reads the kept records), and "Resend
 * now", which asks the notifier to resend them (handlers/desk.ts).
 */
import type { Lang } from '../messages';
import { Csrf, formatDeskTime } from './layout';
import { WAITING_MAILS_TEXTS } from './waiting-mails-texts';

export interface WaitingMailsView {
  count: number;
  oldestFailedAt?: string;
  lastError?: string;
  now: Date;
  timeZone: string;
  /** She just pressed "Resend now". */
  resending?: boolean;
  /** A form that named an action the desk does not know. */
  problem?: { field: string; code: string };
}

/** The action "Resend now" posts to the settings route (its `do` field). */
export const RESEND_ACTION = 'resend-mails';

type Reason = keyof (typeof WAITING_MAILS_TEXTS)['de']['reasons'];

/** An error name (SES's, the SDK's, the notifier's) as the kind of problem she can act on. */
export function failureReason(errorName: string): Reason {
  if (/^MessageRejected$/.test(errorName)) return 'ses_rejected';
  if (/MailFromDomainNotVerified/.test(errorName)) return 'ses_domain';
  if (/SendingPaused|AccountSuspended/.test(errorName)) return 'ses_paused';
  if (/TooManyRequests|Throttl|LimitExceeded/.test(errorName)) return 'ses_throttled';
  if (/Timeout|Abort|ECONNRESET|EPIPE|NetworkingError/.test(errorName)) return 'no_answer';
  if (errorName === 'MailInFlightError') return 'in_flight';
  return 'other';
}

/** How long since `iso`, in whole minutes, hours or days. */
function age(iso: string, now: Date, lang: Lang): string {
  const t = WAITING_MAILS_TEXTS[lang].age;
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60_000));
  if (minutes < 60) return t.minutes(minutes);
  if (minutes < 24 * 60) return t.hours(Math.floor(minutes / 60));
  return t.days(Math.floor(minutes / (24 * 60)));
}

export function WaitingMailsSection({
  lang,
  csrf,
  view,
}: {
  lang: Lang;
  csrf: string;
  view: WaitingMailsView;
}) {
  const t = WAITING_MAILS_TEXTS[lang];
  const reason = view.lastError ? failureReason(view.lastError) : undefined;
  // Only an identifier is shown as the technical name: an error name, never a message.
  const technical =
    view.lastError && /^[A-Za-z][A-Za-z0-9]{0,80}$/.test(view.lastError) ? view.lastError : '';
  return (
    <section id="waiting-mails" aria-labelledby="waiting-mails-title">
      <h2 id="waiting-mails-title">{t.title}</h2>
      {view.resending && (
        <p class="notice" role="status">
          {t.resending}
        </p>
      )}
      {view.problem && (
        <div class="problem" role="alert">
          <p>{t.problem}</p>
          <p class="meta">
            {t.field}: <code>{view.problem.field}</code> ({view.problem.code})
          </p>
        </div>
      )}
      <p>{t.intro}</p>
      {view.count === 0 ? (
        <p class="meta">{t.none}</p>
      ) : (
        <div class="card">
          <p>
            <strong>{t.count(view.count)}</strong>
          </p>
          {view.oldestFailedAt && (
            <p>
              {t.oldest(
                age(view.oldestFailedAt, view.now, lang),
                formatDeskTime(view.oldestFailedAt, lang, view.timeZone),
              )}
            </p>
          )}
          {reason && (
            <p>
              {t.reason} {t.reasons[reason]}
              {technical && (
                <span class="meta">
                  {' '}
                  ({t.technical}: <code>{technical}</code>)
                </span>
              )}
            </p>
          )}
          <form method="post" action="/desk/settings">
            <Csrf token={csrf} />
            <input type="hidden" name="do" value={RESEND_ACTION} />
            <div class="actions">
              <button type="submit" class="primary">
                {t.resend}
              </button>
            </div>
          </form>
        </div>
      )}
    </section>
  );
}
