/**
 * The desk's import, in steps that each fit one request: the upload reads the file, recognises
 * what it is and stores the prepared comments as a job; every following request (the progress
 * page's "continue" form, which the desk's script submits by itself) writes the next batch.
 * A batch names where it starts, so a repeated request imports nothing twice.
 */
import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import { parseDisqus } from '../importers/disqus';
import { type ExportKind, unpackExport } from '../importers/export-file';
import { parseWordPress } from '../importers/wordpress';
import {
  advanceImportJob,
  type BatchCounts,
  deleteImportChunks,
  getImportChunk,
  getImportJob,
  type ImportJob,
  putImportJob,
} from '../store/import-jobs';
import type { ImportRecord } from '../store/imports';
import { planImport, writeImportRecords } from './import';

export type { ImportJob };

/** Why an upload is refused; `kind` says what the file is when it is not an export. */
export type UploadRefusal =
  | { problem: 'file_missing' | 'inflated_too_large' | 'corrupt_gzip' }
  | { problem: 'wrong_kind' | 'no_comments'; kind: ExportKind };

export type UploadResult = { ok: true; jobId: string } | ({ ok: false } & UploadRefusal);

export async function startImport(file: Buffer | undefined, now: Date): Promise<UploadResult> {
  if (!file || file.length === 0) return { ok: false, problem: 'file_missing' };
  const unpacked = unpackExport(file, LIMITS.import.inflatedBytes);
  if (!unpacked.ok) return { ok: false, problem: unpacked.problem };
  const { kind, text } = unpacked;
  if (kind !== 'wordpress' && kind !== 'disqus') return { ok: false, problem: 'wrong_kind', kind };
  const parsed = kind === 'wordpress' ? parseWordPress(text) : parseDisqus(text);
  const { records, summary } = await planImport(parsed);
  // Nothing to write (no comments, or only pingbacks and the like): said at once, no job stored.
  if (records.length === 0) return { ok: false, problem: 'no_comments', kind };
  const jobId = newId(now.getTime());
  const chunks = chunked(records);
  const chunkStarts: number[] = [];
  let start = 0;
  for (const chunk of chunks) {
    chunkStarts.push(start);
    start += chunk.length;
  }
  await putImportJob(
    {
      jobId,
      source: parsed.source,
      total: records.length,
      done: 0,
      chunkStarts,
      imported: 0,
      alreadyPresent: 0,
      placeholders: 0,
      skipped: summary.skipped,
      orphanReplies: summary.orphanReplies,
      droppedDeleted: summary.droppedDeleted,
      pages: summary.pages.slice(0, LIMITS.import.summaryPages),
      pageCount: summary.pages.length,
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + LIMITS.import.jobTtlSeconds,
    },
    chunks,
  );
  return { ok: true, jobId };
}

/** Records in chunks of at most LIMITS.import.chunkBytes of JSON each (a record is smaller, see planImport). */
function chunked(records: ImportRecord[]): ImportRecord[][] {
  const chunks: ImportRecord[][] = [];
  let current: ImportRecord[] = [];
  let bytes = 2;
  for (const record of records) {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (current.length > 0 && bytes + size > LIMITS.import.chunkBytes) {
      chunks.push(current);
      current = [];
      bytes = 2;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function loadImportJob(jobId: string): Promise<ImportJob | undefined> {
  return getImportJob(jobId);
}

/**
 * Writes the batch that starts at `from` (what the progress page showed). A request for a batch
 * that is already done, or that another request is writing, changes nothing: the job moves on
 * only from where it stood, and every comment's id is fixed by its source, so none is stored twice.
 */
export async function importNextBatch(
  jobId: string,
  from: number,
): Promise<(ImportJob & { lost?: boolean }) | undefined> {
  const job = await getImportJob(jobId);
  if (!job || from !== job.done || job.done >= job.total) return job;
  const chunk = chunkOf(job, from);
  const records = await getImportChunk(jobId, chunk);
  const offset = from - job.chunkStarts[chunk]!;
  const batch = records.slice(offset, offset + LIMITS.import.recordsPerBatch);
  const counts: BatchCounts = { imported: 0, alreadyPresent: 0, placeholders: 0 };
  await writeImportRecords(batch, counts);
  // Its chunk expired (a job left for days): nothing more can be written; the page says so.
  if (batch.length === 0) return { ...job, lost: true };
  const to = from + batch.length;
  if ((await advanceImportJob(jobId, from, to, counts)) && to >= job.total)
    await deleteImportChunks(jobId, job.chunkStarts.length);
  return getImportJob(jobId);
}

function chunkOf(job: ImportJob, record: number): number {
  let index = 0;
  while (index + 1 < job.chunkStarts.length && job.chunkStarts[index + 1]! <= record) index++;
  return index;
}
