/**
 * Brings comments over from WordPress or Disqus: parents before replies, dates and statuses kept,
 * emails sealed like any other, deleted comments kept only as placeholders where visible replies
 * hang on them. Safe to run twice.
 */
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import { LIMITS } from '../core/limits';
import { isVisible } from '../core/moderation';
import { normalisePage } from '../core/page';
import { isHttpUrl, toCleanLine } from '../core/text';
import type { ImportedComment, ParsedExport } from '../importers/types';
import { sealEmail } from '../runtime/email-keys';
import { lookupHashOf } from '../runtime/keys';
import { type ImportRecord, putImportedComment } from '../store/imports';

export interface ImportSummary {
  source: string;
  imported: number;
  alreadyPresent: number;
  placeholders: number;
  /** Replies whose parent is not in the export; they are kept as top-level comments. */
  orphanReplies: number;
  /** Deleted comments without visible replies: nothing of them is kept. */
  droppedDeleted: number;
  skipped: Record<string, number>;
  pages: string[];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID whose time is the comment's date and whose random part comes from its source id. */
export function importId(source: string, sourceId: string, createdAt: string): string {
  const digest = createHash('sha256').update(`${source}\u0000${sourceId}`).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! % 32];
  const time = Math.min(Math.max(Date.parse(createdAt) || 0, 0), 2 ** 48 - 1);
  return encodeTime(time, 10) + random;
}

/** What an import will write, in order (parents first), with what reading the file already counted. */
export interface ImportPlan {
  source: ParsedExport['source'];
  records: ImportRecord[];
  summary: ImportSummary;
}

export async function planImport(parsed: ParsedExport): Promise<ImportPlan> {
  const bySource = new Map(parsed.comments.map((comment) => [comment.sourceId, comment]));
  const hasVisibleReply = new Set(
    parsed.comments.filter((c) => isVisible(c.status) && c.parentSourceId).map((c) => c.parentSourceId!),
  );
  const kept = parsed.comments.filter((c) => c.status !== 'deleted' || hasVisibleReply.has(c.sourceId));
  const keptIds = new Set(kept.map((c) => c.sourceId));
  const summary: ImportSummary = {
    source: parsed.source,
    imported: 0,
    alreadyPresent: 0,
    placeholders: 0,
    orphanReplies: 0,
    droppedDeleted: parsed.comments.length - kept.length,
    skipped: {},
    pages: [],
  };
  const skip = (reason: string) => {
    summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
  };
  for (const entry of parsed.skipped) skip(entry.reason);
  const pages = new Set<string>();
  const planned = new Set<string>();
  const records: ImportRecord[] = [];
  for (const comment of byDepth(kept, bySource)) {
    // Only a parent written before its reply can be referenced (broken exports may hold cycles).
    const parent =
      comment.parentSourceId && keptIds.has(comment.parentSourceId) && planned.has(comment.parentSourceId)
        ? bySource.get(comment.parentSourceId)
        : undefined;
    const page = normalisePage(comment.pageUrl);
    const placeholder = comment.status === 'deleted';
    const email = comment.email?.trim();
    const record: ImportRecord = {
      id: importId(parsed.source, comment.sourceId, comment.createdAt),
      page,
      parentId: parent ? importId(parsed.source, parent.sourceId, parent.createdAt) : null,
      status: comment.status,
      createdAt: comment.createdAt,
      lang: 'de',
      importedFrom: `${parsed.source}:${comment.sourceId}`,
      ...(placeholder
        ? { placeholder: true }
        : {
            name: toCleanLine(comment.name).slice(0, LIMITS.comment.nameMaxChars) || 'Anonym',
            text: comment.text,
            website:
              comment.website && isHttpUrl(comment.website)
                ? comment.website.slice(0, LIMITS.comment.websiteMaxChars)
                : undefined,
            ...(email ? { emailEnc: await sealEmail(email), emailHash: await lookupHashOf(email) } : {}),
            pageTitle: comment.pageTitle
              ? toCleanLine(comment.pageTitle).slice(0, LIMITS.pageTitle.maxChars)
              : undefined,
          }),
    };
    // A body larger than a stored item may be (a hostile or broken one) is left out, and said so.
    if (Buffer.byteLength(JSON.stringify(record)) > LIMITS.import.recordBytes) {
      skip('too_large');
      continue;
    }
    if (comment.parentSourceId && !parent) summary.orphanReplies++;
    pages.add(page);
    planned.add(comment.sourceId);
    records.push(record);
  }
  summary.pages = [...pages].sort();
  return { source: parsed.source, records, summary };
}

/** Writes records in order; each is one transaction, and one already there is counted, not written. */
export async function writeImportRecords(
  records: readonly ImportRecord[],
  counts: Pick<ImportSummary, 'imported' | 'alreadyPresent' | 'placeholders'>,
  onEach: () => void = () => {},
): Promise<void> {
  for (const record of records) {
    const outcome = await putImportedComment(record);
    if (outcome === 'exists') counts.alreadyPresent++;
    else {
      counts.imported++;
      if (record.placeholder) counts.placeholders++;
    }
    onEach();
  }
}

/** The whole import in one go (the command line); `onProgress` hears after every comment. */
export async function importComments(
  parsed: ParsedExport,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ImportSummary> {
  const { records, summary } = await planImport(parsed);
  let done = 0;
  await writeImportRecords(records, summary, () => onProgress(++done, records.length));
  return summary;
}

/** Parents first: a reply's counter update needs its parent stored. Cycles are broken, not followed. */
function byDepth(comments: ImportedComment[], bySource: Map<string, ImportedComment>): ImportedComment[] {
  // Each depth is worked out once, from the nearest ancestor already known: walking every chain
  // to its top inside the sort's comparisons made a long reply chain cost hours.
  const depths = new Map<string, number>();
  const depth = (comment: ImportedComment): number => {
    const chain: ImportedComment[] = [];
    const onChain = new Set<string>();
    let base = -1;
    for (let current: ImportedComment | undefined = comment; current; ) {
      const known = depths.get(current.sourceId);
      if (known !== undefined) {
        base = known;
        break;
      }
      // A circle: it is counted from where the walk entered it.
      if (onChain.has(current.sourceId)) break;
      onChain.add(current.sourceId);
      chain.push(current);
      current = current.parentSourceId ? bySource.get(current.parentSourceId) : undefined;
    }
    for (const link of chain.reverse()) depths.set(link.sourceId, ++base);
    return depths.get(comment.sourceId)!;
  };
  for (const comment of comments) depth(comment);
  return [...comments].sort(
    (a, b) => depths.get(a.sourceId)! - depths.get(b.sourceId)! || a.createdAt.localeCompare(b.createdAt),
  );
}
