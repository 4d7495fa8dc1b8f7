/**
 * The mails as plain text and HTML. Every value from a reader is untrusted: escaped in HTML,
 * reduced to one line in the subject, and a link is only made of an address that is known to be
 * safe (the blog's own origins, our own API). Pure: the notifier passes everything in.
 */
import { escapeHtml } from '../html';
import { markdownHtml, markdownTree } from '../markdown';
import type { Lang } from '../messages';
import { ownText } from '../own-text';
import { commentAnchor, originOf } from '../page';
import { headerText } from './headers';
import { formatDate, MAIL_TEXTS, type MailTexts } from './texts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailSite {
  siteName: string;
  lang: Lang;
  /** Origins of the blog; a page link in a mail must point to one of them. */
  allowedOrigins: readonly string[];
  /** The blog's time zone: every time in a mail is shown in it. */
  timeZone: string;
}

export interface ActionLink {
  action: string;
  url: string;
}

export interface CommentMailInput {
  site: MailSite;
  comment: {
    /** The comment's id: the page link points at the comment itself. */
    id?: string;
    page: string;
    pageUrl?: string;
    pageTitle?: string;
    name: string;
    email: string;
    website?: string;
    text: string;
    status: string;
    parentId?: string | null;
    holdReasons?: readonly string[];
  };
  links: readonly ActionLink[];
  linksExpireAt: Date;
  /** The desk at this comment, where she can answer it as the author. */
  replyUrl?: string;
  /** An approved comment that the reader's edit sent back to moderation. */
  edited?: boolean;
}

export interface WishMailInput {
  site: MailSite;
  wish: {
    topic: string;
    details?: string;
    requesterName: string;
    publicName?: string;
    email: string;
    notifyWhenWritten: boolean;
  };
  links: readonly ActionLink[];
  linksExpireAt: Date;
}

export interface WrittenMailInput {
  site: MailSite;
  lang: Lang;
  wish: { topic: string; requesterName?: string; articleUrl: string };
  /** To a voter who asked for it (not the wisher): says so, and greets without the wisher's name. */
  voter?: boolean;
}

const SUBJECT_PART_CHARS = 80;

