/**
 * Disqus XML exports. Threads are keyed by their `dsq:id` and carry the page `<link>`; posts
 * point to a thread and maybe a parent post by `dsq:id`. Real exports hold posts whose thread is
 * missing, posts without an id, deleted threads and malformed markup; all are reported, none crash.
 */
import { htmlToText } from './html-to-text';
import type { ImportedComment, ParsedExport, SkippedEntry } from './types';
import { child, children, parseXml, textOf, type XmlNode } from './xml-tree';

interface Thread {
  link: string;
  title: string;
  deleted: boolean;
  createdAt?: string;
}

export function parseDisqus(xml: string): ParsedExport {
  const root = parseXml(xml);
  const disqus = root.children.find((node) => node.name === 'disqus') ?? root;
  const threads = new Map<string, Thread>();
  for (const thread of children(disqus, 'thread')) {
    const id = dsqId(thread);
    if (!id) continue;
    threads.set(id, {
      link: textOf(thread, 'link'),
      title: textOf(thread, 'title'),
      deleted: textOf(thread, 'isdeleted') === 'true',
      createdAt: isoDate(textOf(thread, 'createdat')),
    });
  }
  const comments: ImportedComment[] = [];
  const skipped: SkippedEntry[] = [];
  for (const post of children(disqus, 'post')) {
    const entry = readPost(post, threads);
    if ('reason' in entry) skipped.push(entry);
    else comments.push(entry);
  }
  return { source: 'disqus', comments, skipped };
}

function readPost(post: XmlNode, threads: Map<string, Thread>): ImportedComment | SkippedEntry {
  const id = dsqId(post);
  if (!id) return { reason: 'no_id' };
  const sourceId = `disqus#${id}`;
  const thread = threads.get(dsqId(child(post, 'thread')) ?? '');
  if (!thread?.link) return { sourceId, reason: 'orphan_thread' };
  if (thread.deleted) return { sourceId, reason: 'deleted_thread' };
  const text = htmlToText(textOf(post, 'message'));
  const deleted = textOf(post, 'isdeleted') === 'true';
  if (!text && !deleted) return { sourceId, reason: 'empty' };
  const author = child(post, 'author');
  const parent = dsqId(child(post, 'parent'));
  const spam = textOf(post, 'isspam');
  return {
    sourceId,
    pageUrl: thread.link,
    pageTitle: thread.title || undefined,
    parentSourceId: parent ? `disqus#${parent}` : undefined,
    name: (author && textOf(author, 'name')) || 'Anonym',
    email: (author && textOf(author, 'email')) || undefined,
    text,
    createdAt: isoDate(textOf(post, 'createdat')) ?? thread.createdAt ?? new Date(0).toISOString(),
    // Anything but a clear true/false is left for the author to judge.
    status: deleted ? 'deleted' : spam === 'true' ? 'spam' : spam === 'false' ? 'approved' : 'pending',
  };
}

/** Ids as written; a malformed unquoted attribute can drag a trailing `/` along. */
function dsqId(node: XmlNode | undefined): string | undefined {
  const id = node?.attributes['dsq:id'];
  if (id === undefined) return undefined;
  // A loop, not /\/+$/: that expression tries every run of slashes to its end, so an id of many
  // slashes followed by a letter took quadratic time (a megabyte of them, hours).
  let end = id.length;
  while (end > 0 && id[end - 1] === '/') end--;
  return id.slice(0, end) || undefined;
}

function isoDate(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
