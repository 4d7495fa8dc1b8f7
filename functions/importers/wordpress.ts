/**
 * WordPress WXR exports (1.0, 1.1, 1.2 — the namespace differs by version, so only the `wp:`
 * prefix is relied on). Notes from real files: every field may or may not be CDATA and may carry
 * whitespace; comment ids repeat across posts; parents may be missing; dates may be missing.
 */
import { ownText } from '../core/own-text';
import { htmlToText } from './html-to-text';
import type { ImportedComment, ParsedExport, SkippedEntry } from './types';
import { children, descendants, parseXml, textOf, type XmlNode } from './xml-tree';

const STATUS_BY_APPROVED: Record<string, ImportedComment['status']> = {
  '1': 'approved',
  approve: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'deleted',
};

export function parseWordPress(xml: string): ParsedExport {
  const root = parseXml(commentBearingItems(xml));
  const comments: ImportedComment[] = [];
  const skipped: SkippedEntry[] = [];
  for (const item of descendants(root, 'item')) {
    const postId = textOf(item, 'wp:post_id');
    const pageUrl = permalinkOf(textOf(item, 'link') || textOf(item, 'guid'), postId);
    const postKey = postId || pageUrl;
    const postDate = wpDate(textOf(item, 'wp:post_date_gmt')) ?? wpDate(textOf(item, 'wp:post_date'));
    for (const comment of children(item, 'wp:comment')) {
      const entry = readComment(comment, postKey, pageUrl, textOf(item, 'title'), postDate);
      if ('reason' in entry) skipped.push(entry);
      else comments.push(entry);
    }
  }
  return { source: 'wordpress', comments, skipped };
}

/**
 * A daily blog's WXR is mostly post bodies, attachments and menu items; only items with comments
 * matter. Cutting them out with plain string searches before the (slow) XML parser keeps a tens of
 * megabytes export within a Lambda's time. A file without `<item>` is parsed as it is.
 */
function commentBearingItems(xml: string): string {
  const kept: string[] = [];
  let at = xml.indexOf('<item');
  if (at < 0) return xml;
  // The next `</item>` found so far, searched again only once the scan has passed it: many
  // `<item` without a close each searched to the end of the file (quadratic; minutes for a few MB).
  let close = Number.NEGATIVE_INFINITY;
  while (at >= 0) {
    if (close !== -1 && close < at) close = xml.indexOf('</item>', at);
    const end = close < 0 ? xml.length : close + '</item>'.length;
    const next = xml.indexOf('<item', at + 5);
    // A following `<item` before this one's end means a broken file: stop this item there.
    const stop = next >= 0 && next < end ? next : end;
    const item = xml.slice(at, stop);
    if (item.includes('<wp:comment>')) kept.push(withoutElement(item, 'content:encoded'));
    at = next;
  }
  return `<rss>${kept.join('')}</rss>`;
}

/** The item without one element (a post's body can be most of the file and is not needed). */
function withoutElement(item: string, name: string): string {
  const open = item.indexOf(`<${name}>`);
  const close = open < 0 ? -1 : item.indexOf(`</${name}>`, open);
  return close < 0 ? item : item.slice(0, open) + item.slice(close + name.length + 3);
}

function readComment(
  comment: XmlNode,
  postKey: string,
  pageUrl: string,
  pageTitle: string,
  postDate: string | undefined,
): ImportedComment | SkippedEntry {
  const id = textOf(comment, 'wp:comment_id');
  const sourceId = `${postKey}#${id}`;
  if (!id) return { reason: 'no_id' };
  const type = textOf(comment, 'wp:comment_type');
  if (type === 'pingback' || type === 'trackback') return { sourceId, reason: type };
  const text = htmlToText(textOf(comment, 'wp:comment_content'));
  if (!text) return { sourceId, reason: 'empty' };
  const parent = textOf(comment, 'wp:comment_parent');
  const approved = textOf(comment, 'wp:comment_approved') || '1';
  return {
    sourceId,
    pageUrl,
    pageTitle: pageTitle || undefined,
    parentSourceId: parent && parent !== '0' ? `${postKey}#${parent}` : undefined,
    name: textOf(comment, 'wp:comment_author') || 'Anonym',
    email: textOf(comment, 'wp:comment_author_email') || undefined,
    website: textOf(comment, 'wp:comment_author_url') || undefined,
    text,
    createdAt:
      wpDate(textOf(comment, 'wp:comment_date_gmt')) ??
      wpDate(textOf(comment, 'wp:comment_date')) ??
      postDate ??
      new Date(0).toISOString(),
    // Own entries only: a hand-edited `constructor` is held like any other unknown word.
    status: ownText(STATUS_BY_APPROVED, approved.toLowerCase()) ?? 'pending',
  };
}

/**
 * Pages are keyed by path, so a `?p=4` link (no pretty permalink) or a missing link would fold
 * distinct posts into `/`. Such posts (and `?page_id=` pages) get `/p/<id>`; the import summary lists them.
 */
function permalinkOf(link: string, postId: string): string {
  try {
    const url = new URL(link);
    // `?page_id=` is a page's plain permalink, as `?p=` is a post's (the WordPress plugin keys them alike).
    const p = url.searchParams.get('p') || url.searchParams.get('page_id');
    if ((url.pathname === '/' || url.pathname === '') && p) return `/p/${p}`;
    return link;
  } catch {
    return link || (postId ? `/p/${postId}` : '');
  }
}

/** WXR dates are `YYYY-MM-DD HH:MM:SS`; `0000-00-00 00:00:00` means none. */
function wpDate(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!match || match[1] === '0000') return undefined;
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
