/**
 * The pages behind the links in mails to readers (confirm an address; later unsubscribe and
 * "Meine Daten"): GET shows one button, only its POST acts. German or English, every value
 * escaped, the same shell and headers as the moderation pages.
 */
import type { Lang } from './messages';
import { refusedPage, renderPublicPage } from './public-page';

export interface ReaderPageContext {
  lang: Lang;
  siteName: string;
  token: string;
}

export type ConfirmPageState =
  | { state: 'refused'; reason: 'malformed' | 'forged' | 'expired' }
  | { state: 'confirm' | 'done'; purpose: 'replies' | 'written' | 'vote' }
  | { state: 'already' };

export type UnsubscribePageState =
  | { state: 'refused'; reason: 'malformed' | 'forged' | 'expired' }
  | { state: 'confirm' }
  | { state: 'done'; scope: 'thread' | 'all' };

const TEXTS = {
  de: {
    unsubscribeTitle: 'Mails abbestellen?',
    unsubscribeThread: 'Nur diese Benachrichtigungen abbestellen',
    unsubscribeAll: 'Alle Mails dieses Blogs an mich abbestellen',
    unsubscribedTitle: 'Abbestellt',
    unsubscribed: {
      thread: 'Du bekommst zu diesem Kommentar oder Wunsch keine Mails mehr.',
      all: 'Du bekommst von diesem Blog keine Mails mehr zu deinen bisherigen Kommentaren und Wünschen.',
    },
    confirmTitle: 'E-Mail-Adresse bestätigen?',
    confirmEffect: {
      replies: 'Danach bekommst du eine Mail, wenn jemand auf deinen Kommentar antwortet.',
      written: 'Danach bekommst du eine Mail, wenn der gewünschte Beitrag erschienen ist.',
      vote: 'Danach bekommst du eine Mail, wenn der Beitrag erschienen ist, für den du gestimmt hast.',
    },
    confirmButton: 'Ja, bestätigen',
    unsubscribeNote: 'Jede Mail enthält einen Link, mit dem du sie mit einem Klick abbestellst.',
    doneTitle: 'Bestätigt',
    done: 'Danke! Deine Adresse ist bestätigt.',
    alreadyTitle: 'Schon bestätigt',
    already: 'Dieser Link hat nichts mehr zu tun: die Adresse ist schon bestätigt.',
    refusedTitle: 'Dieser Link gilt nicht',
    refused: {
      malformed: 'Der Link ist unvollständig. Bitte kopiere ihn ganz aus der Mail.',
      forged: 'Der Link ist beschädigt oder wurde verändert.',
      expired: 'Der Link ist abgelaufen. Trag deine Adresse einfach noch einmal im Blog ein.',
    },
    unsubscribeExpired:
      'Dieser Abbestell-Link ist abgelaufen (er gilt zwei Jahre). Nimm den Link aus einer neueren Mail, oder lösch deine Angaben über „Meine Daten“ im Blog.',
    scannerNote: 'Erst der Knopf ändert etwas; das Öffnen des Links allein nicht.',
  },
  en: {
    unsubscribeTitle: 'Unsubscribe?',
    unsubscribeThread: 'Unsubscribe from these notifications only',
    unsubscribeAll: 'Unsubscribe from all mails of this blog to me',
    unsubscribedTitle: 'Unsubscribed',
    unsubscribed: {
      thread: 'You will get no more mails about this comment or wish.',
      all: 'You will get no more mails from this blog about your comments and wishes so far.',
    },
    confirmTitle: 'Confirm your email address?',
    confirmEffect: {
      replies: 'Afterwards you get a mail when someone replies to your comment.',
      written: 'Afterwards you get a mail when the article you wished for is out.',
      vote: 'Afterwards you get a mail when the article you voted for is out.',
    },
    confirmButton: 'Yes, confirm',
    unsubscribeNote: 'Every mail has a link that unsubscribes you with one click.',
    doneTitle: 'Confirmed',
    done: 'Thank you! Your address is confirmed.',
    alreadyTitle: 'Already confirmed',
    already: 'This link has nothing left to do: the address is confirmed already.',
    refusedTitle: 'This link is not valid',
    refused: {
      malformed: 'The link is incomplete. Please copy all of it from the mail.',
      forged: 'The link is damaged or was changed.',
      expired: 'The link has expired. Simply enter your address on the blog again.',
    },
    unsubscribeExpired:
      'This unsubscribe link has expired (it works for two years). Use the link of a newer mail, or erase your details through “My data” on the blog.',
    scannerNote: 'Only the button changes anything; opening the link alone does not.',
  },
} satisfies Record<Lang, unknown>;

export function renderConfirmPage(
  view: ConfirmPageState,
  context: ReaderPageContext,
): { status: number; html: string } {
  const t = TEXTS[context.lang];
  switch (view.state) {
    case 'refused':
      return refusedPage(context, t.refusedTitle, t.refused[view.reason]);
    case 'already':
      return { status: 200, html: renderPublicPage(context, t.alreadyTitle, <p>{t.already}</p>) };
    case 'done':
      return {
        status: 200,
        html: renderPublicPage(
          context,
          t.doneTitle,
          <>
            <p>{t.done}</p>
            <p>{t.confirmEffect[view.purpose]}</p>
          </>,
          'done',
        ),
      };
    case 'confirm':
      return {
        status: 200,
        html: renderPublicPage(
          context,
          t.confirmTitle,
          <>
            <p>{t.confirmEffect[view.purpose]}</p>
            <p>{t.unsubscribeNote}</p>
            {/* Relative action: the page lives at <api>/readers/confirm, locally and on API Gateway. */}
            <form method="post" action="confirm">
              <input type="hidden" name="t" value={context.token} />
              <button type="submit">{t.confirmButton}</button>
            </form>
            <p class="note">{t.scannerNote}</p>
          </>,
        ),
      };
  }
}

export function renderUnsubscribePage(
  view: UnsubscribePageState,
  context: ReaderPageContext,
): { status: number; html: string } {
  const t = TEXTS[context.lang];
  if (view.state === 'refused') {
    const text = view.reason === 'expired' ? t.unsubscribeExpired : t.refused[view.reason];
    return refusedPage(context, t.refusedTitle, text);
  }
  if (view.state === 'done') {
    return {
      status: 200,
      html: renderPublicPage(context, t.unsubscribedTitle, <p>{t.unsubscribed[view.scope]}</p>, 'done'),
    };
  }
  const form = (scope: 'thread' | 'all', label: string) => (
    <form method="post" action="unsubscribe">
      <input type="hidden" name="t" value={context.token} />
      <input type="hidden" name="scope" value={scope} />
      <button type="submit">{label}</button>
    </form>
  );
  return {
    status: 200,
    html: renderPublicPage(
      context,
      t.unsubscribeTitle,
      <>
        {form('thread', t.unsubscribeThread)}
        {form('all', t.unsubscribeAll)}
        <p class="note">{t.scannerNote}</p>
      </>,
    ),
  };
}
