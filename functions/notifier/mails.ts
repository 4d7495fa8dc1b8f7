/**
 * Turns a stream item into a mail, builds it (texts in core/mail), and sends it once through the
 * configured transport. The email addresses are decrypted here, only for the mail itself.
 */

import { LIMITS } from '../core/limits';
import { type BuiltMail, buildMime } from '../core/mail/mime';
import { type ActionLink, type MailSite, renderCommentMail, renderWishMail } from '../core/mail/render';
import type { Lang } from '../core/messages';
import { issueToken, type LinkKind, moderationLinkUrl } from '../core/tokens';
import { config } from '../runtime/config';
import { openEmail } from '../runtime/email-keys';
import { linkKey } from '../runtime/keys';
import { getComment } from '../store/comments';
import { deliverOnce } from './deliver';

type Item = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function site(lang?: Lang): MailSite {
  const { siteName, siteLang, allowedOrigins, timeZone } = config();
  return { siteName, lang: lang ?? siteLang, allowedOrigins, timeZone };
}

export function sender() {
  const { siteName, senderEmail } = config();
  return { name: `${siteName} · Leserpost`, address: senderEmail };
}

export function authorAddress(): string {
  const { authorEmail } = config();
  if (!authorEmail) throw new Error('AUTHOR_EMAIL is not configured.');
  return authorEmail;
}

function links(
  kind: LinkKind,
  target: string,
  actions: readonly string[],
  key: Buffer,
  now: Date,
): ActionLink[] {
  const { apiBaseUrl } = config();
  if (!apiBaseUrl) throw new Error('API_BASE_URL is not configured: the mail could not carry its links.');
  return actions.map((action) => ({
    action,
    url: moderationLinkUrl(apiBaseUrl, issueToken({ kind, action, target }, key, now)),
  }));
}

const linksExpireAt = (now: Date) => new Date(now.getTime() + LIMITS.moderationLinkTtlSeconds * 1000);

/** The actions that would change something: no "approve" for an approved comment, and so on. */
export function commentMailActions(item: Item): string[] {
  const status = str(item.status);
  if (status === 'deleted') return [];
  return [
    ...(status !== 'approved' ? ['approve'] : []),
    ...(item.compliment !== true ? ['compliment'] : []),
    ...(status !== 'spam' ? ['spam'] : []),
    'delete',
  ];
}

/**
 * Her approved comment, edited, tripped a content check and waits again: the author gets the mail
 * of a held comment about it, once per edit (the notice's id), while it still waits.
 */
export async function sendHeldEditMail(notice: Item, now: Date): Promise<'sent' | 'skipped'> {
  const comment = await getComment(String(notice.commentId));
  if (comment?.status !== 'pending') return 'skipped';
  return sendCommentMail({ ...comment }, now, { marker: `${String(notice.id)}#held-edit`, edited: true });
}

export async function sendCommentMail(
  item: Item,
  now: Date,
  edit?: { marker: string; edited: true },
): Promise<'sent' | 'skipped'> {
  const id = String(item.id);
  const actions = commentMailActions(item);
  if (actions.length === 0) return 'skipped';
  const email = await openEmail(String(item.emailEnc));
  const name = str(item.name) ?? '';
  const rendered = renderCommentMail({
    site: site(),
    comment: {
      id,
      page: String(item.page),
      pageUrl: str(item.pageUrl),
      pageTitle: str(item.pageTitle),
      name,
      email,
      website: str(item.website),
      text: str(item.text) ?? '',
      status: String(item.status),
      parentId: str(item.parentId),
      holdReasons: Array.isArray(item.holdReasons) ? item.holdReasons.map(String) : [],
    },
    links: links('comment', id, actions, await linkKey('author'), now),
    linksExpireAt: linksExpireAt(now),
    // Only an approved comment can be answered; a held one she approves first.
    ...(config().deskUrl.startsWith('http') ? { replyUrl: `${config().deskUrl}/comments/${id}#reply` } : {}),
    edited: edit?.edited,
  });
  const marker = edit?.marker ?? `${id}#author`;
  return deliverOnce(marker, now, LIMITS.notifier.authorMailMarkerTtlSeconds, () =>
    build(authorAddress(), rendered, edit ? `comment.${marker}` : `comment.${id}`, config().siteLang, now, {
      name,
      address: email,
    }),
  );
}

export async function sendWishMail(item: Item, now: Date): Promise<'sent' | 'skipped'> {
  const id = String(item.id);
  const email = await openEmail(String(item.emailEnc));
  const requesterName = str(item.requesterName) ?? str(item.publicName) ?? '';
  const rendered = renderWishMail({
    site: site(),
    wish: {
      topic: String(item.topic ?? ''),
      details: str(item.details),
      requesterName,
      publicName: str(item.publicName),
      email,
      notifyWhenWritten: item.notifyWhenWritten === true,
    },
    // Plan and written too: the written link's page asks for the article's address.
    links: links('wish', id, ['accept', 'decline', 'spam', 'plan', 'written'], await linkKey('author'), now),
    linksExpireAt: linksExpireAt(now),
  });
  return deliverOnce(`${id}#author`, now, LIMITS.notifier.authorMailMarkerTtlSeconds, () =>
    build(authorAddress(), rendered, `wish.${id}`, config().siteLang, now, {
      name: requesterName,
      address: email,
    }),
  );
}

export function build(
  to: string,
  rendered: Parameters<typeof buildMime>[1],
  messageKey: string,
  lang: Lang,
  now: Date,
  replyTo?: { name: string; address: string },
): Promise<BuiltMail> {
  return buildMime({ from: sender(), to, replyTo, messageKey, lang, date: now }, rendered);
}
