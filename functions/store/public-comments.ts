/**
 * Comments as the public sees them: the public index's pages, the latest and the complimented
 * comments, each with the markdown tree of its text. Apart from store/comments.ts because the tree
 * needs markdown-it (about 100 KB of a bundle): only the groups that list or answer with a public
 * comment import this module (comments; the notifier and the desk do not need it).
 */
import { markdownOf } from '../core/markdown';
import type { CommentStatus, PublicComment, PublicCompliment } from '../core/schemas';
import { partitions } from './keys';
import { type PublicQuery, queryPublicIndex } from './public-query';

export interface CommentPage {
  comments: PublicComment[];
  cursor: string | null;
}

/** One Query on the public index per page of results. */
export async function listVisibleComments(
  page: string,
  order: 'oldest' | 'newest',
  limit: number,
  cursor: string | undefined,
): Promise<CommentPage | 'invalid_cursor'> {
  return commentPage({
    index: 'public',
    partition: partitions.pageComments(page),
    forward: order === 'oldest',
    limit,
    cursor,
  });
}

async function commentPage(query: PublicQuery): Promise<CommentPage | 'invalid_cursor'> {
  const result = await queryPublicIndex(query);
  if (result === 'invalid_cursor') return result;
  return { comments: result.items.map(toPublicComment), cursor: result.cursor };
}

export function toPublicComment(item: Record<string, unknown>): PublicComment {
  const placeholder = item.placeholder === true;
  return {
    id: String(item.id),
    page: String(item.page),
    parentId: (item.parentId as string | null | undefined) ?? null,
    name: placeholder ? null : ((item.name as string | undefined) ?? null),
    website: placeholder ? null : ((item.website as string | undefined) ?? null),
    text: placeholder ? null : ((item.text as string | undefined) ?? null),
    createdAt: String(item.createdAt),
    status: item.status as CommentStatus,
    ...(placeholder ? { placeholder: true } : {}),
    ...publicExtras(item, placeholder),
  };
}

/** Markdown tree, edit time and the author's mark: each only when there is something to say. */
function publicExtras(item: Record<string, unknown>, placeholder: boolean): Partial<PublicComment> {
  if (placeholder) return {};
  const md = typeof item.text === 'string' ? markdownOf(item.text) : undefined;
  return {
    ...(md ? { md } : {}),
    ...(typeof item.editedAt === 'string' ? { editedAt: item.editedAt } : {}),
    ...(item.byAuthor === true ? { byAuthor: true } : {}),
    ...(item.byAuthor === true && typeof item.authorLabel === 'string' && item.authorLabel
      ? { authorLabel: item.authorLabel }
      : {}),
  };
}

/** The blog's latest visible comments, newest first: one Query. */
export async function listRecentComments(limit: number): Promise<PublicComment[]> {
  const page = await commentPage({
    index: 'recent',
    partition: partitions.recentComments(),
    forward: false,
    limit,
  });
  return page === 'invalid_cursor' ? [] : page.comments;
}

/** The compliments she marked public, newest first: one Query on the public index. */
export async function listCompliments(
  limit: number,
  cursor: string | undefined,
): Promise<{ comments: PublicCompliment[]; cursor: string | null } | 'invalid_cursor'> {
  const result = await queryPublicIndex({
    index: 'public2',
    partition: partitions.compliments(),
    forward: false,
    limit,
    cursor,
  });
  if (result === 'invalid_cursor') return result;
  return { comments: result.items.map(toPublicCompliment), cursor: result.cursor };
}

/**
 * A public compliment: a starred comment as any public comment; one she entered by hand with the
 * name she gave, its date as `createdAt`, no page and `byHand: true` (its source stays private).
 */
function toPublicCompliment(item: Record<string, unknown>): PublicCompliment {
  if (item.kind !== 'compliment') return toPublicComment(item);
  const text = String(item.text ?? '');
  const md = markdownOf(text);
  return {
    id: String(item.id),
    page: null,
    parentId: null,
    name: (item.name as string | undefined) || null,
    website: null,
    text,
    createdAt: String(item.complimentedAt),
    status: 'approved',
    byHand: true,
    ...(md ? { md } : {}),
  };
}
