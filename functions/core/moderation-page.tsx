/**
 * The small HTML pages behind a moderation link: a confirmation with one button (GET), the result
 * (POST), or why the link does not work. German or English; inline CSS only, no script; every
 * value from a reader is escaped by the JSX layer. The response headers (CSP and friends) come from
 * http/response.
 */
import { excerpt } from './html';
import type { Child } from './html-jsx/jsx-runtime';
import { LIMITS } from './limits';
import { errorText, fieldText, type Lang } from './messages';
import { refusedPage, renderPublicPage } from './public-page';

/** The shape of usecases/moderation.ts LinkState, as far as a page needs it. */
export type LinkPageState =
  | { state: 'refused'; reason: 'malformed' | 'forged' | 'expired' | 'used' }
  | { state: 'not_found'; claims: LinkPageClaims }
  | {
      state: 'confirm' | 'already' | 'done';
      claims: LinkPageClaims;
      subject: LinkPageSubject;
      before?: string;
    }
  | { state: 'invalid'; claims: LinkPageClaims; subject: LinkPageSubject; reason: string };

interface LinkPageClaims {
  kind: 'comment' | 'wish';
  action: string;
}

type LinkPageSubject =
  | {
      kind: 'comment';
      item: {
        id?: string;
        name?: string;
        text?: string;
        page: string;
        pageTitle?: string;
        pageUrl?: string;
        status: string;
      };
    }
  | { kind: 'wish'; item: { topic: string; details?: string; requesterName?: string; status: string } };

export interface LinkPageContext {
  lang: Lang;
  siteName: string;
  token: string;
  /** What the author typed, shown again when the form had a problem. */
  form?: { articleUrl?: string; writtenAt?: string };
  /** The blog's origin: a comment's page becomes a link to the post. */
  blogOrigin?: string;
  /** The desk's address: the result pages link to it. */
  deskUrl?: string;
}

