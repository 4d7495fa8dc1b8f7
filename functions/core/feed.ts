/**
 * RSS 2.0 feeds (a page's comments, the blog's latest comments, the wish board). Pure: the
 * handlers pass the items and the blog's address in. Every value is escaped as XML; an item's
 * body is the markdown tree rendered as HTML (core/markdown.ts), carried as escaped text.
 */
import { escapeHtml } from './html';
import { markdownHtml, markdownTree } from './markdown';
import type { Lang } from './messages';
import { commentAnchor } from './page';
import type { PublicComment, PublicWish } from './schemas';

export interface FeedItem {
  title: string;
  link: string;
  guid: string;
  date: string;
  /** HTML of the item's text (already safe: rendered from the whitelisted tree). */
  html: string;
}

export interface Feed {
  title: string;
  /** The blog page the feed is about. */
  link: string;
  /** The feed's own address (atom:link rel=self). */
  self: string;
  description: string;
  lang: Lang;
  items: FeedItem[];
}

// XML 1.0 forbids these controls even escaped; stored texts never hold them, imports might.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const xml = (value: string) => escapeHtml(value.replace(XML_INVALID, ''));

export function rssFeed(feed: Feed): string {
  const items = feed.items
    .map(
      (item) =>
        `<item><title>${xml(item.title)}</title><link>${xml(item.link)}</link><guid isPermaLink="false">${xml(item.guid)}</guid><pubDate>${new Date(item.date).toUTCString()}</pubDate><description>${xml(item.html)}</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${xml(feed.title)}</title><link>${xml(feed.link)}</link><atom:link href="${xml(feed.self)}" rel="self" type="application/rss+xml"/><description>${xml(feed.description)}</description><language>${feed.lang}</language>${items}</channel></rss>`;
}

const FEED_TEXTS = {
  de: {
    comments: (site: string) => `Kommentare – ${site}`,
    pageComments: (site: string, page: string) => `Kommentare zu ${page} – ${site}`,
    commentBy: (name: string) => `Kommentar von ${name}`,
    wishes: (site: string) => `Themenwünsche – ${site}`,
    commentsAbout: 'Die neuesten Kommentare der Leser:innen.',
    wishesAbout: 'Themen, die sich Leser:innen wünschen, und die geschriebenen Beiträge dazu.',
    written: 'Geschrieben',
  },
  en: {
    comments: (site: string) => `Comments – ${site}`,
    pageComments: (site: string, page: string) => `Comments on ${page} – ${site}`,
    commentBy: (name: string) => `Comment by ${name}`,
    wishes: (site: string) => `Topic wishes – ${site}`,
    commentsAbout: "The readers' latest comments.",
    wishesAbout: 'Topics readers wish for, and the articles written about them.',
    written: 'Written',
  },
};

export interface FeedSite {
  siteName: string;
  lang: Lang;
  /** The blog's origin: pages are paths on it. */
  origin: string;
}

/** Comments as feed items, each linking to its anchor on its page. */
export function commentFeed(
  site: FeedSite,
  comments: readonly PublicComment[],
  self: string,
  page?: string,
): string {
  const t = FEED_TEXTS[site.lang];
  return rssFeed({
    title: page ? t.pageComments(site.siteName, page) : t.comments(site.siteName),
    link: site.origin + (page ?? '/'),
    self,
    description: t.commentsAbout,
    lang: site.lang,
    items: comments
      .filter((comment) => !comment.placeholder && comment.text)
      .map((comment) => ({
        title: t.commentBy(comment.name ?? ''),
        link: `${site.origin}${comment.page}#${commentAnchor(comment.id)}`,
        guid: `comment-${comment.id}`,
        date: comment.editedAt ?? comment.createdAt,
        html: markdownHtml(comment.md ?? markdownTree(comment.text ?? '')),
      })),
  });
}

/** The wish board's wishes, newest first; a written wish links its article. */
export function wishFeed(site: FeedSite, wishes: readonly PublicWish[], self: string, board: string): string {
  const t = FEED_TEXTS[site.lang];
  return rssFeed({
    title: t.wishes(site.siteName),
    link: board,
    self,
    description: t.wishesAbout,
    lang: site.lang,
    items: wishes.map((wish) => ({
      title: wish.status === 'written' ? `${t.written}: ${wish.topic}` : wish.topic,
      link: wish.status === 'written' && wish.articleUrl ? wish.articleUrl : board,
      guid: `wish-${wish.id}`,
      date: wish.writtenAt ?? wish.createdAt,
      html: markdownHtml(markdownTree(wish.details ?? '')),
    })),
  });
}
