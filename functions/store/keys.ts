/**
 * Every key of the table is built here and nowhere else. Each item type has a partition key
 * prefix; the index keys are set only while an item belongs in that index (sparse indexes), so
 * e.g. a pending comment is simply absent from the public index.
 */
import type { CommentStatus } from '../core/schemas';
import type { IndexName } from './table-definition';

export type Key = { pk: string; sk: string };

export const keys = {
  comment: (id: string): Key => ({ pk: `COMMENT#${id}`, sk: 'COMMENT' }),
  wish: (id: string): Key => ({ pk: `WISH#${id}`, sk: 'WISH' }),
  pageCounter: (page: string): Key => ({ pk: `PAGE#${page}`, sk: 'COUNT' }),
  trustedEmail: (emailHash: string): Key => ({ pk: `TRUST#${emailHash}`, sk: 'TRUST' }),
  vote: (wishId: string, voterHash: string): Key => ({ pk: `WISH#${wishId}`, sk: `VOTE#${voterHash}` }),
  usedToken: (tokenId: string): Key => ({ pk: `TOKEN#${tokenId}`, sk: 'USED' }),
  rateCounter: (scope: string, subject: string, window: number): Key => ({
    pk: `RATE#${scope}#${subject}`,
    sk: `W#${window}`,
  }),
  idempotency: (keyHash: string): Key => ({ pk: `IDEM#${keyHash}`, sk: 'IDEM' }),
  usedChallenge: (challengeHash: string): Key => ({ pk: `POW#${challengeHash}`, sk: 'USED' }),
  sentMail: (mailId: string): Key => ({ pk: `MAIL#${mailId}`, sk: 'SENT' }),
  /** One partition for all mails that failed: mail-retry finds them with one Query. */
  failedMail: (notificationId: string): Key => ({ pk: 'MAILFAILED', sk: notificationId }),
  /** Her "Resend now" at the desk, one per time window: its stream INSERT makes the notifier resend. */
  mailResendRequest: (window: number): Key => ({ pk: `MAILRESEND#${window}`, sk: 'REQUEST' }),
  deskSession: (sessionHash: string): Key => ({ pk: `DESK#SESSION#${sessionHash}`, sk: 'SESSION' }),
  usedLoginLink: (tokenId: string): Key => ({ pk: `DESK#LOGIN#${tokenId}`, sk: 'USED' }),
  /** A passkey challenge, by its hash: taken (deleted) once, gone by TTL otherwise. */
  passkeyChallenge: (challengeHash: string): Key => ({
    pk: `DESK#PASSKEYCHALLENGE#${challengeHash}`,
    sk: 'CHALLENGE',
  }),
  /** Her passkeys in one partition (one Query lists them), by the hash of the credential id. */
  passkey: (credentialHash: string): Key => ({ pk: 'DESK#PASSKEYS', sk: `PASSKEY#${credentialHash}` }),
  /** The desk's settings (author label, sessions revoked before a time): one item. */
  deskSettings: (): Key => ({ pk: 'DESK', sk: 'SETTINGS' }),
  /** What a reader confirmed or asked for, under her address's lookup hash (found via the reader index). */
  readerConfirmation: (emailHash: string): Key => ({ pk: `READER#${emailHash}`, sk: 'CONFIRMED' }),
  readerSubscription: (emailHash: string, scope: string): Key => ({
    pk: `READER#${emailHash}`,
    sk: `SUB#${scope}`,
  }),
  /** "Unsubscribe from everything", with its time. */
  readerOptOut: (emailHash: string): Key => ({ pk: `READER#${emailHash}`, sk: 'OPTOUT' }),
  /** Her reply digest: when the last reply mail went out, and the replies waiting for the next. */
  readerDigest: (emailHash: string): Key => ({ pk: `READER#${emailHash}`, sk: 'DIGEST' }),
  /** A request to confirm an address (double opt-in); its stream record makes the confirmation mail. */
  confirmationRequest: (id: string): Key => ({ pk: `OPTIN#${id}`, sk: 'OPTIN' }),
  /** A duplicate merged into this wish: its wisher's "written" mail follows the original (ids only). */
  mergedWish: (originalId: string, duplicateId: string): Key => ({
    pk: `WISH#${originalId}`,
    sk: `MERGED#${duplicateId}`,
  }),
  /** Which vote a voter's "written" mail was about, for its unsubscribe link (no address in it). */
  voteMail: (id: string): Key => ({ pk: `VOTEMAIL#${id}`, sk: 'VOTEMAIL' }),
  /** That an erasure happened, for the author's mail: counts only, never the address or its hash. */
  erasureNotice: (id: string): Key => ({ pk: `ERASURE#${id}`, sk: 'ERASURE' }),
  /** An import started at the desk: its progress and summary, and its prepared comments in chunks. */
  importJob: (jobId: string): Key => ({ pk: `IMPORT#${jobId}`, sk: 'JOB' }),
  importChunk: (jobId: string, index: number): Key => ({
    pk: `IMPORT#${jobId}`,
    sk: `CHUNK#${String(index).padStart(5, '0')}`,
  }),
  /** A compliment she entered by hand at the desk (a starred comment stays a comment item). */
  handCompliment: (id: string): Key => ({ pk: `COMPLIMENT#${id}`, sk: 'COMPLIMENT' }),
  /** An approved comment that her edit sent back to moderation: its stream INSERT mails the author. */
  heldEdit: (id: string): Key => ({ pk: `HELDEDIT#${id}`, sk: 'HELDEDIT' }),
  /** A "Meine Daten" request: its stream INSERT makes the mail with her data link; found by the link. */
  dataRequest: (id: string): Key => ({ pk: `DATAREQ#${id}`, sk: 'DATAREQ' }),
};

