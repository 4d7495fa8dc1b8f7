/**
 * A reader's data rights (DSGVO Art. 15, 17, 20), independent of the caller (her own "Meine Daten"
 * link, the author's desk): everything stored for one address, and taking it all out again.
 *
 * Found by the address's lookup hash only, through the private reader index: an item belongs to
 * her exactly while it carries her `emailHash`, so nothing of another reader can come along.
 */
import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import { lookupHashOf } from '../runtime/keys';
import { applyCommentAction } from '../store/comments';
import { keys } from '../store/keys';
import {
  deleteItem,
  listReaderItems,
  putErasureNotice,
  type ReaderItem,
  removeAttributes,
  trustedSince,
} from '../store/readers';
import { retryOnConflict } from '../store/transact';

export interface ReaderDataExport {
  /**
   * The address she asked about: her own, the only one in the export. Absent where the caller
   * knows only its hash (her own "Meine Daten" link: that Lambda never opens addresses).
   */
  email?: string;
  comments: {
    id: string;
    page: string;
    pageUrl: string | null;
    parentId: string | null;
    name: string | null;
    website: string | null;
    text: string | null;
    status: string;
    createdAt: string;
    lang: string | null;
    /** She asked for a mail when someone replies ("Benachrichtige mich bei Antworten"). */
    notifyReplies: boolean;
  }[];
  wishes: {
    id: string;
    topic: string;
    details: string | null;
    requesterName: string | null;
    publicName: string | null;
    status: string;
    votes: number;
    notifyWhenWritten: boolean;
    articleUrl: string | null;
    createdAt: string;
  }[];
  votes: { wishId: string; createdAt: string | null }[];
  subscriptions: { scope: string; target: string | null; createdAt: string | null; lang: string | null }[];
  confirmations: { confirmedAt: string | null }[];
  /** When an approved comment made her address trusted (her next comments skip moderation). */
  trustedSince: string | null;
}

export interface ErasureSummary {
  commentsRemoved: number;
  /** Kept as "gelöscht" in the thread because visible replies hang on them; no name, text or address. */
  commentsKeptAsPlaceholders: number;
  wishesAnonymised: number;
  votesAnonymised: number;
  subscriptionsRemoved: number;
  confirmationsRemoved: number;
  /** Other items under her address (pending confirmations, digests, reader keys, trust, markers of mails to her). */
  otherRemoved: number;
}

/** What a wish or a vote keeps after erasure: the topic and the count, nothing about her. */
const WISH_PERSONAL = [
  'emailEnc',
  'emailHash',
  'requesterName',
  'publicName',
  'ipHash',
  'notifyWhenWritten',
  'wishKeyHash',
];
const VOTE_PERSONAL = ['emailEnc', 'emailHash', 'lang', 'notifyWhenWritten'];
/** A deleted comment keeps its place in the thread, nothing else (as moderation's delete does). */
const COMMENT_PERSONAL = ['name', 'website', 'text', 'emailEnc', 'emailHash', 'ipHash', 'readerKeyHash'];

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const isSubscription = (item: ReaderItem) => item.kind === 'subscription';
const isConfirmation = (item: ReaderItem) => item.kind === 'confirmation';

/** Who had her data erased: she herself ("Meine Daten") or the author at the desk; the author's mail says it. */
export type ErasureVia = 'reader' | 'desk';

export async function collectReaderData(email: string): Promise<ReaderDataExport> {
  return { email, ...(await collectReaderDataOf(await lookupHashOf(email))) };
}

