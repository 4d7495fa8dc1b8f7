/**
 * "Meine Daten" pages (DSGVO Art. 15, 17, 20): the form that asks for her data link, and the page
 * that link opens (her comments, wishes, votes, notifications; download; erase). German or English,
 * every value escaped by the JSX layer, in the frame of the other reader pages. GET pages change nothing; forms post
 * to themselves (relative actions: the pages live under <api>/readers/).
 */
import type { ErasureSummary } from './desk/readers-page';
import { ERASED_COUNT_TEXTS } from './erasure-texts';
import { type Child, Html } from './html-jsx/jsx-runtime';
import { formatDate } from './mail/texts';
import type { Lang } from './messages';
import { type PublicPageContext, refusedPage, renderPublicPage } from './public-page';
import { DATA_PAGE_CSS } from './public-style';

export type DataFormProblem = 'invalid_email';

/** What the data page shows (the use case's export fits it; core stays pure). */
export interface ReaderDataView {
  comments: {
    page: string;
    text: string | null;
    status: string;
    createdAt: string;
    name: string | null;
    notifyReplies?: boolean;
  }[];
  wishes: { topic: string; status: string; votes: number; createdAt: string; notifyWhenWritten?: boolean }[];
  votes: { wishId: string; createdAt: string | null }[];
  subscriptions: { scope: string; target: string | null; createdAt: string | null }[];
  confirmations: { confirmedAt: string | null }[];
  trustedSince: string | null;
}

export type DataPageState =
  | { state: 'refused'; reason: 'malformed' | 'forged' | 'expired' | 'other_purpose' }
  | { state: 'gone' }
  | { state: 'show'; data: ReaderDataView; problem?: 'confirm_needed' }
  | { state: 'erased'; summary: ErasureSummary };