const TEXTS = {
  de: {
    confirm: {
      'comment.approve': [
        'Kommentar freigeben?',
        'Der Kommentar wird auf der Seite sichtbar; die E-Mail-Adresse gilt danach als bekannt, ihre nächsten Kommentare erscheinen sofort.',
        'Freigeben',
      ],
      'comment.compliment': [
        'Freigeben und als Kompliment sammeln?',
        'Der Kommentar wird sichtbar und kommt in deine Kompliment-Sammlung (privat, bis du ihn am Schreibtisch öffentlich zeigst).',
        'Freigeben und sammeln',
      ],
      'comment.compliment.visible': [
        'Als Kompliment sammeln?',
        'Der Kommentar ist schon sichtbar und bleibt es. Er kommt in deine Kompliment-Sammlung (privat, bis du ihn am Schreibtisch öffentlich zeigst).',
        'Als Kompliment sammeln',
      ],
      'comment.spam': [
        'Als Spam markieren?',
        'Der Kommentar bleibt unsichtbar und wird als Spam abgelegt.',
        'Als Spam markieren',
      ],
      'comment.delete': [
        'Kommentar löschen?',
        'Name, Text und E-Mail-Adresse werden gelöscht. Hat der Kommentar sichtbare Antworten, bleibt ein leerer Platzhalter, damit die Unterhaltung lesbar bleibt.',
        'Endgültig löschen',
      ],
      'wish.accept': [
        'Themenwunsch annehmen?',
        'Der Wunsch erscheint auf der öffentlichen Wunschliste, Leser:innen können dafür stimmen.',
        'Annehmen',
      ],
      'wish.decline': [
        'Themenwunsch ablehnen?',
        'Der Wunsch bleibt privat und erscheint nicht auf der Wunschliste.',
        'Ablehnen',
      ],
      'wish.spam': [
        'Als Spam markieren?',
        'Der Wunsch bleibt privat und wird als Spam abgelegt.',
        'Als Spam markieren',
      ],
      'wish.plan': [
        'Als geplant markieren?',
        'Auf der Wunschliste steht dann, dass du den Beitrag planst.',
        'Als geplant markieren',
      ],
      'wish.written': [
        'Als geschrieben markieren?',
        'Der Wunsch wird mit deinem Artikel verknüpft. Hat die Leser:in darum gebeten, bekommt sie einmal eine Mail mit dem Link.',
        'Als geschrieben markieren',
      ],
    } as Record<string, [string, string, string]>,
    done: {
      'comment.approve': 'Der Kommentar ist freigegeben und sichtbar.',
      'comment.compliment': 'Der Kommentar ist sichtbar und in deiner Kompliment-Sammlung.',
      'comment.compliment.visible':
        'Der Kommentar war schon sichtbar; jetzt ist er in deiner Kompliment-Sammlung.',
      'comment.spam': 'Der Kommentar ist als Spam abgelegt.',
      'comment.delete': 'Der Kommentar ist gelöscht.',
      'wish.accept': 'Der Wunsch steht jetzt auf der Wunschliste.',
      'wish.decline': 'Der Wunsch ist abgelehnt und bleibt privat.',
      'wish.spam': 'Der Wunsch ist als Spam abgelegt.',
      'wish.plan': 'Der Wunsch ist als geplant markiert.',
      'wish.written': 'Der Wunsch ist als geschrieben markiert.',
    } as Record<string, string>,
    doneTitle: 'Erledigt',
    alreadyTitle: 'Schon erledigt',
    already: 'Das ist bereits geschehen. Der Link hat nichts mehr zu tun.',
    refusedTitle: 'Dieser Link gilt nicht',
    refused: {
      malformed: 'Der Link ist unvollständig. Bitte kopiere ihn ganz aus der Mail.',
      forged: 'Der Link ist beschädigt oder wurde verändert.',
      expired:
        'Der Link ist abgelaufen (Links gelten 7 Tage). Du kannst das mit der Kommandozeile erledigen: npm run admin -- pending',
      used: 'Der Link wurde schon benutzt, und seitdem hat sich etwas geändert. Er wirkt nicht noch einmal.',
    },
    notFoundTitle: 'Nicht gefunden',
    notFound: {
      comment: 'Diesen Kommentar gibt es nicht mehr.',
      wish: 'Diesen Themenwunsch gibt es nicht mehr.',
    },
    invalidTitle: 'Das geht so nicht',
    commentDeleted: 'Der Kommentar wurde gelöscht und kann nicht zurückgeholt werden.',
    by: 'Von',
    page: 'Seite',
    status: 'Stand',
    topic: 'Thema',
    statuses: {
      pending: 'wartet auf Freigabe',
      approved: 'sichtbar',
      spam: 'Spam',
      deleted: 'gelöscht',
      new: 'neu',
      accepted: 'angenommen',
      planned: 'geplant',
      written: 'geschrieben',
      declined: 'abgelehnt',
      merged: 'zusammengeführt',
    } as Record<string, string>,
    toPost: 'Zum Beitrag',
    toDesk: 'Zum Schreibtisch',
    articleUrl: 'Adresse des Artikels',
    writtenAt: 'Erschienen am (optional)',
    scannerNote: 'Erst der Knopf ändert etwas; das Öffnen des Links allein nicht.',
  },
  en: {
    confirm: {
      'comment.approve': [
        'Approve this comment?',
        'The comment becomes visible on the page; its email address counts as known afterwards, so the next comments appear at once.',
        'Approve',
      ],
      'comment.compliment': [
        'Approve and keep as a compliment?',
        'The comment becomes visible and joins your collection of compliments (private until you show it publicly at your desk).',
        'Approve and keep',
      ],
      'comment.compliment.visible': [
        'Keep as a compliment?',
        'The comment is visible already and stays so. It joins your collection of compliments (private until you show it publicly at your desk).',
        'Keep as a compliment',
      ],
      'comment.spam': ['Mark as spam?', 'The comment stays invisible and is filed as spam.', 'Mark as spam'],
      'comment.delete': [
        'Delete this comment?',
        'Name, text and email address are deleted. If the comment has visible replies, an empty placeholder keeps the conversation readable.',
        'Delete for good',
      ],
      'wish.accept': [
        'Accept this topic wish?',
        'The wish appears on the public board, and readers can vote for it.',
        'Accept',
      ],
      'wish.decline': [
        'Decline this topic wish?',
        'The wish stays private and does not appear on the board.',
        'Decline',
      ],
      'wish.spam': ['Mark as spam?', 'The wish stays private and is filed as spam.', 'Mark as spam'],
      'wish.plan': ['Mark as planned?', 'The board then shows that you plan the post.', 'Mark as planned'],
      'wish.written': [
        'Mark as written?',
        'The wish is linked to your article. If the reader asked for it, she gets one mail with the link.',
        'Mark as written',
      ],
    } as Record<string, [string, string, string]>,
    done: {
      'comment.approve': 'The comment is approved and visible.',
      'comment.compliment': 'The comment is visible and in your collection of compliments.',
      'comment.compliment.visible':
        'The comment was visible already; now it is in your collection of compliments.',
      'comment.spam': 'The comment is filed as spam.',
      'comment.delete': 'The comment is deleted.',
      'wish.accept': 'The wish is on the board now.',
      'wish.decline': 'The wish is declined and stays private.',
      'wish.spam': 'The wish is filed as spam.',
      'wish.plan': 'The wish is marked as planned.',
      'wish.written': 'The wish is marked as written.',
    } as Record<string, string>,
    doneTitle: 'Done',
    alreadyTitle: 'Already done',
    already: 'This has happened already. The link has nothing left to do.',
    refusedTitle: 'This link is not valid',
    refused: {
      malformed: 'The link is incomplete. Please copy all of it from the mail.',
      forged: 'The link is damaged or was changed.',
      expired:
        'The link has expired (links are valid for 7 days). You can do this with the command line: npm run admin -- pending',
      used: 'The link was used already, and things have changed since. It does not act again.',
    },
    notFoundTitle: 'Not found',
    notFound: {
      comment: 'This comment does not exist any more.',
      wish: 'This topic wish does not exist any more.',
    },
    invalidTitle: 'That does not work',
    commentDeleted: 'The comment was deleted and cannot be brought back.',
    by: 'By',
    page: 'Page',
    status: 'Status',
    topic: 'Topic',
    statuses: {
      pending: 'awaiting approval',
      approved: 'visible',
      spam: 'spam',
      deleted: 'deleted',
      new: 'new',
      accepted: 'accepted',
      planned: 'planned',
      written: 'written',
      declined: 'declined',
      merged: 'merged',
    } as Record<string, string>,
    toPost: 'To the post',
    toDesk: 'To your desk',
    articleUrl: 'Address of the article',
    writtenAt: 'Published on (optional)',
    scannerNote: 'Only the button changes anything; opening the link alone does not.',
  },
} satisfies Record<Lang, unknown>;

