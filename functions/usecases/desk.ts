/**
 * What the author's desk does, independent of HTTP: login links and sessions, and the inbox. Only
 * the store functions the desk needs are imported here (the desk cannot reach anything else).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { renderLoginMail } from '../core/desk/login-pages';
import {
  issueLoginToken,
  loginLinkUrl,
  newSessionId,
  sessionIdHash,
  verifyLoginToken,
} from '../core/desk/login-token';
import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import { buildMime } from '../core/mail/mime';
import { formatDate } from '../core/mail/texts';
import type { Lang } from '../core/messages';
import type { CommentAction } from '../core/moderation';
import { canonicalEmail, clientIpHash, keyedHash } from '../core/privacy';
import {
  CommentTextSchema,
  EmailSchema,
  NewWishSchema,
  WebUrlSchema,
  type WishStatus,
} from '../core/schemas';
import type { WishLinkAction } from '../core/tokens';
import { transport } from '../notifier/transport';
import { config } from '../runtime/config';
import { sealEmail } from '../runtime/email-keys';
import { hashKeys, linkKey, lookupHashOf } from '../runtime/keys';
import {
  type DeskCommentPage,
  getComment,
  listCommentsByStatus,
  listDeskComments,
  listReplies,
  ParentNotVisibleError,
  putComment,
  type StoredComment,
} from '../store/comments';
import {
  deleteSession,
  getDeskSettings,
  getSessionAndSettings,
  putSession,
  recordUsedLoginLink,
  revokeAllSessions,
  saveAuthorLabel,
} from '../store/desk';
import { type FailedMailSummary, requestMailResend, summarizeFailedMails } from '../store/failed-mails';
import { rateCounterIncrement, rateWindow, scaledLimit, writeWithinLimits } from '../store/rate-limits';
import { listWishesByStatus, putWish, retitleNewWish, type StoredWish } from '../store/wishes';
import { moderateComment, moderateWish } from './moderation';
import { mergeWishes, WISH_ACTIONS as WISH_TRANSITIONS } from './wish-actions';

/** The addresses that may log in: the author's and the optional further desk addresses. */
function deskAddresses(): string[] {
  const { authorEmail, deskEmails } = config();
  return [authorEmail, ...deskEmails].filter(Boolean).map(canonicalEmail);
}

/** Compared as hashes of equal length, so the time taken says nothing about how close a guess was. */
function isDeskAddress(email: string): boolean {
  const given = createHash('sha256').update(canonicalEmail(email)).digest();
  let found = false;
  for (const address of deskAddresses()) {
    if (timingSafeEqual(given, createHash('sha256').update(address).digest())) found = true;
  }
  return found;
}

/**
 * Mails a login link when the address is a desk address; does nothing otherwise. The caller shows
 * the same answer either way, so nobody learns which addresses are desk addresses. `next`: the desk
 * page she asked for, carried in the link (checked there: anything doubtful is left out).
 */
export async function requestLoginLink(
  email: string,
  lang: Lang,
  now: Date,
  sourceIp = '',
  next?: unknown,
): Promise<void> {
  // Counted for any address, before asking whether it is a desk address: the same writes either way.
  if (!(await withinLoginLinkLimits(email, sourceIp, now))) return;
  if (!isDeskAddress(email)) return;
  const { deskUrl, siteName, senderEmail, timeZone } = config();
  const token = issueLoginToken(await linkKey('author'), now);
  const until = new Date(now.getTime() + LIMITS.desk.loginLinkTtlSeconds * 1000);
  const mail = renderLoginMail(
    lang,
    siteName,
    loginLinkUrl(deskUrl, token, next),
    formatDate(until, lang, timeZone),
  );
  const built = await buildMime(
    {
      from: { name: `${siteName} · Leserpost`, address: senderEmail },
      to: email.trim(),
      messageKey: `desk-login.${createHash('sha256').update(token).digest('hex').slice(0, 24)}`,
      lang,
      date: now,
    },
    mail,
  );
  await transport().send(built);
}