const TEXTS = {
  de: {
    formTitle: 'Meine Daten',
    formIntro:
      'Hier erfährst du, was dieser Blog zu deiner E-Mail-Adresse gespeichert hat: Kommentare, Themenwünsche, Stimmen und Benachrichtigungen. Du kannst alles herunterladen oder löschen lassen.',
    formHow:
      'Trag deine Adresse ein. Ist zu ihr etwas gespeichert, schicken wir dir einen Link dorthin; nur wer die Mails dieser Adresse liest, sieht die Daten.',
    email: 'Deine E-Mail-Adresse',
    send: 'Link schicken',
    otherLang: ['English', 'en'],
    problems: { invalid_email: 'Bitte eine gültige E-Mail-Adresse angeben (Feld „email“).' },
    sentTitle: 'Schau in dein Postfach',
    sent: (hours: number) =>
      `Wenn zu dieser Adresse etwas gespeichert ist, ist jetzt eine Mail mit deinem Link unterwegs. Er gilt ${hours} Stunden. Kommt keine Mail, ist zu der Adresse nichts gespeichert (oder es wurden in kurzer Zeit zu viele Links verlangt).`,
    dataTitle: 'Deine Daten',
    dataIntro: 'Das ist gespeichert zu der Adresse, an die dieser Link ging:',
    comments: 'Kommentare',
    wishes: 'Themenwünsche',
    votes: 'Stimmen für Wünsche',
    subscriptions: 'Benachrichtigungen',
    confirmed: 'Bestätigte Adresse',
    trusted: 'Deine Kommentare erscheinen ohne Prüfung seit',
    none: 'Nichts.',
    statuses: {
      approved: 'sichtbar',
      pending: 'wartet auf Freigabe',
      spam: 'als Spam abgelegt',
      deleted: 'gelöscht',
      new: 'neu',
      accepted: 'auf der Wunschliste',
      planned: 'geplant',
      written: 'geschrieben',
      declined: 'abgelehnt',
    } as Record<string, string>,
    voteCount: (n: number) => (n === 1 ? '1 Stimme' : `${n} Stimmen`),
    notifyReplies: 'Mail bei Antworten',
    notifyWritten: 'Mail, wenn der Beitrag erscheint',
    page: 'Seite',
    downloadTitle: 'Herunterladen',
    download: 'Alles als Datei herunterladen (JSON)',
    downloadNote: 'Die Datei enthält alles, was hier steht, maschinenlesbar (Art. 15 und 20 DSGVO).',
    eraseTitle: 'Alles löschen',
    eraseExplain:
      'Deine Kommentare werden gelöscht; wo sichtbare Antworten daran hängen, bleibt ein leerer Platz „gelöscht“. Deine Wünsche bleiben ohne Namen und Adresse stehen, deine Stimmen zählen weiter, ohne Adresse. Benachrichtigungen und Bestätigungen enden. Das lässt sich nicht rückgängig machen.',
    eraseConfirm: 'Ja, alles zu meiner Adresse löschen',
    erase: 'Endgültig löschen',
    confirmNeeded:
      'Bitte bestätige zuerst mit dem Häkchen (Feld „confirm“), dass alles gelöscht werden soll.',
    erasedTitle: 'Gelöscht',
    erased:
      'Alles zu deiner Adresse ist gelöscht. Die Autorin erfährt nur, dass und wie viel gelöscht wurde, nicht von wem.',
    goneTitle: 'Hier ist nichts mehr',
    gone: 'Zu diesem Link ist nichts mehr gespeichert: die Daten wurden gelöscht, oder der Link ist abgelaufen. Einen neuen Link bekommst du über „Meine Daten“ im Blog.',
    refusedTitle: 'Dieser Link gilt nicht',
    refused: {
      malformed: 'Der Link ist unvollständig. Bitte kopiere ihn ganz aus der Mail.',
      forged: 'Der Link ist beschädigt oder wurde verändert.',
      expired: 'Der Link ist abgelaufen. Einen neuen bekommst du über „Meine Daten“ im Blog.',
      other_purpose: 'Dieser Link gehört zu einer anderen Mail; er öffnet keine Daten.',
    },
    scannerNote: 'Das Öffnen dieses Links ändert nichts; nur die Knöpfe tun etwas.',
  },
  en: {
    formTitle: 'My data',
    formIntro:
      'Find out what this blog stored for your email address: comments, topic wishes, votes and notifications. You can download all of it or have it erased.',
    formHow:
      'Enter your address. If anything is stored for it, we send you a link to it; only whoever reads this address’s mail sees the data.',
    email: 'Your email address',
    send: 'Send the link',
    otherLang: ['Deutsch', 'de'],
    problems: { invalid_email: 'Please enter a valid email address (field “email”).' },
    sentTitle: 'Check your inbox',
    sent: (hours: number) =>
      `If anything is stored for this address, a mail with your link is on its way. It is valid for ${hours} hours. If no mail comes, nothing is stored for the address (or too many links were asked for in a short time).`,
    dataTitle: 'Your data',
    dataIntro: 'This is stored for the address this link was sent to:',
    comments: 'Comments',
    wishes: 'Topic wishes',
    votes: 'Votes for wishes',
    subscriptions: 'Notifications',
    confirmed: 'Confirmed address',
    trusted: 'Your comments appear without review since',
    none: 'Nothing.',
    statuses: {
      approved: 'visible',
      pending: 'awaiting approval',
      spam: 'filed as spam',
      deleted: 'deleted',
      new: 'new',
      accepted: 'on the wish board',
      planned: 'planned',
      written: 'written',
      declined: 'declined',
    } as Record<string, string>,
    voteCount: (n: number) => (n === 1 ? '1 vote' : `${n} votes`),
    notifyReplies: 'Mail on replies',
    notifyWritten: 'Mail when the article is out',
    page: 'Page',
    downloadTitle: 'Download',
    download: 'Download everything as a file (JSON)',
    downloadNote: 'The file holds everything shown here, machine-readable (GDPR Art. 15 and 20).',
    eraseTitle: 'Erase everything',
    eraseExplain:
      'Your comments are deleted; where visible replies hang on one, an empty “deleted” place stays. Your wishes stay without name and address, your votes still count, without address. Notifications and confirmations end. This cannot be undone.',
    eraseConfirm: 'Yes, erase everything for my address',
    erase: 'Erase for good',
    confirmNeeded: 'Please confirm with the tick (field “confirm”) that everything should be erased.',
    erasedTitle: 'Erased',
    erased:
      'Everything for your address is erased. The author only learns that, and how much, was erased, not by whom.',
    goneTitle: 'Nothing here any more',
    gone: 'Nothing is stored for this link any more: the data was erased, or the link expired. You get a new link through “My data” on the blog.',
    refusedTitle: 'This link is not valid',
    refused: {
      malformed: 'The link is incomplete. Please copy all of it from the mail.',
      forged: 'The link is damaged or was changed.',
      expired: 'The link has expired. You get a new one through “My data” on the blog.',
      other_purpose: 'This link belongs to another mail; it opens no data.',
    },
    scannerNote: 'Opening this link changes nothing; only the buttons do.',
  },
} satisfies Record<Lang, unknown>;

const DATA_STYLE = new Html(DATA_PAGE_CSS);

/** A page in the common frame, with the few rules only these pages need. */
const dataPage = (context: PublicPageContext, title: string, body: Child, tone = '') =>
  renderPublicPage(context, title, body, tone, DATA_STYLE);

const TokenField = ({ token }: { token: string }) => <input type="hidden" name="t" value={token} />;

export interface DataFormContext {
  lang: Lang;
  siteName: string;
  problem?: DataFormProblem;
  /** The address typed, shown again only with a problem (never after sending: same page for all). */
  email?: string;
}

/** The form: her address, and the language of the mail (the page's). */
export function renderDataForm(context: DataFormContext): { status: number; html: string } {
  const t = TEXTS[context.lang];
  const [otherName, otherLang] = t.otherLang;
  return {
    status: context.problem ? 400 : 200,
    html: dataPage(
      context,
      t.formTitle,
      <>
        <p class="note" lang={otherLang}>
          <a href={`data?lang=${otherLang}`}>{otherName}</a>
        </p>
        <p>{t.formIntro}</p>
        <p>{t.formHow}</p>
        {context.problem && (
          <p id="email-problem" class="problem" role="alert">
            {t.problems[context.problem]}
          </p>
        )}
        <form method="post" action="data">
          <input type="hidden" name="lang" value={context.lang} />
          <label for="email">
            {t.email}
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="email"
              required
              maxlength="254"
              value={context.email ?? ''}
              aria-describedby={context.problem ? 'email-problem' : undefined}
              aria-invalid={context.problem ? 'true' : undefined}
            />
          </label>
          <button type="submit">{t.send}</button>
        </form>
      </>,
    ),
  };
}

