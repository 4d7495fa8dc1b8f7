/**
 * Leser:innen-Daten: everything stored for one address (DSGVO Art. 15, 17, 20), found by the
 * address's lookup hash only. The address travels in form bodies, never in a link: a URL lands in
 * logs and histories. Erasing asks for a ticked box first; the page then shows what was taken out.
 */

import { ownText } from '../own-text';
import { Csrf, formatDeskTime, type PageFrame, renderDeskPage } from './layout';
import { DESK_TEXTS } from './texts';

/** What the page shows of a reader's export (the use case's export fits it; core stays pure). */
export interface ReaderData {
  comments: {
    id: string;
    page: string;
    name: string | null;
    text: string | null;
    status: string;
    createdAt: string;
  }[];
  wishes: { id: string; topic: string; requesterName: string | null; votes: number; createdAt: string }[];
  votes: unknown[];
  subscriptions: { scope: string; target: string | null; createdAt: string | null }[];
  trustedSince: string | null;
}

export type ErasureSummary = Record<
  | 'commentsRemoved'
  | 'commentsKeptAsPlaceholders'
  | 'wishesAnonymised'
  | 'votesAnonymised'
  | 'subscriptionsRemoved'
  | 'confirmationsRemoved'
  | 'otherRemoved',
  number
>;

export interface ReadersView {
  email?: string;
  data?: ReaderData;
  erased?: ErasureSummary;
  timeZone: string;
  problem?: 'invalid_email' | 'confirm_needed';
}

export function renderReadersPage(frame: PageFrame & { csrf: string }, view: ReadersView): string {
  const t = DESK_TEXTS[frame.lang].readers;
  const time = (iso: string | null) => formatDeskTime(iso ?? undefined, frame.lang, view.timeZone);
  const data = view.data;
  return renderDeskPage(
    { ...frame, section: 'readers', path: '/desk/readers' },
    t.title,
    <>
      {view.problem && (
        <p class="problem" role="alert">
          {ownText(t.problems, view.problem)}
        </p>
      )}
      {view.erased && <Erased lang={frame.lang} summary={view.erased} />}
      <p>{t.intro}</p>
      <form method="post" action="/desk/readers">
        <Csrf token={frame.csrf} />
        <label for="reader-email">{t.email}</label>
        <input
          id="reader-email"
          name="email"
          type="email"
          value={view.email ?? ''}
          required
          maxLength={254}
        />
        <div class="actions">
          <button type="submit" name="do" value="lookup">
            {t.lookup}
          </button>
        </div>
      </form>
      {data && view.email && (
        <section aria-labelledby="found">
          <h2 id="found">{t.found}</h2>
          <ul>
            <li>{t.counts.comments(data.comments.length)}</li>
            <li>{t.counts.wishes(data.wishes.length)}</li>
            <li>{t.counts.votes(data.votes.length)}</li>
            <li>{t.counts.subscriptions(data.subscriptions.length)}</li>
            <li>{data.trustedSince ? `${t.trustedSince} ${time(data.trustedSince)}` : t.notTrusted}</li>
          </ul>
          {data.comments.length > 0 && <h3>{t.comments}</h3>}
          {data.comments.map((comment) => (
            <div class="card reader-comment" key={comment.id}>
              <p class="meta">
                {comment.page} · {time(comment.createdAt)} · {t.statuses[comment.status] ?? comment.status}
                {comment.name ? ` · ${comment.name}` : ''}
              </p>
              <p class="text">{comment.text ?? ''}</p>
            </div>
          ))}
          {data.wishes.length > 0 && <h3>{t.wishes}</h3>}
          {data.wishes.map((wish) => (
            <div class="card reader-wish" key={wish.id}>
              <p class="meta">
                {time(wish.createdAt)} · {wish.requesterName ?? ''} · {t.votes(wish.votes)}
              </p>
              <p class="text">{wish.topic}</p>
            </div>
          ))}
          {data.subscriptions.length > 0 && <h3>{t.subscriptions}</h3>}
          {data.subscriptions.length > 0 && (
            <ul>
              {data.subscriptions.map((subscription) => (
                <li class="reader-subscription" key={`${subscription.scope}${subscription.target ?? ''}`}>
                  {subscription.target ?? subscription.scope} · {time(subscription.createdAt)}
                </li>
              ))}
            </ul>
          )}
          <form method="post" action="/desk/readers">
            <Csrf token={frame.csrf} />
            <input type="hidden" name="email" value={view.email} />
            <button type="submit" name="do" value="download">
              {t.download}
            </button>
          </form>
          <form method="post" action="/desk/readers">
            <Csrf token={frame.csrf} />
            <input type="hidden" name="email" value={view.email} />
            <h3>{t.eraseTitle}</h3>
            <p>{t.eraseExplain}</p>
            <p>
              <input id="reader-confirm" type="checkbox" name="confirm" value="1" required />{' '}
              <label class="inline" for="reader-confirm">
                {t.confirm}
              </label>
            </p>
            <div class="actions">
              <button type="submit" name="do" value="erase">
                {t.erase}
              </button>
            </div>
          </form>
        </section>
      )}
    </>,
  );
}

function Erased({ lang, summary }: { lang: PageFrame['lang']; summary: ErasureSummary }) {
  const t = DESK_TEXTS[lang].readers;
  return (
    <div class="notice" role="status">
      <p>{t.erased}</p>
      <ul>
        {(Object.keys(t.erasedCounts) as (keyof ErasureSummary)[]).map((key) => (
          <li key={key}>
            {t.erasedCounts[key]}: {summary[key]}
          </li>
        ))}
      </ul>
    </div>
  );
}