/** Everything stored under a lookup hash (the export without the address, which only a hash names here). */
export async function collectReaderDataOf(emailHash: string): Promise<ReaderDataExport> {
  const [items, trusted] = await Promise.all([listReaderItems(emailHash), trustedSince(emailHash)]);
  const ofKind = (kind: string) => items.filter((item) => item.kind === kind);
  return {
    comments: ofKind('comment').map((item) => ({
      id: String(item.id),
      page: String(item.page),
      pageUrl: text(item.pageUrl),
      parentId: text(item.parentId),
      name: text(item.name),
      website: text(item.website),
      text: text(item.text),
      status: String(item.status),
      createdAt: String(item.createdAt),
      lang: text(item.lang),
      notifyReplies: item.notifyReplies === true,
    })),
    wishes: ofKind('wish').map((item) => ({
      id: String(item.id),
      topic: String(item.topic),
      details: text(item.details),
      requesterName: text(item.requesterName),
      publicName: text(item.publicName),
      status: String(item.status),
      votes: Number(item.votes ?? 0),
      notifyWhenWritten: item.notifyWhenWritten === true,
      articleUrl: text(item.articleUrl),
      createdAt: String(item.createdAt),
    })),
    votes: ofKind('vote').map((item) => ({ wishId: String(item.wishId), createdAt: text(item.createdAt) })),
    subscriptions: items.filter(isSubscription).map((item) => ({
      scope: String(item.scope ?? item.sk.replace(/^SUB#/, '')),
      target: text(item.target),
      createdAt: text(item.createdAt),
      lang: text(item.lang),
    })),
    confirmations: items.filter(isConfirmation).map((item) => ({ confirmedAt: text(item.confirmedAt) })),
    trustedSince: trusted,
  };
}

/**
 * Takes everything under the address out: comments deleted (shown as "gelöscht" only where visible
 * replies hang on them; the page's counters stay right), wishes and votes anonymised, every
 * other item of hers removed, the trust marker too. Running it again finds nothing and counts 0.
 * The author gets a notice with the counts, never the address.
 */
export async function eraseReaderData(email: string, now: Date): Promise<ErasureSummary> {
  return eraseReaderDataOf(await lookupHashOf(email), now, 'desk');
}

export async function eraseReaderDataOf(
  emailHash: string,
  now: Date,
  via: ErasureVia,
): Promise<ErasureSummary> {
  const summary: ErasureSummary = {
    commentsRemoved: 0,
    commentsKeptAsPlaceholders: 0,
    wishesAnonymised: 0,
    votesAnonymised: 0,
    subscriptionsRemoved: 0,
    confirmationsRemoved: 0,
    otherRemoved: 0,
  };
  for (const item of await listReaderItems(emailHash)) {
    const key = { pk: item.pk, sk: item.sk };
    if (item.kind === 'comment') {
      await eraseComment(String(item.id), now, summary);
    } else if (item.kind === 'wish') {
      await removeAttributes(key, WISH_PERSONAL, now);
      summary.wishesAnonymised++;
    } else if (item.kind === 'vote') {
      await removeAttributes(key, VOTE_PERSONAL, now);
      summary.votesAnonymised++;
    } else if (await deleteItem(key)) {
      // Her "Meine Daten" request goes too, but it is the erasure's means, not her data.
      if (item.kind === 'data-request') continue;
      if (isSubscription(item)) summary.subscriptionsRemoved++;
      else if (isConfirmation(item)) summary.confirmationsRemoved++;
      else summary.otherRemoved++;
    }
  }
  if (await deleteItem(keys.trustedEmail(emailHash))) summary.otherRemoved++;
  if (Object.values(summary).some((count) => count > 0)) {
    await putErasureNotice(
      newId(now.getTime()),
      { ...summary },
      now,
      LIMITS.readers.erasureNoticeTtlSeconds,
      via,
    );
  }
  return summary;
}

async function eraseComment(id: string, now: Date, summary: ErasureSummary): Promise<void> {
  // The author's "delete": counters and reply counts stay right, a placeholder only where visible
  // replies hang on it. The item itself stays without anything of hers, so a pending reply to it
  // can still be moderated (as after any deletion).
  const result = await retryOnConflict(() => applyCommentAction(id, 'delete', now));
  if (result.outcome === 'not_found') return;
  // A comment that was already 'deleted' is left as it was; make sure nothing of hers stays on it.
  await removeAttributes(keys.comment(id), COMMENT_PERSONAL, now);
  if (result.comment.placeholder === true) summary.commentsKeptAsPlaceholders++;
  else summary.commentsRemoved++;
}