/** After the form: the same page whatever was found, limited or sent. */
export function renderDataSent(context: { lang: Lang; siteName: string; linkHours: number }): string {
  const t = TEXTS[context.lang];
  return dataPage(context, t.sentTitle, <p>{t.sent(context.linkHours)}</p>, 'done');
}

export function renderDataPage(
  view: DataPageState,
  context: { lang: Lang; siteName: string; token: string; timeZone: string },
): { status: number; html: string } {
  const t = TEXTS[context.lang];
  switch (view.state) {
    case 'refused':
      return refusedPage(context, t.refusedTitle, t.refused[view.reason], DATA_STYLE);
    case 'gone':
      return { status: 410, html: dataPage(context, t.goneTitle, <p>{t.gone}</p>) };
    case 'erased': {
      const labels = ERASED_COUNT_TEXTS[context.lang];
      const keys = Object.keys(labels) as (keyof typeof labels)[];
      return {
        status: 200,
        html: dataPage(
          context,
          t.erasedTitle,
          <>
            <p>{t.erased}</p>
            <ul>
              {keys.map((key) => (
                <li>
                  {labels[key]}: {view.summary[key]}
                </li>
              ))}
            </ul>
          </>,
          'done',
        ),
      };
    }
    case 'show':
      return {
        status: view.problem ? 400 : 200,
        html: dataPage(
          context,
          t.dataTitle,
          <>
            {view.problem && (
              <p class="problem" role="alert">
                {t.confirmNeeded}
              </p>
            )}
            <p>{t.dataIntro}</p>
            <DataSections data={view.data} lang={context.lang} timeZone={context.timeZone} />
            <h2>{t.downloadTitle}</h2>
            <p class="note">{t.downloadNote}</p>
            <form method="post" action="view">
              <TokenField token={context.token} />
              <input type="hidden" name="do" value="download" />
              <button type="submit">{t.download}</button>
            </form>
            <h2>{t.eraseTitle}</h2>
            <p>{t.eraseExplain}</p>
            <form method="post" action="view">
              <TokenField token={context.token} />
              <input type="hidden" name="do" value="erase" />
              <label class="check">
                <input type="checkbox" name="confirm" value="1" required /> {t.eraseConfirm}
              </label>
              <button type="submit" class="danger">
                {t.erase}
              </button>
            </form>
            <p class="note">{t.scannerNote}</p>
          </>,
        ),
      };
  }
}

function DataSections({ data, lang, timeZone }: { data: ReaderDataView; lang: Lang; timeZone: string }) {
  const t = TEXTS[lang];
  const when = (iso: string | null) => {
    const date = iso ? new Date(iso) : undefined;
    return date && !Number.isNaN(date.getTime()) ? formatDate(date, lang, timeZone) : '';
  };
  const status = (value: string) => t.statuses[value] ?? value;
  const section = (title: string, items: Child[]) => (
    <>
      <h2>
        {title} ({items.length})
      </h2>
      {items.length > 0 ? <ul class="items">{items}</ul> : <p class="note">{t.none}</p>}
    </>
  );
  const meta = (...parts: string[]) => <span class="note">{parts.filter(Boolean).join(' · ')}</span>;
  return (
    <>
      {section(
        t.comments,
        data.comments.map((comment) => (
          <li>
            {meta(
              `${t.page} ${comment.page}`,
              when(comment.createdAt),
              status(comment.status),
              comment.name ?? '',
              comment.notifyReplies ? t.notifyReplies : '',
            )}
            <blockquote>{comment.text ?? ''}</blockquote>
          </li>
        )),
      )}
      {section(
        t.wishes,
        data.wishes.map((wish) => (
          <li>
            {wish.topic}
            <br />
            {meta(
              when(wish.createdAt),
              status(wish.status),
              t.voteCount(wish.votes),
              wish.notifyWhenWritten ? t.notifyWritten : '',
            )}
          </li>
        )),
      )}
      {section(
        t.votes,
        data.votes.map((vote) => <li>{meta(when(vote.createdAt) || vote.wishId)}</li>),
      )}
      {section(
        t.subscriptions,
        data.subscriptions.map((subscription) => (
          <li>{meta(subscription.target ?? subscription.scope, when(subscription.createdAt))}</li>
        )),
      )}
      {data.confirmations.length > 0 && (
        <p>{`${t.confirmed}: ${data.confirmations.map((c) => when(c.confirmedAt)).join(', ')}`}</p>
      )}
      {data.trustedSince !== null && <p>{`${t.trusted} ${when(data.trustedSince)}`}</p>}
    </>
  );
}
