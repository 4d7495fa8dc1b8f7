/** The texts of the desk's "waiting mails" section (settings page), German and English. */
import { LIMITS } from '../limits';
import type { Lang } from '../messages';

const SWEEP_MINUTES = LIMITS.readers.digestSweepMinutes;

const de = {
  title: 'Mails, die noch warten',
  intro: `Eine Mail, die nicht gesendet werden konnte (etwa bevor Amazon SES bestätigt war), bleibt gespeichert und wird alle ${SWEEP_MINUTES} Minuten von selbst erneut gesendet, bis sie rausgeht. Mit dem Knopf geht es sofort.`,
  none: 'Keine Mail wartet: alles ist gesendet.',
  count: (n: number) =>
    n === 1
      ? '1 Mail wartet darauf, erneut gesendet zu werden.'
      : `${n} Mails warten darauf, erneut gesendet zu werden.`,
  oldest: (age: string, since: string) => `Die älteste wartet seit ${age} (seit ${since}).`,
  age: {
    minutes: (n: number) =>
      n === 0 ? 'weniger als einer Minute' : n === 1 ? 'einer Minute' : `${n} Minuten`,
    hours: (n: number) => (n === 1 ? 'einer Stunde' : `${n} Stunden`),
    days: (n: number) => (n === 1 ? 'einem Tag' : `${n} Tagen`),
  },
  reason: 'Zuletzt gescheitert, weil:',
  reasons: {
    ses_rejected:
      'Amazon SES hat die Mail abgelehnt. Meist ist die Absender-Adresse noch nicht bestätigt oder das Konto noch in der Sandbox.',
    ses_domain: 'Die Absender-Domain ist bei Amazon SES noch nicht bestätigt.',
    ses_paused: 'Amazon SES hat das Senden für dieses Konto angehalten.',
    ses_throttled: 'Amazon SES hat gebremst: zu viele Mails auf einmal.',
    no_answer: 'Amazon SES hat nicht rechtzeitig geantwortet.',
    in_flight: 'Eine andere Zustellung war gerade dabei, sie zu senden.',
    other: 'Ein anderer Fehler.',
  },
  technical: 'Technisch',
  resend: 'Jetzt erneut senden',
  resending: `Die Mails werden erneut gesendet … Lade die Seite in einer Minute neu: Was rausging, steht dann nicht mehr hier.`,
  problem: 'Diese Aktion kennt der Schreibtisch nicht. Lade die Seite neu und versuche es noch einmal.',
  field: 'Feld',
};

type WaitingMailsTexts = typeof de;

const en: WaitingMailsTexts = {
  title: 'Mails still waiting',
  intro: `A mail that could not be sent (say, before Amazon SES was verified) is kept and resent automatically every ${SWEEP_MINUTES} minutes until it goes out. The button does it right now.`,
  none: 'No mail is waiting: everything went out.',
  count: (n: number) =>
    n === 1 ? '1 mail is waiting to be resent.' : `${n} mails are waiting to be resent.`,
  oldest: (age: string, since: string) => `The oldest has been waiting for ${age} (since ${since}).`,
  age: {
    minutes: (n: number) => (n === 0 ? 'less than a minute' : n === 1 ? '1 minute' : `${n} minutes`),
    hours: (n: number) => (n === 1 ? '1 hour' : `${n} hours`),
    days: (n: number) => (n === 1 ? '1 day' : `${n} days`),
  },
  reason: 'Last failed because:',
  reasons: {
    ses_rejected:
      'Amazon SES refused the mail. Usually the sender address is not verified yet or the account is still in the sandbox.',
    ses_domain: 'The sender domain is not verified with Amazon SES yet.',
    ses_paused: 'Amazon SES paused sending for this account.',
    ses_throttled: 'Amazon SES slowed down: too many mails at once.',
    no_answer: 'Amazon SES did not answer in time.',
    in_flight: 'Another delivery was sending it right then.',
    other: 'Another error.',
  },
  technical: 'Technical',
  resend: 'Resend now',
  resending:
    'The mails are being resent … Reload the page in a minute: what went out is no longer listed here.',
  problem: 'The desk does not know this action. Reload the page and try again.',
  field: 'Field',
};

export const WAITING_MAILS_TEXTS: Record<Lang, WaitingMailsTexts> = { de, en };
