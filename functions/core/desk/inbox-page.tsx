/**
 * Eingang: what waits for her — held comments and new wishes — with why it was held, the page and
 * the text. One form: each item's own buttons act on it, the checkboxes plus the bottom buttons
 * act on several at once. Works without JavaScript.
 */
import { MAIL_TEXTS } from '../mail/texts';
import { ownText } from '../own-text';
import { Csrf, formatDeskTime, type PageFrame, renderDeskPage } from './layout';
import { DESK_TEXTS } from './texts';

export interface InboxComment {
  id: string;
  page: string;
  pageTitle?: string;
  pageUrl?: string;
  name: string;
  text: string;
  createdAt: string;
  holdReasons?: string[];
}

export interface InboxWish {
  id: string;
  topic: string;
  details?: string;
  requesterName?: string;
  createdAt: string;
  holdReasons?: string[];
}

export interface InboxView {
  comments: InboxComment[];
  wishes: InboxWish[];
  timeZone: string;
  /** Shown once after an action: how many items it changed, or why not. */
  done?: number;
  problem?: string;
}

const COMMENT_ACTIONS = ['approve', 'compliment', 'spam', 'delete'] as const;
const WISH_ACTIONS = ['accept', 'decline', 'spam'] as const;

export function renderInboxPage(frame: PageFrame & { csrf: string }, view: InboxView): string {
  const t = DESK_TEXTS[frame.lang];
  const reasons = MAIL_TEXTS[frame.lang].holdReasons;
  const time = (iso: string) => formatDeskTime(iso, frame.lang, view.timeZone);
  const empty = view.comments.length === 0 && view.wishes.length === 0;
  return renderDeskPage(
    { ...frame, section: 'inbox', waiting: view.comments.length + view.wishes.length },
    t.inbox.title,
    <>
      {view.done !== undefined && (
        <p class="notice" role="status">
          {t.inbox.done(view.done)}
        </p>
      )}
      {view.problem && (
        <p class="problem" role="alert">
          {ownText(t.problems, view.problem) ?? t.inbox.nothingSelected}
        </p>
      )}
      {empty ? (
        <p>{t.inbox.empty}</p>
      ) : (
        <form method="post" action="/desk">
          <Csrf token={frame.csrf} />
          {view.comments.length > 0 && (
            <section aria-labelledby="held-comments">
              <h2 id="held-comments">
                {t.inbox.comments} ({view.comments.length})
              </h2>
              {view.comments.map((comment) => (
                <article class="card" key={comment.id} aria-labelledby={`c-${comment.id}`}>
                  <p class="meta" id={`c-${comment.id}`}>
                    <input
                      type="checkbox"
                      name="sel"
                      value={`comment:${comment.id}`}
                      id={`sel-c-${comment.id}`}
                      aria-label={`${t.inbox.select}: ${comment.name}`}
                    />{' '}
                    <strong>{comment.name}</strong> {t.inbox.on} {comment.pageTitle || comment.page} ·{' '}
                    {time(comment.createdAt)}
                  </p>
                  <p class="meta">
                    {t.inbox.held}{' '}
                    {comment.holdReasons?.length
                      ? comment.holdReasons.map((reason) => ownText(reasons, reason) ?? reason).join(', ')
                      : t.inbox.firstTime}
                  </p>
                  <p class="text">{comment.text}</p>
                  <div class="actions">
                    {COMMENT_ACTIONS.map((action) => (
                      <button type="submit" name="do" value={`${action}:comment:${comment.id}`} key={action}>
                        {t.actions[action]}
                      </button>
                    ))}
                  </div>
                </article>
              ))}
            </section>
          )}
          {view.wishes.length > 0 && (
            <section aria-labelledby="new-wishes">
              <h2 id="new-wishes">
                {t.inbox.wishes} ({view.wishes.length})
              </h2>
              {view.wishes.map((wish) => (
                <article class="card" key={wish.id} aria-labelledby={`w-${wish.id}`}>
                  <p class="meta" id={`w-${wish.id}`}>
                    <input
                      type="checkbox"
                      name="sel"
                      value={`wish:${wish.id}`}
                      aria-label={`${t.inbox.select}: ${wish.topic}`}
                    />{' '}
                    <strong>{wish.topic}</strong>
                    {wish.requesterName ? ` · ${t.inbox.from} ${wish.requesterName}` : ''} ·{' '}
                    {time(wish.createdAt)}
                  </p>
                  {wish.holdReasons?.length ? (
                    <p class="meta">
                      {t.inbox.held}{' '}
                      {wish.holdReasons.map((reason) => ownText(reasons, reason) ?? reason).join(', ')}
                    </p>
                  ) : null}
                  {wish.details && <p class="text">{wish.details}</p>}
                  <div class="actions">
                    {WISH_ACTIONS.map((action) => (
                      <button type="submit" name="do" value={`${action}:wish:${wish.id}`} key={action}>
                        {t.actions[action]}
                      </button>
                    ))}
                  </div>
                </article>
              ))}
            </section>
          )}
          <fieldset class="bulk actions">
            <legend>{t.inbox.selected}</legend>
            {[...COMMENT_ACTIONS, 'accept', 'decline'].map((action) => (
              <button type="submit" name="do" value={`${action}:selected`} key={action}>
                {t.actions[action]}
              </button>
            ))}
          </fieldset>
        </form>
      )}
    </>,
  );
}
