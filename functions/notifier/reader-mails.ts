/**
 * Mails to readers from stream records. Every link in them is signed with the reader link key;
 * the address is opened here, only for the mail itself.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import { type BuiltMail, buildMime } from '../core/mail/mime';
import {
  type ReaderMailPurpose,
  renderApprovedMail,
  renderConfirmationMail,
  renderReplyMail,
} from '../core/mail/reader-mails';
import { renderWrittenMail, safePageUrl } from '../core/mail/render';
import type { Lang } from '../core/messages';
import { commentAnchor } from '../core/page';
import { issueToken, type ReaderLinkAction, readerLinkUrl } from '../core/tokens';
import { config } from '../runtime/config';
import { openEmail } from '../runtime/email-keys';
import { linkKey } from '../runtime/keys';
import { getComment } from '../store/comments';
import { isConfirmed } from '../store/confirmations';
import { isMailSent, putSentMarker } from '../store/mail';
import {
  claimImmediateReply,
  dueDigests,
  finishDigest,
  getDigest,
  optedOutAt,
  queueReply,
} from '../store/reader-mail';
import { putVoteMailPointer, votesWithOptIn } from '../store/votes';
import { getWish, mergedInto, type StoredWish } from '../store/wishes';
import { deliverOnce } from './deliver';
import type { Notification } from './handler';
import { streamImage } from './handler';
import { build, sender } from './mails';

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
    timeZone: config().timeZone,
  });
  const email = await openEmail(String(item.emailEnc));
  return deliverOnce(`${id}#confirm`, now, ttl, () => build(email, rendered, `confirm.${id}`, lang, now));
}

/**
 * Whether she may get a mail about something she subscribed to at `subscribedAt`: her address is
 * confirmed, and she did not unsubscribe from everything after that.
 */
export async function mayMail(emailHash: unknown, subscribedAt: unknown): Promise<boolean> {
  if (typeof emailHash !== 'string' || emailHash === '') return false;
  const [confirmed, optOut] = await Promise.all([isConfirmed(emailHash), optedOutAt(emailHash)]);
  return confirmed && !(optOut && String(subscribedAt ?? '') <= optOut);
}

/** The unsubscribe link of a mail about this comment or wish (the thread; its page offers "everything"). */
export function unsubscribeLink(targetId: string, now: Date): Promise<string> {
  return readerLink(
    'readers/unsubscribe',
    'unsubscribe',
    targetId,
    now,
    LIMITS.readers.unsubscribeLinkTtlSeconds,
  );
}

/** The comment on the blog's page, when its page address is one of the blog's own. */
function permalinkOf(comment: Item): string | undefined {
  const url = safePageUrl(
    typeof comment.pageUrl === 'string' ? comment.pageUrl : undefined,
    config().allowedOrigins,
  );
  return url && `${url.split('#')[0]}#${commentAnchor(String(comment.id))}`;
}

/** What a comment's stream record means for readers: a visible reply, an approval. */
export function readerNotifications(record: DynamoDBRecord): Notification[] {
  const newItem = streamImage(record.dynamodb?.NewImage);
  if (newItem?.kind !== 'comment' || !String(newItem.pk ?? '').startsWith('COMMENT#')) return [];
  if (newItem.importedFrom !== undefined || newItem.status !== 'approved') return [];
  const oldStatus = streamImage(record.dynamodb?.OldImage)?.status;
  const becameVisible =
    record.eventName === 'INSERT' || (record.eventName === 'MODIFY' && oldStatus !== 'approved');
  if (!becameVisible) return [];
  const found: Notification[] = [];
  if (typeof newItem.parentId === 'string') found.push({ type: 'reply', item: newItem });
  if (record.eventName === 'MODIFY' && oldStatus === 'pending' && newItem.notifyReplies === true) {
    found.push({ type: 'approved', item: newItem });
  }
  return found;
}

/**
 * A reply became visible: its parent's writer hears of it if she asked and confirmed, never of
 * her own replies. The first mail at once; replies within the hour after a mail wait for the digest.
 * Each (reply, parent) pair has its own delivery marker, so a redelivered record never mails twice.
 */