/** The page link for the mail: only an address on the blog's own origins becomes a link. */
export function safePageUrl(
  pageUrl: string | undefined,
  allowedOrigins: readonly string[],
): string | undefined {
  if (!pageUrl) return undefined;
  const origin = originOf(pageUrl);
  return origin && allowedOrigins.includes(origin) && !/[\s"<>]/.test(pageUrl) ? pageUrl : undefined;
}

/** The page link with the comment's anchor, so the mail opens at the comment itself. */
export function commentUrl(pageUrl: string | undefined, id: string | undefined): string | undefined {
  return pageUrl && id ? `${pageUrl.replace(/#.*/, '')}#${commentAnchor(id)}` : pageUrl;
}

export function renderCommentMail(input: CommentMailInput): RenderedMail {
  const t = MAIL_TEXTS[input.site.lang];
  const { comment } = input;
  const title = comment.pageTitle?.trim() || comment.page;
  const pageUrl = commentUrl(safePageUrl(comment.pageUrl, input.site.allowedOrigins), comment.id);
  const pending = comment.status === 'pending';
  const subject = headerText(
    `${pending ? `${t.needsApprovalTag} ` : ''}${(input.edited
      ? t.editedCommentSubject
      : t.newCommentSubject)(
      headerText(comment.name, SUBJECT_PART_CHARS),
      headerText(title, SUBJECT_PART_CHARS),
    )}`,
    200,
  );
  const reasons = (comment.holdReasons ?? []).map((reason) => ownText(t.holdReasons, reason) ?? reason);
  const opening = (input.edited ? t.editedComment : t.newComment)(comment.name, title);
  const facts: [string, string, string?][] = [
    [t.page, pageUrl ? `${title} – ${pageUrl}` : `${title} (${comment.page})`, pageUrl],
    [t.name, comment.name],
    [t.email, comment.email, mailto(comment.email)],
    ...(comment.website ? [[t.website, `${comment.website} ${t.websiteNote}`] as [string, string]] : []),
  ];
  const status = [pending ? t.statusPending : t.statusApproved, comment.parentId ? t.isReply : '']
    .filter(Boolean)
    .join(' ');

  const text = [
    t.greeting,
    '',
    opening,
    status,
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    '',
    `${t.comment}:`,
    ...comment.text.split('\n').map((line) => `> ${line}`),
    '',
    ...(reasons.length ? [`${t.heldBecause} ${reasons.join(', ')}`, ''] : []),
    ...actionsText(t, input.links, input.linksExpireAt, input.site),
    ...(input.replyUrl ? [`${t.replyAtDesk}: ${input.replyUrl}`, ''] : []),
    '-- ',
    t.footer(input.site.siteName),
  ].join('\n');

  const html = layout(input.site.lang, [
    `<p>${escapeHtml(opening)}</p>`,
    `<p>${escapeHtml(status)}</p>`,
    factsHtml(facts),
    `<p style="margin:16px 0 4px;font-weight:bold">${escapeHtml(t.comment)}:</p>`,
    `<blockquote style="margin:0;padding:8px 12px;border-left:4px solid #c7c7c7">${markdownHtml(markdownTree(comment.text))}</blockquote>`,
    reasons.length
      ? `<p style="color:#8a4b00"><strong>${escapeHtml(t.heldBecause)}</strong> ${escapeHtml(reasons.join(', '))}</p>`
      : '',
    actionsHtml(t, input.links, input.linksExpireAt, input.site),
    input.replyUrl ? `<p><a href="${escapeHtml(input.replyUrl)}">${escapeHtml(t.replyAtDesk)}</a></p>` : '',
    footerHtml(t, input.site.siteName),
  ]);
  return { subject, text, html };
}

export function renderWishMail(input: WishMailInput): RenderedMail {
  const t = MAIL_TEXTS[input.site.lang];
  const { wish } = input;
  // A wisher who gave no name: "Jemand", and no empty Name row.
  const named = wish.requesterName.trim() !== '';
  const who = named ? wish.requesterName : t.someone;
  const subject = headerText(
    t.newWishSubject(headerText(who, SUBJECT_PART_CHARS), headerText(wish.topic, SUBJECT_PART_CHARS)),
    200,
  );
  const facts: [string, string, string?][] = [
    [t.topic, wish.topic],
    ...(wish.details ? [[t.details, wish.details] as [string, string]] : []),
    ...(named ? [[t.name, wish.requesterName] as [string, string]] : []),
    [t.publicName, wish.publicName ?? t.noPublicName],
    [t.email, wish.email, mailto(wish.email)],
    [t.notify, wish.notifyWhenWritten ? t.yes : t.no],
  ];
  const text = [
    t.greeting,
    '',
    t.newWish(who),
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    '',
    ...actionsText(t, input.links, input.linksExpireAt, input.site),
    '-- ',
    t.footer(input.site.siteName),
  ].join('\n');
  const html = layout(input.site.lang, [
    `<p>${escapeHtml(t.newWish(who))}</p>`,
    factsHtml(facts),
    actionsHtml(t, input.links, input.linksExpireAt, input.site),
    footerHtml(t, input.site.siteName),
  ]);
  return { subject, text, html };
}

export function renderWrittenMail(input: WrittenMailInput): RenderedMail {
  const all = MAIL_TEXTS[input.lang];
  const t = input.voter
    ? {
        ...all,
        writtenSubject: all.votedSubject,
        writtenBody: all.votedBody,
        writtenThanks: all.votedThanks,
        writtenWhy: all.votedWhy,
      }
    : all;
  const { wish } = input;
  const url = /^https?:\/\/[^\s"<>]+$/i.test(wish.articleUrl) ? wish.articleUrl : undefined;
  const subject = headerText(t.writtenSubject(headerText(wish.topic, SUBJECT_PART_CHARS)), 200);
  const greeting =
    wish.requesterName && !input.voter
      ? `${t.greeting.replace(/,$/, '')} ${wish.requesterName},`
      : t.greeting;
  const text = [
    greeting,
    '',
    t.writtenBody(input.site.siteName, wish.topic),
    wish.articleUrl,
    '',
    t.writtenThanks,
    '',
    t.writtenWhy,
    '-- ',
    t.footer(input.site.siteName),
  ].join('\n');
  const html = layout(input.lang, [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(t.writtenBody(input.site.siteName, wish.topic))}</p>`,
    `<p>${url ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(wish.articleUrl)}</p>`,
    `<p>${escapeHtml(t.writtenThanks)}</p>`,
    `<p style="color:#666;font-size:13px">${escapeHtml(t.writtenWhy)}</p>`,
    footerHtml(t, input.site.siteName),
  ]);
  return { subject, text, html };
}

/** A mailto link that cannot add recipients or a body (`?cc=`, `&body=`). */
function mailto(address: string): string {
  return `mailto:${address.replace(/[?&#%\s]/g, (char) => encodeURIComponent(char))}`;
}

function actionsText(t: MailTexts, links: readonly ActionLink[], until: Date, site: MailSite): string[] {
  if (links.length === 0) return [];
  return [
    t.actionsIntro(formatDate(until, site.lang, site.timeZone)),
    ...links.map((link) => `${t.actions[link.action] ?? link.action}: ${link.url}`),
    '',
  ];
}

function actionsHtml(t: MailTexts, links: readonly ActionLink[], until: Date, site: MailSite): string {
  if (links.length === 0) return '';
  const buttons = links
    .map(
      (link) =>
        `<a href="${escapeHtml(link.url)}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 14px;border-radius:6px;background:${link.action === 'spam' || link.action === 'delete' || link.action === 'decline' ? '#6b6b6b' : '#1f6f43'};color:#fff;text-decoration:none">${escapeHtml(t.actions[link.action] ?? link.action)}</a>`,
    )
    .join('');
  return `<p style="margin-top:20px">${buttons}</p><p style="color:#666;font-size:13px">${escapeHtml(t.actionsIntro(formatDate(until, site.lang, site.timeZone)))}</p>`;
}

function factsHtml(facts: [string, string, string?][]): string {
  const rows = facts
    .map(([label, value, href]) => {
      const shown = href
        ? `<a href="${escapeHtml(href)}">${escapeHtml(value)}</a>`
        : `<span style="white-space:pre-wrap">${escapeHtml(value)}</span>`;
      return `<tr><th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top">${escapeHtml(label)}</th><td style="padding:2px 0">${shown}</td></tr>`;
    })
    .join('');
  return `<table style="border-collapse:collapse">${rows}</table>`;
}

function footerHtml(t: MailTexts, siteName: string): string {
  return `<p style="margin-top:24px;color:#666;font-size:13px">${escapeHtml(t.footer(siteName))}</p>`;
}

export function layout(lang: Lang, parts: string[]): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;line-height:1.5;color:#1d1d1d;max-width:640px;margin:0 auto;padding:16px">${parts.filter(Boolean).join('\n')}</body></html>`;
}
