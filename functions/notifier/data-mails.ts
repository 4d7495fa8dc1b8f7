/**
 * The mails of a reader's data rights, from stream records: her "Meine Daten" link (the address
 * opened here, only for the mail) and the author's notice of an erasure (counts only). Once each,
 * whatever the stream redelivers (deliver.ts markers).
 */
import { LIMITS } from '../core/limits';
import { renderDataLinkMail, renderErasureMail } from '../core/mail/data-rights';
import { config } from '../runtime/config';
import { openEmail } from '../runtime/email-keys';
import { deliverOnce } from './deliver';
import { authorAddress, build } from './mails';
import { readerLink } from './reader-mails';

type Item = Record<string, unknown>;

export async function sendDataLinkMail(item: Item, now: Date): Promise<'sent' | 'skipped'> {
  const id = String(item.id);
  const lang = item.lang === 'en' || item.lang === 'de' ? item.lang : config().siteLang;
  // Valid as long as the request waits, counted from when she asked (a late retry adds nothing).
  const expiresAt = new Date(Number(item.expiresAt) * 1000);
  const ttl = Math.floor((expiresAt.getTime() - now.getTime()) / 1000);
  if (!(ttl > 0)) return 'skipped';
  const rendered = renderDataLinkMail({
    siteName: config().siteName,
    lang,
    dataUrl: await readerLink('readers/data/view', 'data', id, now, ttl),
    linkExpiresAt: expiresAt,
    timeZone: config().timeZone,
  });
  const email = await openEmail(String(item.emailEnc));
  return deliverOnce(`${id}#data`, now, LIMITS.readers.mailMarkerTtlSeconds, () =>
    build(email, rendered, `data.${id}`, lang, now),
  );
}

export async function sendErasureMail(item: Item, now: Date): Promise<'sent' | 'skipped'> {
  const id = String(item.id);
  const { siteName, siteLang } = config();
  const counts = typeof item.counts === 'object' && item.counts !== null ? (item.counts as Item) : {};
  const rendered = renderErasureMail({
    siteName,
    lang: siteLang,
    via: item.via === 'reader' ? 'reader' : 'desk',
    counts,
  });
  return deliverOnce(`${id}#erasure`, now, LIMITS.notifier.authorMailMarkerTtlSeconds, () =>
    build(authorAddress(), rendered, `erasure.${id}`, siteLang, now),
  );
}
