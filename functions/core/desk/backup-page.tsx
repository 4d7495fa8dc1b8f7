/**
 * Sicherung / Backup: download everything as one file (addresses only with the ticked box and its
 * warning), and check or restore an uploaded backup into an empty stack. Pure: the handler passes
 * the results in.
 */
import type { RestorePlan } from '../backup';
import { LIMITS } from '../limits';
import { BACKUP_TEXTS, backupProblemText } from './backup-texts';
import { Csrf, formatDeskTime, type PageFrame, renderDeskPage } from './layout';

/** What a check found, and after a restore what was written (the use case's summary fits it). */
export type BackupResult = RestorePlan & { written?: number; present?: number };

/** Refusals for size, and the command line that has no such limit. */
const CLI_COMMANDS: Record<string, string> = {
  too_large: 'restore',
  too_many_items: 'restore',
  export_too_large: 'export',
  too_many_emails: 'export --emails',
};

export interface BackupView {
  timeZone: string;
  checked?: BackupResult;
  restored?: BackupResult;
  problem?: { field: string; code: string };
}

export function renderBackupPage(frame: PageFrame & { csrf: string }, view: BackupView): string {
  const t = BACKUP_TEXTS[frame.lang];
  const result = view.restored ?? view.checked;
  const s = t.summary;
  return renderDeskPage(
    { ...frame, section: 'backup', path: '/desk/backup' },
    t.title,
    <>
      {view.problem && (
        <p class="problem" role="alert">
          {backupProblemText(frame.lang, view.problem)}
          {CLI_COMMANDS[view.problem.code] && (
            <>
              {' '}
              {t.cliHint} <code>npm run admin -- {CLI_COMMANDS[view.problem.code]}</code>
            </>
          )}
        </p>
      )}
      {view.checked?.foreign && (
        <p class="problem" role="alert">
          {t.problems.stack_not_empty_check}
        </p>
      )}
      {result && (
        <div class="notice" role="status">
          <p>{view.restored ? t.restored : t.checked}</p>
          <ul>
            <li>{s.comments(result.comments)}</li>
            <li>{s.wishes(result.wishes)}</li>
            <li>{s.votes(result.votes)}</li>
            <li>{s.compliments(result.compliments)}</li>
            <li>{result.withEmails ? s.withEmails : s.withoutEmails}</li>
            <li>
              {s.exportedAt} {formatDeskTime(result.exportedAt, frame.lang, view.timeZone)}
            </li>
            {result.alreadyHere > 0 && <li>{s.alreadyHere(result.alreadyHere)}</li>}
            {result.written !== undefined && <li>{s.written(result.written)}</li>}
            {result.present ? <li>{s.present(result.present)}</li> : null}
          </ul>
        </div>
      )}
      <section aria-labelledby="backup-download">
        <h2 id="backup-download">{t.downloadTitle}</h2>
        <p>{t.downloadIntro}</p>
        <form method="post" action="/desk/backup">
          <Csrf token={frame.csrf} />
          <p>
            <input
              id="backup-emails"
              type="checkbox"
              name="emails"
              value="1"
              aria-describedby="backup-emails-warning"
            />{' '}
            <label class="inline" for="backup-emails">
              {t.withEmails}
            </label>
          </p>
          <p id="backup-emails-warning" class="problem">
            {t.emailWarning}
          </p>
          <div class="actions">
            <button type="submit" class="primary" name="do" value="download">
              {t.download}
            </button>
          </div>
        </form>
      </section>
      <section aria-labelledby="backup-restore">
        <h2 id="backup-restore">{t.restoreTitle}</h2>
        <p>{t.restoreIntro}</p>
        <p>
          {t.restoreLimits(Math.floor(LIMITS.backup.uploadBytes / 1_000_000), LIMITS.backup.deskRestoreItems)}
          <code>npm run admin -- restore leserpost-backup.json</code>
        </p>
        <form method="post" action="/desk/backup/restore" enctype="multipart/form-data">
          <Csrf token={frame.csrf} />
          <label for="backup-file">{t.file}</label>
          <input
            id="backup-file"
            type="file"
            name="file"
            accept=".json,.gz,application/json,application/gzip"
            required
          />
          <div class="actions">
            <button type="submit" name="do" value="check">
              {t.check}
            </button>
            <button type="submit" class="primary" name="do" value="restore">
              {t.restore}
            </button>
          </div>
        </form>
        <p>{t.siteNote}</p>
      </section>
    </>,
  );
}