/** Index keys: the attribute values that place an item in an index. */
export const indexKeys = {
  visibleComment: (page: string, id: string) => ({ pub1pk: `PAGE#${page}`, pub1sk: `C#${id}` }),
  recentComment: (id: string) => ({ pub3pk: 'RECENT', pub3sk: `C#${id}` }),
  /** A compliment she marked public (a starred comment or a hand entry): `GET /compliments`. */
  compliment: (complimentedAt: string, id: string) => ({
    pub2pk: 'COMPLIMENTS',
    pub2sk: `${complimentedAt}#${id}`,
  }),
  /** Every compliment of her collection, public or not (the private desk index). */
  collectedCompliment: (complimentedAt: string, id: string) => ({
    deskPk: 'COMPLIMENTS',
    deskSk: `${complimentedAt}#${id}`,
  }),
  publicWish: (id: string) => ({ pub1pk: 'BOARD', pub1sk: `W#${id}`, rankPk: 'BOARD' }),
  writtenWish: (articlePage: string, id: string) => ({ pub2pk: `ARTICLE#${articlePage}`, pub2sk: `W#${id}` }),
  moderationQueue: (kind: 'comment' | 'wish', status: string, id: string) => ({
    modPk: `MOD#${kind}#${status}`,
    modSk: id,
  }),
  /** A reply digest with replies waiting, by when it is due (the notifier's sweep; private index). */
  dueDigest: (sendAfter: string, emailHash: string) => ({
    modPk: 'DIGEST#due',
    modSk: `${sendAfter}#${emailHash}`,
  }),
};

/** Partition values for queries. */
export const partitions = {
  pageComments: (page: string) => `PAGE#${page}`,
  compliments: () => 'COMPLIMENTS',
  complimentCollection: () => 'COMPLIMENTS',
  recentComments: () => 'RECENT',
  board: () => 'BOARD',
  article: (page: string) => `ARTICLE#${page}`,
  moderationQueue: (kind: 'comment' | 'wish', status: CommentStatus | string) => `MOD#${kind}#${status}`,
  failedMails: () => 'MAILFAILED',
  dueDigests: () => 'DIGEST#due',
  passkeys: () => 'DESK#PASSKEYS',
};

