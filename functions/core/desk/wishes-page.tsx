/**
 * Wünsche: the whole board by status, one tab each (one Query on the moderation index per tab).
 * Each wish carries the buttons that fit its status; "written" asks for the article's address,
 * "merge" for the wish it duplicates. Works without JavaScript.
 */

import { ownText } from '../own-text';
import { Csrf, formatDeskTime, type PageFrame, renderDeskPage } from './layout';
import { DESK_TEXTS } from './texts';

export const DESK_WISH_TABS = [
  'new',
  'accepted',
  'planned',
  'written',
  'declined',
  'spam',
  'merged',
] as const;
export type DeskWishTab = (typeof DESK_WISH_TABS)[number];

export interface DeskWish {
  id: string;
  topic: string;
  details?: string;
  publicName?: string;
  requesterName?: string;
  votes: number;
  createdAt: string;
  articleUrl?: string;
  mergedInto?: string;
}

export interface WishesView {
  tab: DeskWishTab;
  wishes: DeskWish[];
  timeZone: string;
  /** The open wishes a duplicate may be merged into (accepted and planned, by title). */
  mergeTargets: { id: string; topic: string }[];
  done?: boolean;
  problem?: string;
  /** The blog's origins, named when an article address is not on one of them. */
  allowedOrigins: readonly string[];
}

/** Which buttons a wish shows in each status (the use case checks again). */
const ACTIONS: Record<DeskWishTab, readonly string[]> = {
  new: ['accept', 'plan', 'decline', 'spam'],
  accepted: ['plan', 'decline', 'spam'],
  planned: [],
  written: [],
  declined: ['accept', 'spam'],
  spam: ['accept'],
  merged: [],
};

export function renderWishesPage(frame: PageFrame & { csrf: string }, view: WishesView): string {
  const t = DESK_TEXTS[frame.lang];
  const time = (iso: string) => formatDeskTime(iso, frame.lang, view.timeZone);
  const canWrite = view.tab === 'new' || view.tab === 'accepted' || view.tab === 'planned';
  const canMerge = view.tab === 'new' || view.tab === 'accepted';
  const problem = view.problem
    ? (ownText(t.problems, view.problem) ?? t.problems.invalid_input!).replace(
        '{origins}',
        view.allowedOrigins.join(', '),
      )
    : undefined;
  return renderDeskPage(
    { ...frame, section: 'wishes', path: `/desk/wishes?status=${view.tab}` },
    t.wishes.title,
    <>
      <ul class="tabs">
        {DESK_WISH_TABS.map((tab) => (
          <li key={tab}>
            <a href={`/desk/wishes?status=${tab}`} aria-current={tab === view.tab ? 'page' : undefined}>
              {t.wishes.statuses[tab]}
            </a>
          </li>
        ))}
      </ul>
      {view.done && (
        <p class="notice" role="status">
          {t.wishes.done}
        </p>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {view.tab === 'new' && (
        <details class="card">
          <summary>{t.wishes.byHand}</summary>
          <form method="post" action="/desk/wishes/new">
            <Csrf token={frame.csrf} />
            <label for="hand-topic">{t.wishes.handTopic}</label>
            <input id="hand-topic" name="topic" required maxLength={200} />
            <label for="hand-name">{t.wishes.handName}</label>
            <input id="hand-name" name="name" maxLength={80} />
            <label for="hand-link">{t.wishes.addLink}</label>
            <input id="hand-link" name="link" type="url" maxLength={300} placeholder="https://" />
            <label for="hand-email">{t.wishes.handEmail}</label>
            <input id="hand-email" name="email" type="email" />
            <div class="actions">
              <button type="submit">{t.wishes.handSave}</button>
            </div>
          </form>
        </details>
      )}
      {view.wishes.length === 0 && <p>{t.wishes.empty}</p>}
      {view.wishes.map((wish) => (
        <article class="card" key={wish.id} aria-labelledby={`w-${wish.id}`}>
          <h2 id={`w-${wish.id}`}>{wish.topic}</h2>
          <p class="meta">
            {t.wishes.votes(wish.votes)} · {time(wish.createdAt)}
            {wish.requesterName ? ` · ${t.inbox.from} ${wish.requesterName}` : ''}
            {wish.requesterName && !wish.publicName ? ` (${t.wishes.hidden})` : ''}
          </p>
          {wish.details && <p class="text">{wish.details}</p>}
          {wish.articleUrl && (
            <p>
              {t.wishes.article}: <a href={safeHttpUrl(wish.articleUrl)}>{wish.articleUrl}</a>
            </p>
          )}
          <form method="post" action="/desk/wishes">
            <Csrf token={frame.csrf} />
            <input type="hidden" name="id" value={wish.id} />
            <input type="hidden" name="status" value={view.tab} />
            {ACTIONS[view.tab].length > 0 && (
              <div class="actions">
                {ACTIONS[view.tab].map((action) => (
                  <button type="submit" name="do" value={action} key={action}>
                    {t.actions[action]}
                  </button>
                ))}
              </div>
            )}
            {view.tab === 'new' && (
              <>
                <label for={`topic-${wish.id}`}>{t.wishes.title_}</label>
                <input id={`topic-${wish.id}`} name="topic" value={wish.topic} maxLength={200} />
                <div class="actions">
                  <button type="submit" name="do" value="retitle">
                    {t.wishes.retitle}
                  </button>
                </div>
              </>
            )}
            {canWrite && (
              <>
                <label for={`url-${wish.id}`}>{t.wishes.articleUrl}</label>
                <input id={`url-${wish.id}`} name="articleUrl" type="url" inputmode="url" />
                <div class="actions">
                  <button type="submit" name="do" value="written">
                    {t.wishes.markWritten}
                  </button>
                </div>
              </>
            )}
            {canMerge && view.mergeTargets.some((target) => target.id !== wish.id) && (
              <>
                <label for={`merge-${wish.id}`}>{t.wishes.mergeInto}</label>
                <select id={`merge-${wish.id}`} name="into">
                  {view.mergeTargets
                    .filter((target) => target.id !== wish.id)
                    .map((target) => (
                      <option value={target.id} key={target.id}>
                        {target.topic}
                      </option>
                    ))}
                </select>
                <div class="actions">
                  <button type="submit" name="do" value="merge">
                    {t.wishes.merge}
                  </button>
                </div>
              </>
            )}
          </form>
        </article>
      ))}
    </>,
  );
}

/** A link only to an http(s) address; anything else becomes an inert `#`. */
function safeHttpUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}