/** Counts a link request per address and per client; false (nothing counted) when either is full. */
async function withinLoginLinkLimits(email: string, sourceIp: string, now: Date): Promise<boolean> {
  const { desk, rate } = LIMITS;
  const perAddress = scaledLimit(desk.loginLinksPerAddressPerWindow);
  const perClient = scaledLimit(desk.loginLinksPerClientPerWindow);
  if (perAddress === undefined || perClient === undefined) return true;
  const hashes = await hashKeys();
  const counters = [
    rateCounterIncrement(
      'desk-login-address',
      keyedHash(canonicalEmail(email), hashes.addressRate).slice(0, 32),
      perAddress,
      rateWindow(now, desk.loginLinkWindowSeconds),
    ),
  ];
  if (sourceIp) {
    counters.push(
      rateCounterIncrement(
        'desk-login-ip',
        clientIpHash(sourceIp, hashes.clientIp, now),
        perClient,
        rateWindow(now, rate.windowSeconds),
      ),
    );
  }
  return writeWithinLimits(counters);
}

export type LoginResult =
  | { ok: true; sessionId: string }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'used' };

/** The GET of a login link: whether it would work. Changes nothing. */
export async function inspectLoginLink(token: unknown, now: Date): Promise<LoginResult | { ok: true }> {
  const verified = verifyLoginToken(token, await linkKey('author'), now);
  return verified.ok ? { ok: true } : verified;
}

/** The POST of a login link: a new session, once per link. */
export async function logInWithLink(token: unknown, now: Date): Promise<LoginResult> {
  const verified = verifyLoginToken(token, await linkKey('author'), now);
  if (!verified.ok) return verified;
  // The marker is written first: if it cannot be written, nobody is logged in (fails closed).
  if (!(await recordUsedLoginLink(verified.tokenId, verified.expiresAt, now)))
    return { ok: false, reason: 'used' };
  return { ok: true, sessionId: await startSession(now) };
}

/** A new desk session (the cookie's value); the table keeps only its hash. Both ways in end here. */
export async function startSession(now: Date): Promise<string> {
  const sessionId = newSessionId();
  await putSession(sessionIdHash(sessionId), now, LIMITS.desk.sessionTtlSeconds);
  return sessionId;
}

