/**
 * Mails to readers from stream records. Every link in them is signed with the reader link key;
 * the address is opened here, only for the mail itself.
 */
import { LIMITS } from '../core/limits';
import { type ReaderMailPurpose, renderConfirmationMail } from '../core/mail/reader-mails';
import type { Lang } from '../core/messages';
import { issueToken, type ReaderLinkAction, readerLinkUrl } from '../core/tokens';
import { config } from '../runtime/config';
import { linkKey, openEmail } from '../runtime/keys';
import { deliverOnce } from './deliver';
import { build } from './mails';

type Item = Record<string, unknown>;

const PURPOSES: readonly ReaderMailPurpose[] = ['replies', 'written', 'vote'];

function langOf(item: Item): Lang {
  return item.lang === 'en' || item.lang === 'de' ? item.lang : config().siteLang;
}

/** A signed link to one of the reader pages of the API. */
export async function readerLink(
  path: string,
  action: ReaderLinkAction,
  target: string,
  now: Date,
  ttlSeconds: number,
): Promise<string> {
  const { apiBaseUrl } = config();
  if (!apiBaseUrl) throw new Error('API_BASE_URL is not configured: the mail could not carry its links.');
  const token = issueToken({ kind: 'reader', action, target }, await linkKey('reader'), now, ttlSeconds);
  return readerLinkUrl(apiBaseUrl, path, token);
}

/** The double opt-in mail: once per request, whatever the stream redelivers. */
export async function sendConfirmationMail(item: Item, now: Date): Promise<'sent' | 'skipped'> {
  const id = String(item.id);
  const ttl = LIMITS.readers.confirmLinkTtlSeconds;
  const lang = langOf(item);
  const purpose = PURPOSES.find((known) => known === item.purpose) ?? 'replies';
  const rendered = renderConfirmationMail({
    siteName: config().siteName,
    lang,
    purpose,
    page: typeof item.page === 'string' ? item.page : undefined,
    confirmUrl: await readerLink('readers/confirm', 'confirm', id, now, ttl),
    linkExpiresAt: new Date(now.getTime() + ttl * 1000),
  });
  const email = await openEmail(String(item.emailEnc));
  return deliverOnce(`${id}#confirm`, now, ttl, () => build(email, rendered, `confirm.${id}`, lang, now));
}