export async function notifyReply(reply: Item, now: Date): Promise<'sent' | 'queued' | 'skipped'> {
  const parent = await getComment(String(reply.parentId));
  if (parent?.notifyReplies !== true || parent.status !== 'approved' || !parent.emailEnc) return 'skipped';
  if (parent.emailHash === reply.emailHash) return 'skipped';
  if (!(await mayMail(parent.emailHash, parent.createdAt))) return 'skipped';
  const markerId = replyMarker(String(reply.id), parent.id);
  if (await isMailSent(markerId)) return 'skipped';
  const hour = LIMITS.readers.replyDigestSeconds * 1000;
  // Check and take in one conditional write: two replies at the same moment cannot both go at once.
  const immediate = await claimImmediateReply(parent.emailHash, now, new Date(now.getTime() - hour));
  if (!immediate) {
    const digest = await getDigest(parent.emailHash);
    const lastSent = digest?.lastSentAt ? Date.parse(digest.lastSentAt) : Number.NaN;
    const sendAfter = new Date((Number.isNaN(lastSent) ? now.getTime() : lastSent) + hour).toISOString();
    const expiresAt = Math.floor(now.getTime() / 1000) + LIMITS.readers.mailMarkerTtlSeconds;
    await queueReply(
      { emailHash: parent.emailHash, emailEnc: parent.emailEnc, lang: parent.lang },
      `${String(reply.id)}>${parent.id}`,
      sendAfter,
      expiresAt,
    );
    return 'queued';
  }
  const lang = langOf({ lang: parent.lang });
  const rendered = renderReplyMail({
    siteName: config().siteName,
    lang,
    unsubscribeUrl: await unsubscribeLink(parent.id, now),
    replies: [
      { name: String(reply.name ?? ''), text: String(reply.text ?? ''), permalink: permalinkOf(reply) },
    ],
  });
  const result = await deliverOnce(markerId, now, LIMITS.readers.mailMarkerTtlSeconds, async () =>
    buildReaderMail(
      await openEmail(parent.emailEnc),
      rendered,
      `reply.${String(reply.id)}.${parent.id}`,
      lang,
      now,
      parent.id,
    ),
  );
  return result;
}

const replyMarker = (replyId: string, parentId: string) => `${replyId}#reply#${parentId}`;

/** Her held comment was approved: one short mail, if she asked to hear about her comment and confirmed. */
export async function notifyApproved(comment: Item, now: Date): Promise<'sent' | 'skipped'> {
  if (!(await mayMail(comment.emailHash, comment.createdAt)) || typeof comment.emailEnc !== 'string')
    return 'skipped';
  const id = String(comment.id);
  const lang = langOf(comment);
  const rendered = renderApprovedMail({
    siteName: config().siteName,
    lang,
    unsubscribeUrl: await unsubscribeLink(id, now),
    permalink: permalinkOf(comment),
  });
  const sealed = comment.emailEnc;
  return deliverOnce(`${id}#approved`, now, LIMITS.readers.mailMarkerTtlSeconds, async () =>
    buildReaderMail(await openEmail(sealed), rendered, `approved.${id}`, lang, now, id),
  );
}

/**
 * The wish is written: one mail to the wisher if she asked, one to every voter who asked with
 * her vote (votes of merged duplicates moved here with their wish for the mail), and one to the
 * wisher of every wish merged into it who asked; each only once confirmed and not unsubscribed;
 * one per address (a wisher who also voted gets one). Every mail has its own marker that never expires: a redelivered record mails
 * nobody twice. Returns how many went out now.
 */
export async function notifyWritten(item: Item, now: Date): Promise<number> {
  const id = String(item.id);
  const articleUrl = typeof item.articleUrl === 'string' ? item.articleUrl : undefined;
  if (!articleUrl) throw new Error('A written wish without an article URL.');
  const wish = {
    topic: String(item.topic ?? ''),
    requesterName: typeof item.requesterName === 'string' ? item.requesterName : undefined,
    articleUrl,
  };
  const wisherMarker = `${id}#written`;
  const mailed = new Set<string>();
  let sent = 0;
  if (
    item.notifyWhenWritten === true &&
    typeof item.emailEnc === 'string' &&
    (await mayMail(item.emailHash, item.createdAt))
  ) {
    mailed.add(String(item.emailHash));
    const sealed = item.emailEnc;
    const lang = langOf(item);
    const rendered = writtenMail(lang, wish, false);
    const result = await deliverOnce(wisherMarker, now, undefined, async () =>
      buildReaderMail(await openEmail(sealed), rendered, `written.${id}`, lang, now, id),
    );
    if (result === 'sent') sent++;
  }
  for await (const merged of mergedWishes(id)) {
    const hash = typeof merged.emailHash === 'string' ? merged.emailHash : '';
    const sealed = merged.emailEnc;
    if (merged.notifyWhenWritten !== true || !hash || typeof sealed !== 'string' || mailed.has(hash))
      continue;
    if (hash === item.emailHash && (await isMailSent(wisherMarker))) continue;
    if (!(await mayMail(hash, merged.createdAt))) continue;
    mailed.add(hash);
    const lang = langOf(merged);
    // Her own wish's words and name; the article is the original's. Her unsubscribe link names her wish.
    const rendered = writtenMail(
      lang,
      { topic: String(merged.topic ?? ''), requesterName: merged.requesterName, articleUrl },
      false,
    );
    // The same marker as a voter's: an address that also voted gets this one mail, as a wisher.
    const result = await deliverOnce(
      `${id}#written#${hash}`,
      now,
      undefined,
      async () =>
        buildReaderMail(
          await openEmail(sealed),
          rendered,
          `written.${id}.${merged.id}`,
          lang,
          now,
          merged.id,
        ),
      hash,
    );
    if (result === 'sent') sent++;
  }
  for await (const vote of votesWithOptIn(id)) {
    const hash = typeof vote.emailHash === 'string' ? vote.emailHash : '';
    const sealed = vote.emailEnc;
    if (!hash || typeof sealed !== 'string' || mailed.has(hash)) continue;
    // The wisher's own mail went out before (an earlier delivery of this record): not again as a voter.
    if (hash === item.emailHash && (await isMailSent(wisherMarker))) continue;
    if (!(await mayMail(hash, vote.createdAt))) continue;
    mailed.add(hash);
    const lang = langOf(vote);
    const rendered = writtenMail(lang, wish, true);
    const result = await deliverOnce(
      `${id}#written#${hash}`,
      now,
      undefined,
      async () => {
        // Her unsubscribe link names a pointer to her vote, never the wish (that is the wisher's).
        const pointer = newId(now.getTime());
        const ttl = LIMITS.readers.unsubscribeLinkTtlSeconds;
        await putVoteMailPointer(
          pointer,
          { wishId: id, voterHash: String(vote.voterHash) },
          Math.floor(now.getTime() / 1000) + ttl,
        );
        return buildReaderMail(
          await openEmail(sealed),
          rendered,
          `written.${id}.${pointer}`,
          lang,
          now,
          pointer,
        );
      },
      hash,
    );
    if (result === 'sent') sent++;
  }
  return sent;
}