/** Names of the attributes that place an item in each index, to REMOVE it from one. */
export const indexAttributes = {
  public: ['pub1pk', 'pub1sk'],
  public2: ['pub2pk', 'pub2sk'],
  recent: ['pub3pk', 'pub3sk'],
  ranked: ['rankPk'],
  moderation: ['modPk', 'modSk'],
  desk: ['deskPk', 'deskSk'],
} as const;

const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
type CursorKey = Record<string, string | number>;

type CursorItem = { kind: 'comment' | 'wish' | 'compliment'; id: string };

/** The id of the comment, wish or hand compliment whose table key a cursor carries. */
function itemOf(key: Record<string, unknown>): CursorItem | undefined {
  const match = typeof key.pk === 'string' ? /^(COMMENT|WISH|COMPLIMENT)#(.*)$/s.exec(key.pk) : null;
  if (!match || !ID_PATTERN.test(match[2]!)) return undefined;
  return { kind: match[1]!.toLowerCase() as CursorItem['kind'], id: match[2]! };
}

function tableKeyOf({ kind, id }: CursorItem): Key {
  if (kind === 'compliment') return keys.handCompliment(id);
  return kind === 'comment' ? keys.comment(id) : keys.wish(id);
}

/**
 * The key a page of `index` in `partition` may continue from, rebuilt from the item a cursor names
 * with the same builders that wrote it: an item of another page, kind or index has another key.
 */
function expectedCursorKey(
  index: IndexName,
  partition: string,
  key: Record<string, unknown>,
): CursorKey | undefined {
  const item = itemOf(key);
  if (!item) return undefined;
  const { kind, id } = item;
  const tableKey = tableKeyOf(item);
  const withKey = (indexKey: CursorKey) => ({ ...tableKey, ...indexKey });
  if (index === 'public') {
    if (kind === 'comment' && partition.startsWith('PAGE#'))
      return withKey(indexKeys.visibleComment(partition.slice('PAGE#'.length), id));
    if (kind === 'wish' && partition === partitions.board()) {
      const { pub1pk, pub1sk } = indexKeys.publicWish(id);
      return withKey({ pub1pk, pub1sk });
    }
  } else if (index === 'public2') {
    if (kind !== 'wish' && partition === partitions.compliments()) {
      const sortKey = typeof key.pub2sk === 'string' ? key.pub2sk : '';
      const at = sortKey.endsWith(`#${id}`) ? sortKey.slice(0, -id.length - 1) : '';
      if (TIMESTAMP_PATTERN.test(at)) return withKey(indexKeys.compliment(at, id));
    }
    if (kind === 'wish' && partition.startsWith('ARTICLE#'))
      return withKey(indexKeys.writtenWish(partition.slice('ARTICLE#'.length), id));
  } else if (index === 'ranked' && kind === 'wish' && partition === partitions.board()) {
    // A vote count is a whole number DynamoDB can hold; 1e400 or -1 is no position on the board.
    const votes = key.votes;
    if (typeof votes === 'number' && Number.isSafeInteger(votes) && votes >= 0) {
      return withKey({ rankPk: indexKeys.publicWish(id).rankPk, votes });
    }
  }
  return undefined;
}

/**
 * Cursors are opaque to clients: base64url of the last evaluated key. A cursor is accepted only if
 * it is exactly the key this store would have written for an item of that index and partition
 * (same attributes, same values, canonical encoding), so a client can neither steer a query
 * elsewhere nor hand DynamoDB a key it refuses.
 */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  if (!lastKey) return null;
  return Buffer.from(JSON.stringify(lastKey)).toString('base64url');
}

export function verifyCursor(
  cursor: string | undefined,
  index: IndexName,
  partition: string,
): CursorKey | undefined | 'invalid' {
  if (cursor === undefined || cursor === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return 'invalid';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'invalid';
  if (encodeCursor(parsed as Record<string, unknown>) !== cursor) return 'invalid';
  const expected = expectedCursorKey(index, partition, parsed as Record<string, unknown>);
  if (!expected) return 'invalid';
  const entries = Object.entries(parsed);
  const same =
    entries.length === Object.keys(expected).length &&
    entries.every(([name, value]) => Object.hasOwn(expected, name) && expected[name] === value);
  return same ? expected : 'invalid';
}