/** Problems with the author's form input: shown next to the form, with 400. */
const INPUT_PROBLEMS = new Set(['article_url_required', 'invalid_url', 'origin_not_allowed', 'invalid_date']);

export function renderLinkPage(
  view: LinkPageState,
  context: LinkPageContext,
): { status: number; html: string } {
  const t = TEXTS[context.lang];
  switch (view.state) {
    case 'refused':
      return refusedPage(context, t.refusedTitle, t.refused[view.reason]);
    case 'not_found':
      return {
        status: 404,
        html: renderPublicPage(context, t.notFoundTitle, <p>{t.notFound[view.claims.kind]}</p>),
      };
    case 'already':
      return {
        status: 200,
        html: renderPublicPage(
          context,
          t.alreadyTitle,
          <>
            <p>{t.already}</p>
            <Subject subject={view.subject} context={context} />
            <OnwardLinks subject={view.subject} context={context} />
          </>,
        ),
      };
    case 'done':
      return {
        status: 200,
        html: renderPublicPage(
          context,
          t.doneTitle,
          <>
            <p>{t.done[key(view.claims, view.before)] ?? ''}</p>
            <Subject subject={view.subject} context={context} />
            <OnwardLinks subject={view.subject} context={context} />
          </>,
          'done',
        ),
      };
    case 'confirm':
      return { status: 200, html: confirmPage(view.claims, view.subject, context) };
    case 'invalid': {
      if (INPUT_PROBLEMS.has(view.reason)) {
        return {
          status: 400,
          html: confirmPage(view.claims, view.subject, context, fieldText(view.reason, context.lang)),
        };
      }
      const message =
        view.reason === 'comment_deleted' ? t.commentDeleted : errorText(view.reason, context.lang);
      return {
        status: 409,
        html: renderPublicPage(
          context,
          t.invalidTitle,
          <>
            <p>{message}</p>
            <Subject subject={view.subject} context={context} />
          </>,
        ),
      };
    }
  }
}

/**
 * The text key of a link's action. A compliment link on a comment that is visible already only
 * collects it: its texts say so (`status` is the comment's status before the link acts).
 */