/**
 * The wishes merged into this one, and those merged into them before (a merge of a merge), each
 * once: their wishers asked about the same article.
 */
async function* mergedWishes(id: string): AsyncGenerator<StoredWish> {
  const seen = new Set([id]);
  const queue = [id];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for await (const mergedId of mergedInto(next)) {
      if (seen.has(mergedId)) continue;
      seen.add(mergedId);
      const wish = await getWish(mergedId);
      if (wish?.status !== 'merged') continue;
      queue.push(mergedId);
      yield wish;
    }
  }
}

function writtenMail(
  lang: Lang,
  wish: { topic: string; requesterName?: string; articleUrl: string },
  voter: boolean,
) {
  return renderWrittenMail({
    site: {
      siteName: config().siteName,
      lang,
      allowedOrigins: config().allowedOrigins,
      timeZone: config().timeZone,
    },
    lang,
    wish,
    voter,
  });
}

/**
 * The digest sweep (every few minutes by schedule; locally by the poller): each due digest goes
 * out as one mail with the replies still visible and still wanted, and they are marked delivered.
 */
export async function sweepDigests(now: Date): Promise<number> {
  let sent = 0;
  const hourLater = new Date(now.getTime() + LIMITS.readers.replyDigestSeconds * 1000).toISOString();
  for (const digest of await dueDigests(now, LIMITS.readers.digestsPerSweep)) {
    const entries = [...(digest.pending ?? [])];
    const replies: { entry: string; reply: Item; parentId: string }[] = [];
    for (const entry of entries) {
      const [replyId, parentId] = entry.split('>') as [string, string];
      const [reply, parent] = await Promise.all([getComment(replyId), getComment(parentId)]);
      const wanted =
        reply?.status === 'approved' &&
        parent?.notifyReplies === true &&
        parent.emailHash === digest.emailHash &&
        !(await isMailSent(replyMarker(replyId, parentId)));
      if (wanted) replies.push({ entry, reply: { ...reply }, parentId });
    }
    const allowed =
      replies.length > 0 && digest.emailEnc && (await mayMail(digest.emailHash, replies[0]!.reply.createdAt));
    let delivered = false;
    if (allowed && digest.emailEnc) {
      const lang: Lang = digest.lang === 'en' || digest.lang === 'de' ? digest.lang : config().siteLang;
      const firstParent = replies[0]!.parentId;
      const rendered = renderReplyMail({
        siteName: config().siteName,
        lang,
        unsubscribeUrl: await unsubscribeLink(firstParent, now),
        replies: replies.map(({ reply }) => ({
          name: String(reply.name ?? ''),
          text: String(reply.text ?? ''),
          permalink: permalinkOf(reply),
        })),
      });
      const sealed = digest.emailEnc;
      const key = `digest.${digest.sendAfter ?? ''}.${digest.emailHash.slice(0, 16)}`;
      const result = await deliverOnce(
        key,
        now,
        LIMITS.readers.mailMarkerTtlSeconds,
        async () => buildReaderMail(await openEmail(sealed), rendered, key, lang, now, firstParent),
        digest.emailHash,
      );
      delivered = result === 'sent';
      for (const { reply, parentId } of replies) {
        await putSentMarker(
          replyMarker(String(reply.id), parentId),
          now,
          LIMITS.readers.mailMarkerTtlSeconds,
        );
      }
      if (delivered) sent++;
    }
    await finishDigest(digest.emailHash, new Set(entries), now, delivered, hourLater);
  }
  return sent;
}

/** A mail to a reader: the thread's unsubscribe link also in the List-Unsubscribe headers. */
async function buildReaderMail(
  to: string,
  rendered: Parameters<typeof build>[1],
  messageKey: string,
  lang: Lang,
  now: Date,
  unsubscribeTarget: string,
): Promise<BuiltMail> {
  return buildMime(
    {
      from: sender(),
      to,
      messageKey,
      lang,
      date: now,
      unsubscribeUrl: await unsubscribeLink(unsubscribeTarget, now),
    },
    rendered,
  );
}
