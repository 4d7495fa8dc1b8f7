/**
 * Import: the upload form, then one page per import that shows its progress ("412 von 1.380")
 * while batches run, and the summary in sentences once it is done. GET only shows; every step is
 * a POST of the "continue" form (the desk script submits it by itself).
 */
import { LIMITS } from '../limits';
import { DESK_IMPORT_JS_FILE } from './import-script';
import { IMPORT_TEXTS } from './import-texts';
import { Csrf, type PageFrame, renderDeskPage } from './layout';

export type ImportRefusal =
  | { problem: 'file_missing' | 'inflated_too_large' | 'corrupt_gzip' }
  | { problem: 'wrong_kind' | 'no_comments'; kind: keyof (typeof IMPORT_TEXTS)['de']['kinds'] };

/** What the progress and summary page shows of a job (the store's job fits it; core stays pure). */
export interface ImportJobView {
  jobId: string;
  source: 'wordpress' | 'disqus';
  total: number;
  done: number;
  imported: number;
  alreadyPresent: number;
  placeholders: number;
  skipped: Record<string, number>;
  orphanReplies: number;
  droppedDeleted: number;
  pages: string[];
  pageCount: number;
  lost?: boolean;
}

type Frame = PageFrame & { csrf: string };

const Script = () => <script src={`/desk/assets/${DESK_IMPORT_JS_FILE}`} defer />;

export function renderImportPage(frame: Frame, refusal?: ImportRefusal): string {
  const t = IMPORT_TEXTS[frame.lang];
  return renderDeskPage(
    { ...frame, section: 'import', path: '/desk/import' },
    t.title,
    <>
      {refusal && <Refused lang={frame.lang} refusal={refusal} />}
      <p>{t.intro}</p>
      <ul>
        <li>{t.howWordPress}</li>
        <li>{t.howDisqus}</li>
      </ul>
      <p>{t.sizes}</p>
      <form
        method="post"
        action="/desk/import"
        enctype="multipart/form-data"
        data-import-upload=""
        data-max-bytes={String(LIMITS.import.uploadBytes)}
        data-max-inflated={String(LIMITS.import.inflatedBytes)}
        data-compressing={t.compressing}
        data-too-large={t.tooLargeForBrowser}
      >
        <Csrf token={frame.csrf} />
        <label for="import-file">{t.file}</label>
        <input
          id="import-file"
          name="file"
          type="file"
          required
          accept=".xml,.gz,.xml.gz,application/xml,text/xml,application/gzip"
        />
        <p id="import-status" role="status" />
        <div class="actions">
          <button type="submit" class="primary">
            {t.upload}
          </button>
        </div>
      </form>
      <Script />
    </>,
  );
}

function Refused({ lang, refusal }: { lang: Frame['lang']; refusal: ImportRefusal }) {
  const t = IMPORT_TEXTS[lang].refused;
  const text =
    refusal.problem === 'wrong_kind'
      ? t.wrong_kind[refusal.kind]
      : refusal.problem === 'no_comments'
        ? t.no_comments(IMPORT_TEXTS[lang].kinds[refusal.kind])
        : t[refusal.problem];
  return (
    <p class="problem" role="alert">
      {text}
      {refusal.problem === 'wrong_kind' && refusal.kind === 'backup' && (
        <>
          {' '}
          <a href="/desk/backup">{t.backupLink}</a>
        </>
      )}
    </p>
  );
}

export function renderImportJobPage(frame: Frame, job: ImportJobView): string {
  const t = IMPORT_TEXTS[frame.lang];
  const finished = job.done >= job.total;
  const path = `/desk/import/${job.jobId}`;
  return renderDeskPage(
    { ...frame, section: 'import', path },
    finished ? t.doneTitle : t.progressTitle,
    <>
      <p>
        <progress id="import-progress" max={job.total || 1} value={finished ? job.total || 1 : job.done}>
          {t.of(job.done, job.total)}
        </progress>
      </p>
      <p class="import-count" role="status">
        {t.of(job.done, job.total)}
      </p>
      {job.lost ? (
        <p class="problem" role="alert">
          {t.lost}
        </p>
      ) : finished ? (
        <Summary lang={frame.lang} job={job} />
      ) : (
        <form method="post" action={path} data-continue="">
          <Csrf token={frame.csrf} />
          <input type="hidden" name="from" value={String(job.done)} />
          <p>{t.running}</p>
          <button type="submit" class="primary">
            {t.continue}
          </button>
        </form>
      )}
      <p class="actions">
        <a href="/desk/comments">{t.toComments}</a> <a href="/desk/import">{t.again}</a>
      </p>
      {!finished && !job.lost && <Script />}
    </>,
  );
}

function Summary({ lang, job }: { lang: Frame['lang']; job: ImportJobView }) {
  const t = IMPORT_TEXTS[lang].summary;
  const lines: string[] = [];
  if (job.imported || !job.alreadyPresent) lines.push(t.imported(job.imported));
  if (job.placeholders) lines.push(t.placeholders(job.placeholders));
  if (job.alreadyPresent) lines.push(t.alreadyPresent(job.alreadyPresent));
  if (job.orphanReplies) lines.push(t.orphanReplies(job.orphanReplies));
  if (job.droppedDeleted) lines.push(t.droppedDeleted(job.droppedDeleted));
  for (const [reason, count] of Object.entries(job.skipped)) {
    const sentence = t.skipped[reason as keyof typeof t.skipped];
    lines.push(sentence ? sentence(count) : t.otherSkipped(count));
  }
  const rest = job.pageCount - job.pages.length;
  return (
    <div class="notice import-summary">
      <p>{IMPORT_TEXTS[lang].source[job.source]}</p>
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {job.total === 0 && <p>{t.nothing}</p>}
      {job.pageCount > 0 && (
        <>
          <p>{t.pages(job.pageCount)}</p>
          <ul class="import-pages">
            {job.pages.map((page) => (
              <li key={page}>
                <a href={`/desk/comments?page=${encodeURIComponent(page)}`}>{page}</a>
              </li>
            ))}
            {rest > 0 && <li>{t.morePages(rest)}</li>}
          </ul>
        </>
      )}
    </div>
  );
}
