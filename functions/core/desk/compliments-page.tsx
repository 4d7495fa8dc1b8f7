/**
 * Komplimente: her private collection (starred comments and entries by hand), newest first, a page
 * at a time, searchable by word; the form to enter one by hand; and the page to edit one.
 */
import { fieldText } from '../messages';
import { ownText } from '../own-text';
import { Csrf, formatDeskTime, type PageFrame, renderDeskPage } from './layout';
import { DESK_TEXTS } from './texts';

export interface ComplimentEntryView {
  kind: 'comment' | 'hand';
  id: string;
  text: string;
  name: string;
  source: string;
  complimentedAt: string;
  public: boolean;
  page?: string;
  pageTitle?: string;
}

/** What she typed into the hand form, shown again with the fields that need a change. */
export interface HandFormView {
  values: { text?: string; from?: string; source?: string; date?: string; public?: string };
  fields?: { field: string; code: string }[];
}

export interface ComplimentsView {
  entries: ComplimentEntryView[];
  search: string;
  cursor?: string;
  timeZone: string;
  done?: string;
  problem?: string;
  /** A link parameter that was refused (the field named). */
  badField?: { field: string; code: string };
  form?: HandFormView;
}

type Frame = PageFrame & { csrf: string };

export function complimentsHref(search: string, cursor?: string): string {
  const query = new URLSearchParams();
  if (search) query.set('q', search);
  if (cursor) query.set('after', cursor);
  const text = query.toString();
  return `/desk/compliments${text ? `?${text}` : ''}`;
}

/** The day in the blog's time zone, as a date field wants it (YYYY-MM-DD). */
export function dayOf(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleDateString('en-CA', { timeZone });
}

function Source({ source }: { source: string }) {
  // An address becomes a link; anything else ("per Mail") stays text.
  return /^https?:\/\/\S+$/i.test(source) ? (
    <a href={source} rel="noopener noreferrer">
      {source}
    </a>
  ) : (
    source
  );
}

function Entry({ entry, frame, view }: { entry: ComplimentEntryView; frame: Frame; view: ComplimentsView }) {
  const t = DESK_TEXTS[frame.lang].compliments;
  const headingId = `k-${entry.id}`;
  return (
    <article class="card" aria-labelledby={headingId}>
      <p class="meta" id={headingId}>
        <span class={entry.public ? 'badge public' : 'badge'}>{entry.public ? t.public : t.private}</span>{' '}
        {entry.name && (
          <>
            {t.from} <strong>{entry.name}</strong> ·{' '}
          </>
        )}
        {formatDeskTime(entry.complimentedAt, frame.lang, view.timeZone)}
      </p>
      <blockquote class="text">{entry.text}</blockquote>
      <p class="meta">
        {entry.kind === 'comment' ? (
          <>
            {t.comment} {t.on} {entry.pageTitle || entry.page} ·{' '}
            <a href={`/desk/comments/${entry.id}`}>{t.openComment}</a>
          </>
        ) : (
          <>
            {t.byHand}
            {entry.source && (
              <>
                {' · '}
                <Source source={entry.source} />
              </>
            )}
          </>
        )}
      </p>
      <form method="post" action={`/desk/compliments/${entry.id}`} class="actions">
        <Csrf token={frame.csrf} />
        <input type="hidden" name="kind" value={entry.kind} />
        <input type="hidden" name="q" value={view.search} />
        <button type="submit" name="do" value={entry.public ? 'private' : 'public'}>
          {entry.public ? t.makePrivate : t.makePublic}
        </button>
        {entry.kind === 'comment' ? (
          <button type="submit" name="do" value="unstar">
            {t.unstar}
          </button>
        ) : (
          <>
            <a class="button" href={`/desk/compliments/${entry.id}`}>
              {t.edit}
            </a>
            <button type="submit" name="do" value="delete">
              {t.delete}
            </button>
          </>
        )}
      </form>
    </article>
  );
}

