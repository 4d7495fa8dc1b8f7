/**
 * Kommentare: every comment of one status (approved, pending, spam), newest first, optionally of
 * one page, a page of the list at a time; and one comment opened with the thread above it.
 */

import { ownText } from '../own-text';
import { Csrf, formatDeskTime, type PageFrame, renderDeskPage } from './layout';
import { PasskeySection } from './passkeys-section';
import { DESK_TEXTS } from './texts';
import { WaitingMailsSection, type WaitingMailsView } from './waiting-mails-section';

export const DESK_COMMENT_TABS = ['approved', 'pending', 'spam'] as const;
export type DeskCommentTab = (typeof DESK_COMMENT_TABS)[number];

export interface DeskCommentView {
  id: string;
  page: string;
  pageTitle?: string;
  name: string;
  text: string;
  createdAt: string;
  status: string;
  parentId: string | null;
  /** Starred into her compliment collection. */
  compliment?: boolean;
}

export interface CommentListView {
  tab: DeskCommentTab;
  /** The page the list is narrowed to, if any. */
  page?: string;
  comments: DeskCommentView[];
  /** Continues the list (the next, older comments); absent at the end. */
  cursor?: string;
  timeZone: string;
}

/** A link to a list, keeping the filter; every value is encoded, the page path included. */
export function commentListHref(tab: DeskCommentTab, page?: string, cursor?: string): string {
  const query = new URLSearchParams({ status: tab });
  if (page) query.set('page', page);
  if (cursor) query.set('after', cursor);
  return `/desk/comments?${query.toString()}`;
}

function CommentCard({
  comment,
  lang,
  timeZone,
}: {
  comment: DeskCommentView;
  lang: PageFrame['lang'];
  timeZone: string;
}) {
  const t = DESK_TEXTS[lang];
  return (
    <article class="card" aria-labelledby={`c-${comment.id}`}>
      <p class="meta" id={`c-${comment.id}`}>
        <strong>{comment.name}</strong> {t.inbox.on} {comment.pageTitle || comment.page} ·{' '}
        {formatDeskTime(comment.createdAt, lang, timeZone)} ·{' '}
        {t.comments.statuses[comment.status] ?? comment.status}
      </p>
      <p class="text">{comment.text}</p>
      <p>
        <a href={`/desk/comments/${comment.id}`}>{t.comments.open}</a>
      </p>
    </article>
  );
}

export function renderCommentsPage(frame: PageFrame & { csrf: string }, view: CommentListView): string {
  const t = DESK_TEXTS[frame.lang];
  return renderDeskPage(
    { ...frame, section: 'comments', path: commentListHref(view.tab, view.page) },
    t.comments.title,
    <>
      <ul class="tabs">
        {DESK_COMMENT_TABS.map((tab) => (
          <li key={tab}>
            <a href={commentListHref(tab, view.page)} aria-current={tab === view.tab ? 'page' : undefined}>
              {t.comments.statuses[tab]}
            </a>
          </li>
        ))}
      </ul>
      <form method="get" action="/desk/comments" class="filter">
        <input type="hidden" name="status" value={view.tab} />
        <label for="page-filter">{t.comments.pageFilter}</label>
        <input id="page-filter" name="page" value={view.page ?? ''} />
        <div class="actions">
          <button type="submit">{t.comments.filter}</button>
        </div>
      </form>
      {view.comments.length === 0 && <p>{t.comments.empty}</p>}
      {view.comments.map((comment) => (
        <CommentCard comment={comment} lang={frame.lang} timeZone={view.timeZone} key={comment.id} />
      ))}
      {view.cursor && (
        <p>
          <a href={commentListHref(view.tab, view.page, view.cursor)} rel="next">
            {t.comments.older}
          </a>
        </p>
      )}
    </>,
  );
}

