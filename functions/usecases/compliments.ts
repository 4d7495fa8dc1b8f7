/**
 * Her compliment collection at the desk: read it (newest first, searchable by word), enter
 * compliments by hand, star and unstar comments, and mark single entries public or private.
 * Nothing here is public: only what she marks public reaches `GET /compliments`.
 */
import * as v from 'valibot';
import { dayOf } from '../core/desk/compliments-page';
import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import { HandComplimentSchema } from '../core/schemas';
import { getComment } from '../store/comments';
import {
  type ComplimentEntry,
  collectionCursorOf,
  deleteHandCompliment,
  getHandCompliment,
  type HandCompliment,
  listComplimentCollection,
  saveHandCompliment,
  setStarredCommentPublic,
  starComment,
  unstarComment,
} from '../store/compliments';

export type { ComplimentEntry, HandCompliment };

export interface CollectionView {
  entries: ComplimentEntry[];
  /** Continues after the last entry shown (or, in a search, the last one read); absent at the end. */
  cursor?: string;
}

/** Lower case, without accents: "Schöne" finds "schone" and "SCHÖNE". */
function folded(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('de');
}

/** Every word of the search must occur in the text, the name or the source. */
function matches(entry: ComplimentEntry, words: string[]): boolean {
  const haystack = folded(`${entry.text}\n${entry.name}\n${entry.source}\n${entry.pageTitle ?? ''}`);
  return words.every((word) => haystack.includes(word));
}

/**
 * One page of her collection. Without a search: one Query of a page. With one: Queries on the
 * same partition in batches, filtered here, until a page is full or `searchMaxItems` were read;
 * the cursor then continues the search where it stopped. 'invalid_cursor' for a foreign cursor.
 */
export async function loadCollection(
  search: string,
  cursor: string | undefined,
): Promise<CollectionView | 'invalid_cursor'> {
  const { pageSize, searchBatchItems, searchMaxItems } = LIMITS.compliments;
  const words = folded(search).split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    const page = await listComplimentCollection({ cursor, limit: pageSize });
    if (page === 'invalid_cursor') return page;
    return { entries: page.entries, ...(page.cursor ? { cursor: page.cursor } : {}) };
  }
  const found: ComplimentEntry[] = [];
  let next = cursor;
  let read = 0;
  while (read < searchMaxItems) {
    const page = await listComplimentCollection({
      cursor: next,
      limit: Math.min(searchBatchItems, searchMaxItems - read),
    });
    if (page === 'invalid_cursor') return page;
    read += page.entries.length;
    for (const entry of page.entries) {
      if (!matches(entry, words)) continue;
      found.push(entry);
      // A full page ends at its last match: the next page starts right after it.
      if (found.length === pageSize) return { entries: found, cursor: collectionCursorOf(entry) };
    }
    if (!page.cursor) return { entries: found };
    next = page.cursor;
  }
  return { entries: found, ...(next ? { cursor: next } : {}) };
}

export type FieldProblem = { field: string; code: string };
export type HandResult = { ok: true; id: string } | { ok: false; fields: FieldProblem[] };

/** The form fields of a hand entry, checked; problems name their field. */
function parseHandFields(
  form: Record<string, string | undefined>,
  now: Date,
): { ok: true; value: Omit<HandCompliment, 'id' | 'createdAt'> } | { ok: false; fields: FieldProblem[] } {
  const parsed = v.safeParse(HandComplimentSchema, form);
  if (!parsed.success) {
    const fields = parsed.issues.map((issue) => ({
      field: String(issue.path?.[0]?.key ?? 'text'),
      code: issue.message,
    }));
    return { ok: false, fields: fields.filter((f, i) => fields.findIndex((g) => g.field === f.field) === i) };
  }
  const { text, from, source, date } = parsed.output;
  const today = now.toISOString().slice(0, 10);
  // A day ahead of UTC is still today somewhere (she may write just after midnight in Berlin).
  const tomorrow = new Date(now.getTime() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  if (date && date > tomorrow) return { ok: false, fields: [{ field: 'date', code: 'date_in_future' }] };
  return {
    ok: true,
    value: {
      text,
      name: from ?? '',
      source: source ?? '',
      // Today's entry sorts by the moment she entered it; an earlier day by its noon (UTC), which
      // is the same calendar day in every time zone a blog is likely to use.
      complimentedAt: !date || date === today ? now.toISOString() : `${date}T12:00:00.000Z`,
      public: form.public === '1',
    },
  };
}

/** A compliment she heard elsewhere, entered by hand: private unless she ticks "public". */
export async function addHandCompliment(
  form: Record<string, string | undefined>,
  now: Date,
): Promise<HandResult> {
  const checked = parseHandFields(form, now);
  if (!checked.ok) return checked;
  const id = newId(now.getTime());
  await saveHandCompliment({ ...checked.value, id, createdAt: now.toISOString() }, false);
  return { ok: true, id };
}

/** Changes a hand entry; an unchanged day keeps its place in the collection. */
export async function editHandCompliment(
  id: string,
  form: Record<string, string | undefined>,
  now: Date,
  timeZone: string,
): Promise<HandResult | { ok: false; problem: 'not_found' }> {
  const existing = await getHandCompliment(id);
  if (!existing) return { ok: false, problem: 'not_found' };
  const checked = parseHandFields(form, now);
  if (!checked.ok) return checked;
  const sameDay = (form.date ?? '').trim() === dayOf(existing.complimentedAt, timeZone);
  const saved = await saveHandCompliment(
    {
      ...existing,
      ...checked.value,
      complimentedAt: sameDay ? existing.complimentedAt : checked.value.complimentedAt,
      public: existing.public,
    },
    true,
  );
  return saved ? { ok: true, id } : { ok: false, problem: 'not_found' };
}

export async function loadHandCompliment(id: string): Promise<HandCompliment | undefined> {
  return getHandCompliment(id);
}

export const COMPLIMENT_ACTIONS = ['star', 'unstar', 'public', 'private', 'delete'] as const;
export type ComplimentAction = (typeof COMPLIMENT_ACTIONS)[number];

export type ActionResult = { ok: true } | { ok: false; problem: 'not_found' | 'not_approved' };

/**
 * An action on one entry: a comment (`kind: 'comment'`: star, unstar, public, private) or a hand
 * entry (public, private, delete).
 */
export async function actOnCompliment(
  kind: 'comment' | 'hand',
  id: string,
  action: ComplimentAction,
  now: Date,
): Promise<ActionResult> {
  if (kind === 'hand') {
    if (action === 'delete')
      return (await deleteHandCompliment(id)) ? { ok: true } : { ok: false, problem: 'not_found' };
    const entry = await getHandCompliment(id);
    if (!entry || (action !== 'public' && action !== 'private')) return { ok: false, problem: 'not_found' };
    const saved = await saveHandCompliment({ ...entry, public: action === 'public' }, true);
    return saved ? { ok: true } : { ok: false, problem: 'not_found' };
  }
  if (action === 'unstar')
    return (await unstarComment(id)) ? { ok: true } : { ok: false, problem: 'not_found' };
  const comment = await getComment(id);
  if (!comment || action === 'delete') return { ok: false, problem: 'not_found' };
  if (action === 'star') {
    const starred = await starComment(comment, now);
    return starred === 'not_approved' ? { ok: false, problem: 'not_approved' } : { ok: true };
  }
  if (comment.status !== 'approved') return { ok: false, problem: 'not_approved' };
  return (await setStarredCommentPublic(comment, action === 'public'))
    ? { ok: true }
    : { ok: false, problem: 'not_found' };
}