const key = (claims: LinkPageClaims, status?: string) =>
  `${claims.kind}.${claims.action}${claims.kind === 'comment' && claims.action === 'compliment' && status === 'approved' ? '.visible' : ''}`;

function confirmPage(
  claims: LinkPageClaims,
  subject: LinkPageSubject,
  context: LinkPageContext,
  problem?: string,
): string {
  const t = TEXTS[context.lang];
  const textKey = key(claims, subject.item.status);
  const [title, effect, button] = t.confirm[textKey] ?? [textKey, '', textKey];
  const needsArticle = claims.kind === 'wish' && claims.action === 'written';
  const danger = claims.action === 'delete' || claims.action === 'spam' || claims.action === 'decline';
  return renderPublicPage(
    context,
    title,
    <>
      <Subject subject={subject} context={context} />
      <p>{effect}</p>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {/* Relative action: the page lives at <api>/moderate, locally and behind API Gateway alike. */}
      <form method="post" action="moderate">
        <input type="hidden" name="t" value={context.token} />
        {needsArticle && (
          <>
            <label>
              {t.articleUrl}
              <input
                type="url"
                name="articleUrl"
                required
                maxlength={LIMITS.pageUrl.maxChars}
                value={context.form?.articleUrl ?? ''}
              />
            </label>
            <label>
              {t.writtenAt}
              <input type="date" name="writtenAt" value={context.form?.writtenAt ?? ''} />
            </label>
          </>
        )}
        <button type="submit" class={danger ? 'danger' : undefined}>
          {button}
        </button>
      </form>
      <p class="note">{t.scannerNote}</p>
    </>,
  );
}

/** Where a comment's post is: the address it was written on, else the page on the blog's origin. */
function postUrl(
  item: { page: string; pageUrl?: string },
  blogOrigin: string | undefined,
): string | undefined {
  if (item.pageUrl && /^https?:\/\//i.test(item.pageUrl)) return item.pageUrl;
  return blogOrigin ? `${blogOrigin.replace(/\/$/, '')}${item.page}` : undefined;
}

interface SubjectProps {
  subject: LinkPageSubject;
  context: LinkPageContext;
}

/** After acting: on to the post (a comment's) and to the desk. */
function OnwardLinks({ subject, context }: SubjectProps) {
  const t = TEXTS[context.lang];
  const links = [];
  if (subject.kind === 'comment') {
    const url = postUrl(subject.item, context.blogOrigin);
    if (url) links.push(<a href={url}>{t.toPost}</a>);
  }
  if (context.deskUrl) {
    const desk =
      subject.kind === 'comment' && subject.item.id
        ? `${context.deskUrl}/comments/${encodeURIComponent(subject.item.id)}`
        : `${context.deskUrl}${subject.kind === 'wish' ? '/wishes' : ''}`;
    links.push(<a href={desk}>{t.toDesk}</a>);
  }
  if (links.length === 0) return null;
  return <p class="links">{links.flatMap((link, i) => (i === 0 ? [link] : [' · ', link]))}</p>;
}

/** What the link acts on: a table of its facts, and the text as a quote. */
function Subject({ subject, context }: SubjectProps) {
  const t = TEXTS[context.lang];
  const rows: [string, Child][] = [];
  let quote = '';
  if (subject.kind === 'comment') {
    const { item } = subject;
    if (item.name) rows.push([t.by, item.name]);
    const label = item.pageTitle ? `${item.pageTitle} (${item.page})` : item.page;
    const url = postUrl(item, context.blogOrigin);
    // The page row links to the post; the label itself is escaped like every other value.
    rows.push([t.page, url ? <a href={url}>{label}</a> : label]);
    rows.push([t.status, t.statuses[item.status] ?? item.status]);
    if (item.text) quote = excerpt(item.text, LIMITS.moderationExcerptChars);
  } else {
    const { item } = subject;
    rows.push([t.topic, item.topic]);
    if (item.requesterName) rows.push([t.by, item.requesterName]);
    rows.push([t.status, t.statuses[item.status] ?? item.status]);
    if (item.details) quote = excerpt(item.details, LIMITS.moderationExcerptChars);
  }
  return (
    <>
      <table>
        {rows.map(([label, value]) => (
          <tr>
            <th>{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </table>
      {quote && <blockquote>{quote}</blockquote>}
    </>
  );
}