/** One comment, with the comments it answers above it and the replies under it (oldest first). */
export function renderCommentThreadPage(
  frame: PageFrame & { csrf: string },
  view: {
    comment: DeskCommentView;
    ancestors: DeskCommentView[];
    /** Its direct replies, visible and waiting, oldest first. */
    replies: DeskCommentView[];
    timeZone: string;
    done?: boolean;
    problem?: string;
    /** What a star action did (compliments texts `done`/`problems`). */
    compliment?: string;
  },
): string {
  const t = DESK_TEXTS[frame.lang];
  return renderDeskPage(
    { ...frame, section: 'comments', path: `/desk/comments/${view.comment.id}` },
    t.comments.thread,
    <>
      <p>
        <a
          href={commentListHref(
            DESK_COMMENT_TABS.includes(view.comment.status as DeskCommentTab)
              ? (view.comment.status as DeskCommentTab)
              : 'approved',
            view.comment.page,
          )}
        >
          {t.comments.backToList}
        </a>
      </p>
      {view.ancestors.length > 0 && (
        <section aria-labelledby="answers-to">
          <h2 id="answers-to">{t.comments.inReplyTo}</h2>
          {view.ancestors.map((comment) => (
            <CommentCard comment={comment} lang={frame.lang} timeZone={view.timeZone} key={comment.id} />
          ))}
        </section>
      )}
      <section aria-labelledby="this-comment">
        <h2 id="this-comment">{t.comments.thisComment}</h2>
        <CommentCard comment={view.comment} lang={frame.lang} timeZone={view.timeZone} />
      </section>
      <section aria-labelledby="replies">
        <h2 id="replies">{t.comments.replies}</h2>
        {view.replies.length === 0 && <p class="meta">{t.comments.noReplies}</p>}
        {view.replies.map((comment) => (
          <CommentCard comment={comment} lang={frame.lang} timeZone={view.timeZone} key={comment.id} />
        ))}
      </section>
      {view.done && (
        <p class="notice" role="status">
          {t.comments.replied}
        </p>
      )}
      {view.problem && (
        <p class="problem" role="alert">
          {ownText(t.comments.problems, view.problem) ?? t.comments.problems.invalid_text}
        </p>
      )}
      {view.comment.status === 'approved' && (
        <StarForm comment={view.comment} frame={frame} said={view.compliment} />
      )}
      {view.comment.status === 'approved' && (
        <form method="post" action={`/desk/comments/${view.comment.id}`} id="reply">
          <Csrf token={frame.csrf} />
          <label for="reply-text">{t.comments.replyLabel}</label>
          <textarea id="reply-text" name="text" rows={5} required />
          <div class="actions">
            <button type="submit">{t.comments.reply}</button>
          </div>
        </form>
      )}
    </>,
  );
}

/** Star or unstar an approved comment: into her compliment collection (private) or out of it. */
function StarForm({
  comment,
  frame,
  said,
}: {
  comment: DeskCommentView;
  frame: PageFrame & { csrf: string };
  said?: string;
}) {
  const t = DESK_TEXTS[frame.lang].compliments;
  const done = ownText(t.done, said);
  const problem = said && !done ? (ownText(t.problems, said) ?? t.problems.not_found) : undefined;
  return (
    <form method="post" action={`/desk/compliments/${comment.id}`} class="actions">
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {comment.compliment && <p class="meta">{t.starred}</p>}
      <Csrf token={frame.csrf} />
      <input type="hidden" name="kind" value="comment" />
      <input type="hidden" name="back" value="comment" />
      <button type="submit" name="do" value={comment.compliment ? 'unstar' : 'star'}>
        {comment.compliment ? t.unstar : t.star}
      </button>
    </form>
  );
}

/** Einstellungen: the label beside her replies. */
export function renderSettingsPage(
  frame: PageFrame & { csrf: string },
  view: {
    authorLabel: string;
    done?: boolean;
    problem?: 'label_too_long';
    /** Her passkeys (absent where passkeys cannot work: a desk on an IP address). */
    passkeys?: Omit<Parameters<typeof PasskeySection>[0], 'lang' | 'csrf'>;
    /** The failed mails kept for resending, and "Resend now". */
    waitingMails?: WaitingMailsView;
  },
): string {
  const t = DESK_TEXTS[frame.lang];
  return renderDeskPage(
    { ...frame, section: 'settings', path: '/desk/settings' },
    t.settings.title,
    <>
      {view.done && (
        <p class="notice" role="status">
          {t.settings.saved}
        </p>
      )}
      {view.problem && (
        <p class="problem" role="alert">
          {t.settings.tooLong}
        </p>
      )}
      <form method="post" action="/desk/settings">
        <Csrf token={frame.csrf} />
        <label for="author-label">{t.settings.authorLabel}</label>
        <input id="author-label" name="authorLabel" value={view.authorLabel} maxLength={40} />
        <p class="meta">{t.settings.authorLabelHint}</p>
        <div class="actions">
          <button type="submit">{t.settings.save}</button>
        </div>
      </form>
      {view.waitingMails && (
        <WaitingMailsSection lang={frame.lang} csrf={frame.csrf} view={view.waitingMails} />
      )}
      {view.passkeys && <PasskeySection lang={frame.lang} csrf={frame.csrf} {...view.passkeys} />}
    </>,
  );
}