/** Whether a session id from a cookie is a live session: not expired, not revoked. */
export async function isSessionValid(sessionId: string | undefined, now: Date): Promise<boolean> {
  if (!sessionId || !/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return false;
  const { session, settings } = await getSessionAndSettings(sessionIdHash(sessionId));
  if (!session) return false;
  // DynamoDB removes expired items only eventually: the expiry is checked here too.
  if (session.expiresAt * 1000 <= now.getTime()) return false;
  return !settings.sessionsValidFrom || session.createdAt > settings.sessionsValidFrom;
}

export async function logOut(sessionId: string, everywhere: boolean, now: Date): Promise<void> {
  await deleteSession(sessionIdHash(sessionId));
  if (everywhere) await revokeAllSessions(now);
}

export interface Inbox {
  comments: StoredComment[];
  wishes: StoredWish[];
}

/** Everything that waits: two Queries on the private moderation index. */
export async function loadInbox(): Promise<Inbox> {
  const [comments, wishes] = await Promise.all([
    listCommentsByStatus('pending', LIMITS.desk.listPageSize),
    listWishesByStatus('new', LIMITS.desk.listPageSize),
  ]);
  return { comments, wishes };
}

export type InboxTarget = { kind: 'comment' | 'wish'; id: string };

const COMMENT_ACTIONS: readonly string[] = ['approve', 'compliment', 'spam', 'delete'];
const WISH_ACTIONS: readonly string[] = ['accept', 'decline', 'spam', 'plan'];

/** Whether an action applies to an item of that kind (spam applies to both). */
export function actionFits(action: string, kind: InboxTarget['kind']): boolean {
  return (kind === 'comment' ? COMMENT_ACTIONS : WISH_ACTIONS).includes(action);
}

/** Applies one action to each target it fits; returns how many changed. */
export async function actOnInbox(action: string, targets: InboxTarget[], now: Date): Promise<number> {
  let changed = 0;
  for (const target of targets) {
    if (!actionFits(action, target.kind)) continue;
    const result =
      target.kind === 'comment'
        ? await moderateComment(target.id, action as CommentAction, now)
        : await moderateWish(target.id, action as WishLinkAction, {}, now);
    if (result.outcome === 'done') changed++;
  }
  return changed;
}

/** One tab of the wish board, newest first, and the open wishes a duplicate may join. */
export async function loadWishTab(
  status: WishStatus,
): Promise<{ wishes: StoredWish[]; mergeTargets: StoredWish[] }> {
  const open = status === 'new' || status === 'accepted';
  const [wishes, accepted] = await Promise.all([
    listWishesByStatus(status, LIMITS.desk.listPageSize),
    open && status !== 'accepted' ? listWishesByStatus('accepted', LIMITS.desk.listPageSize) : undefined,
  ]);
  const targets = status === 'accepted' ? wishes : (accepted ?? []);
  return { wishes: [...wishes].reverse(), mergeTargets: targets };
}

export type WishDeskResult = { ok: true } | { ok: false; problem: string };

/** A wish action from the desk: the same transitions as the mail links, plus merging. */
export async function actOnWish(
  id: string,
  action: string,
  fields: { articleUrl?: string; into?: string; topic?: string },
  now: Date,
): Promise<WishDeskResult> {
  if (action === 'retitle') {
    // The same rule as a reader's topic; a wish already on the board keeps the title voters saw.
    const topic = v.safeParse(NewWishSchema.entries.topic, fields.topic ?? '');
    if (!topic.success) return { ok: false, problem: 'invalid_topic' };
    return (await retitleNewWish(id, topic.output)) ? { ok: true } : { ok: false, problem: 'title_locked' };
  }
  if (action === 'merge') {
    const result = await mergeWishes(id, fields.into ?? '', now);
    if (result.outcome === 'not_found') return { ok: false, problem: 'not_found' };
    return result.outcome === 'invalid' ? { ok: false, problem: result.reason } : { ok: true };
  }
  if (!(WISH_TRANSITIONS as readonly string[]).includes(action))
    return { ok: false, problem: 'invalid_input' };
  const result = await moderateWish(id, action as WishLinkAction, { articleUrl: fields.articleUrl }, now);
  if (result.outcome === 'not_found') return { ok: false, problem: 'not_found' };
  return result.outcome === 'invalid' ? { ok: false, problem: result.reason } : { ok: true };
}

/** One page of the comment list: one Query on the moderation queue of that status. */
export function loadCommentList(
  status: 'approved' | 'pending' | 'spam',
  page: string | undefined,
  cursor: string | undefined,
): Promise<DeskCommentPage> {
  return listDeskComments(status, { page, cursor, limit: LIMITS.desk.listPageSize });
}

/** A comment and the comments it answers (nearest last), read one by one up the thread. */
export async function loadCommentThread(
  id: string,
): Promise<{ comment: StoredComment; ancestors: StoredComment[]; replies: StoredComment[] } | undefined> {
  const comment = await getComment(id);
  if (!comment) return undefined;
  const [ancestors, replies] = await Promise.all([
    loadAncestors(comment),
    // The conversation under it: visible replies and those still waiting for her.
    listReplies(comment, ['approved', 'pending']),
  ]);
  return { comment, ancestors, replies };
}

async function loadAncestors(comment: StoredComment): Promise<StoredComment[]> {
  const ancestors: StoredComment[] = [];
  let parentId = comment.parentId;
  while (parentId && ancestors.length < LIMITS.desk.threadDepth) {
    const parent = await getComment(parentId);
    if (!parent) break;
    ancestors.unshift(parent);
    parentId = parent.parentId;
  }
  return ancestors;
}

/** The desk settings she can change (the label beside her replies). */
export async function loadDeskSettings(): Promise<{ authorLabel: string }> {
  const settings = await getDeskSettings();
  return { authorLabel: settings.authorLabel ?? '' };
}

/** The failed mails kept for resending, as the desk shows them (no record, no address). */
export function loadWaitingMails(): Promise<FailedMailSummary> {
  return summarizeFailedMails();
}

/** Her "Resend now": the notifier answers the request item's stream record (one per window). */
export function resendWaitingMails(now: Date): Promise<void> {
  return requestMailResend(now);
}

export type LabelResult = { ok: true } | { ok: false; problem: 'label_too_long' };

export async function setAuthorLabel(label: string): Promise<LabelResult> {
  const trimmed = label.trim();
  if (trimmed.length > LIMITS.desk.authorLabelMaxChars) return { ok: false, problem: 'label_too_long' };
  await saveAuthorLabel(trimmed);
  return { ok: true };
}

export type AuthorReplyResult =
  | { ok: true; id: string }
  | { ok: false; problem: 'not_found' | 'parent_not_found' | 'invalid_text' };

/**
 * She answers a comment publicly from the desk: stored approved, marked as hers, on the parent's
 * page. Her address is not stored with it (nobody mails her about her own reply).
 */
export async function replyAsAuthor(parentId: string, text: string, now: Date): Promise<AuthorReplyResult> {
  const parsed = v.safeParse(CommentTextSchema, text);
  if (!parsed.success) return { ok: false, problem: 'invalid_text' };
  const parent = await getComment(parentId);
  if (!parent) return { ok: false, problem: 'not_found' };
  const label = (await getDeskSettings()).authorLabel ?? '';
  const id = newId(now.getTime());
  try {
    await putComment({
      id,
      page: parent.page,
      parentId: parent.id,
      name: label || config().siteName,
      text: parsed.output,
      status: 'approved',
      createdAt: now.toISOString(),
      emailEnc: '',
      emailHash: AUTHOR_EMAIL_HASH,
      ...(parent.pageUrl ? { pageUrl: parent.pageUrl } : {}),
      ...(parent.pageTitle ? { pageTitle: parent.pageTitle } : {}),
      lang: config().siteLang,
      byAuthor: true,
      ...(label ? { authorLabel: label } : {}),
    });
  } catch (error) {
    if (error instanceof ParentNotVisibleError) return { ok: false, problem: 'parent_not_found' };
    throw error;
  }
  return { ok: true, id };
}

/** Stands where a reader's address hash would: no reader's hash can equal it. */
const AUTHOR_EMAIL_HASH = 'author';

export type HandWishResult =
  | { ok: true; id: string }
  | { ok: false; problem: 'invalid_topic' | 'invalid_name' | 'invalid_email' | 'invalid_link' };

/**
 * A wish she heard elsewhere (a call, a workshop) and enters by hand: new, in her queue like any
 * other. With the wisher's address (sealed like a reader's) the wisher gets the "written" mail.
 */
export async function enterWishByHand(
  fields: { topic?: string; name?: string; email?: string; link?: string },
  now: Date,
): Promise<HandWishResult> {
  const topic = v.safeParse(NewWishSchema.entries.topic, fields.topic ?? '');
  if (!topic.success) return { ok: false, problem: 'invalid_topic' };
  const name = (fields.name ?? '').trim();
  if (name.length > LIMITS.wish.displayNameMaxChars || /[\n\r]/.test(name))
    return { ok: false, problem: 'invalid_name' };
  const rawEmail = (fields.email ?? '').trim();
  const email = rawEmail ? v.safeParse(EmailSchema, rawEmail) : undefined;
  if (email && !email.success) return { ok: false, problem: 'invalid_email' };
  // The credit's link: http(s) only and at most as long as a commenter's website.
  const rawLink = (fields.link ?? '').trim();
  const link = rawLink ? v.safeParse(WebUrlSchema, rawLink) : undefined;
  if (link && !link.success) return { ok: false, problem: 'invalid_link' };
  const id = newId(now.getTime());
  await putWish({
    id,
    topic: topic.output,
    ...(name ? { publicName: name, requesterName: name } : {}),
    ...(link?.success ? { website: link.output } : {}),
    emailEnc: email?.success ? await sealEmail(email.output) : '',
    emailHash: email?.success ? await lookupHashOf(email.output) : AUTHOR_EMAIL_HASH,
    notifyWhenWritten: email?.success === true,
    status: 'new',
    votes: 0,
    createdAt: now.toISOString(),
    lang: config().siteLang,
  });
  return { ok: true, id };
}
