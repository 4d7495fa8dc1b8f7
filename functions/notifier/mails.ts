/**
 * Turns a stream item into a mail, builds it (texts in core/mail), and sends it once through the
 * configured transport. The email addresses are decrypted here, only for the mail itself.
 */

import { LIMITS } from '../core/limits';
import { type BuiltMail, buildMime } from '../core/mail/mime';
import {
  type ActionLink,
  type MailSite,
  renderCommentMail,
  renderWishMail,
  renderWrittenMail,
} from '../core/mail/render';
import type { Lang } from '../core/messages';
import type { Keys } from '../core/privacy';
import { decryptEmail } from '../core/privacy';
import { issueToken, type LinkKind, moderationLinkUrl } from '../core/tokens';
import { config } from '../runtime/config';
import { secretKeys } from '../runtime/secrets';
import { deliverOnce } from './deliver';

type Item = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function site(lang?: Lang): MailSite {
  const { siteName, siteLang, allowedOrigins } = config();
  return { siteName, lang: lang ?? siteLang, allowedOrigins };
}

function sender() {
  const { siteName, senderEmail } = config();
  return { name: `${siteName} · Leserpost`, address: senderEmail };
}

function authorAddress(): string {
  const { authorEmail } = config();
  if (!authorEmail) throw new Error('AUTHOR_EMAIL is not configured.');
  return authorEmail;
}

function links(
  kind: LinkKind,
  target: string,
  actions: readonly string[],
  keys: Keys,
  now: Date,
): ActionLink[] {
  const { apiBaseUrl } = config();
  if (!apiBaseUrl) throw new Error('API_BASE_URL is not configured: the mail could not carry its links.');
  return actions.map((action) => ({
    action,
    url: moderationLinkUrl(apiBaseUrl, issueToken({ kind, action, target }, keys.linkKey, now)),
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

export async function sendCommentMail(item: Item, now: Date): Promise<'sent' | 'skipped'> {
  const id = String(item.id);
  const actions = commentMailActions(item);
  if (actions.length === 0) return 'skipped';
  const keys = await secretKeys();
  const email = decryptEmail(String(item.emailEnc), keys);
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
    links: links('comment', id, actions, keys, now),
    linksExpireAt: linksExpireAt(now),
  });
  return deliverOnce(`${id}#author`, now, LIMITS.notifier.authorMailMarkerTtlSeconds, () =>
    build(authorAddress(), rendered, `comment.${id}`, config().siteLang, now, { name, address: email }),
  );
}

export async function sendWishMail(item: Item, now: Date): Promise<'sent' | 'skipped'> {
  const id = String(item.id);
  const keys = await secretKeys();
  const email = decryptEmail(String(item.emailEnc), keys);
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
    links: links('wish', id, ['accept', 'decline', 'spam'], keys, now),
    linksExpireAt: linksExpireAt(now),
  });
  return deliverOnce(`${id}#author`, now, LIMITS.notifier.authorMailMarkerTtlSeconds, () =>
    build(authorAddress(), rendered, `wish.${id}`, config().siteLang, now, {
      name: requesterName,
      address: email,
    }),
  );
}

/** The one mail to the wisher when her wish was written. Its marker never expires. */
export async function sendWrittenMail(item: Item, now: Date): Promise<'sent' | 'skipped'> {
  const id = String(item.id);
  const articleUrl = str(item.articleUrl);
  if (!articleUrl) throw new Error('A written wish without an article URL.');
  const keys = await secretKeys();
  const email = decryptEmail(String(item.emailEnc), keys);
  const lang: Lang = item.lang === 'en' || item.lang === 'de' ? item.lang : config().siteLang;
  const rendered = renderWrittenMail({
    site: site(lang),
    lang,
    wish: { topic: String(item.topic ?? ''), requesterName: str(item.requesterName), articleUrl },
  });
  return deliverOnce(`${id}#written`, now, undefined, () =>
    build(email, rendered, `written.${id}`, lang, now),
  );
}

function build(
  to: string,
  rendered: Parameters<typeof buildMime>[1],
  messageKey: string,
  lang: Lang,
  now: Date,
  replyTo?: { name: string; address: string },
): Promise<BuiltMail> {
  return buildMime({ from: sender(), to, replyTo, messageKey, lang, date: now }, rendered);
}