/** The fields of a hand entry; a field with a problem says so next to it. */
function HandFields({ frame, form }: { frame: Frame; form?: HandFormView }) {
  const t = DESK_TEXTS[frame.lang].compliments;
  const problem = (field: string) => form?.fields?.find((entry) => entry.field === field);
  const described = (field: string) =>
    problem(field) ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${field}-problem` } : {};
  const Problem = ({ field }: { field: string }) => {
    const found = problem(field);
    return found ? (
      <p class="field-problem" id={`${field}-problem`}>
        {t.fields[field] ?? field}: {fieldText(found.code, frame.lang)}
      </p>
    ) : null;
  };
  const values = form?.values ?? {};
  return (
    <>
      <label for="k-text">{t.text}</label>
      <textarea id="k-text" name="text" rows={5} required {...described('text')}>
        {values.text ?? ''}
      </textarea>
      <Problem field="text" />
      <label for="k-from">{t.fromLabel}</label>
      <input id="k-from" name="from" value={values.from ?? ''} {...described('from')} />
      <Problem field="from" />
      <label for="k-source">{t.source}</label>
      <input id="k-source" name="source" value={values.source ?? ''} {...described('source')} />
      <Problem field="source" />
      <label for="k-date">{t.date}</label>
      <input id="k-date" name="date" type="date" value={values.date ?? ''} {...described('date')} />
      <Problem field="date" />
    </>
  );
}

export function renderComplimentsPage(frame: Frame, view: ComplimentsView): string {
  const t = DESK_TEXTS[frame.lang].compliments;
  const formHasProblem = (view.form?.fields?.length ?? 0) > 0;
  return renderDeskPage(
    { ...frame, section: 'compliments', path: complimentsHref(view.search) },
    t.title,
    <>
      <p>{t.intro}</p>
      {ownText(t.done, view.done) && (
        <p class="notice" role="status">
          {ownText(t.done, view.done)}
        </p>
      )}
      {view.problem && (
        <p class="problem" role="alert">
          {ownText(t.problems, view.problem) ?? t.problems.not_found}
        </p>
      )}
      {view.badField && (
        <p class="problem" role="alert">
          {t.fields[view.badField.field] ?? view.badField.field}: {fieldText(view.badField.code, frame.lang)}
        </p>
      )}
      <details class="card" open={formHasProblem || undefined}>
        <summary>{t.addTitle}</summary>
        <form method="post" action="/desk/compliments">
          <Csrf token={frame.csrf} />
          <HandFields frame={frame} form={view.form} />
          <p>
            <input
              type="checkbox"
              id="k-public"
              name="public"
              value="1"
              checked={view.form?.values.public === '1'}
            />{' '}
            <label class="inline" for="k-public">
              {t.makePublicLabel}
            </label>
          </p>
          <div class="actions">
            <button type="submit" class="primary">
              {t.add}
            </button>
          </div>
        </form>
      </details>
      <search>
        <form method="get" action="/desk/compliments" class="filter">
          <label for="k-search">{t.search}</label>
          <input id="k-search" name="q" type="search" value={view.search} />
          <div class="actions">
            <button type="submit">{t.searchButton}</button>
            {view.search && (
              <a class="button" href="/desk/compliments">
                {t.showAll}
              </a>
            )}
          </div>
        </form>
      </search>
      {view.search && <h2>{t.searching(view.search)}</h2>}
      {view.entries.length === 0 && !view.cursor && <p>{view.search ? t.noMatch : t.empty}</p>}
      {view.entries.map((entry) => (
        <Entry entry={entry} frame={frame} view={view} key={`${entry.kind}-${entry.id}`} />
      ))}
      {view.cursor && (
        <p>
          <a href={complimentsHref(view.search, view.cursor)} rel="next">
            {view.search ? t.searchOn : t.older}
          </a>
        </p>
      )}
    </>,
  );
}

/** One hand entry to edit. */
export function renderComplimentEditPage(
  frame: Frame,
  view: { id: string; form: HandFormView; timeZone: string },
): string {
  const t = DESK_TEXTS[frame.lang].compliments;
  return renderDeskPage(
    { ...frame, section: 'compliments', path: `/desk/compliments/${view.id}` },
    t.editTitle,
    <>
      <p>
        <a href="/desk/compliments">{t.back}</a>
      </p>
      <form method="post" action={`/desk/compliments/${view.id}`}>
        <Csrf token={frame.csrf} />
        <input type="hidden" name="kind" value="hand" />
        <HandFields frame={frame} form={view.form} />
        <div class="actions">
          <button type="submit" name="do" value="edit" class="primary">
            {t.save}
          </button>
        </div>
      </form>
    </>,
  );
}

/** The fields of a stored hand entry, as the edit form shows them. */
export function handFormValues(
  entry: { text: string; name: string; source: string; complimentedAt: string },
  timeZone: string,
): HandFormView['values'] {
  return {
    text: entry.text,
    from: entry.name,
    source: entry.source,
    date: dayOf(entry.complimentedAt, timeZone),
  };
}
