/**
 * Every key of the table is built here and nowhere else. Each item type has a partition key
 * prefix; the index keys are set only while an item belongs in that index (sparse indexes), so
 * e.g. a pending comment is simply absent from the public index.
 */
import type { CommentStatus } from '../core/schemas';
import { TABLE_DEFINITION } from './table-definition';

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
};

/** Index keys: the attribute values that place an item in an index. */
export const indexKeys = {
  visibleComment: (page: string, id: string) => ({ pub1pk: `PAGE#${page}`, pub1sk: `C#${id}` }),
  recentComment: (id: string) => ({ pub3pk: 'RECENT', pub3sk: `C#${id}` }),
  compliment: (complimentedAt: string, id: string) => ({
    pub2pk: 'COMPLIMENTS',
    pub2sk: `${complimentedAt}#${id}`,
  }),
  publicWish: (id: string) => ({ pub1pk: 'BOARD', pub1sk: `W#${id}`, rankPk: 'BOARD' }),
  writtenWish: (articlePage: string, id: string) => ({ pub2pk: `ARTICLE#${articlePage}`, pub2sk: `W#${id}` }),
  moderationQueue: (kind: 'comment' | 'wish', status: string, id: string) => ({
    modPk: `MOD#${kind}#${status}`,
    modSk: id,
  }),
};

/** Partition values for queries. */
export const partitions = {
  pageComments: (page: string) => `PAGE#${page}`,
  compliments: () => 'COMPLIMENTS',
  recentComments: () => 'RECENT',
  board: () => 'BOARD',
  article: (page: string) => `ARTICLE#${page}`,
  moderationQueue: (kind: 'comment' | 'wish', status: CommentStatus | string) => `MOD#${kind}#${status}`,
};

/** Names of the attributes that place an item in each index, to REMOVE it from one. */
export const indexAttributes = {
  public: ['pub1pk', 'pub1sk'],
  public2: ['pub2pk', 'pub2sk'],
  recent: ['pub3pk', 'pub3sk'],
  ranked: ['rankPk'],
  moderation: ['modPk', 'modSk'],
} as const;

const KEY_TYPES = new Map<string, string>([
  [TABLE_DEFINITION.partitionKey.name, TABLE_DEFINITION.partitionKey.type],
  [TABLE_DEFINITION.sortKey.name, TABLE_DEFINITION.sortKey.type],
  ...Object.values(TABLE_DEFINITION.indexes).flatMap((index): [string, string][] => [
    [index.partitionKey.name, index.partitionKey.type],
    [index.sortKey.name, index.sortKey.type],
  ]),
]);

/**
 * Cursors are opaque to clients: base64url of the last evaluated key. Decoding accepts only the
 * key attributes of the index it was made for, so a client cannot steer a query elsewhere.
 */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  if (!lastKey) return null;
  return Buffer.from(JSON.stringify(lastKey)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  allowedAttributes: readonly string[],
  expectedPartition: { attribute: string; value: string },
): Record<string, string | number> | undefined | 'invalid' {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'invalid';
    const entries = Object.entries(parsed);
    // Exactly the key attributes of that index, each of the type the table declares: a partial or
    // mistyped key would make DynamoDB fail instead of giving the client a clear 400.
    if (entries.length !== allowedAttributes.length) return 'invalid';
    for (const [name, value] of entries) {
      if (!allowedAttributes.includes(name)) return 'invalid';
      if (typeof value !== (KEY_TYPES.get(name) === 'N' ? 'number' : 'string')) return 'invalid';
    }
    if ((parsed as Record<string, unknown>)[expectedPartition.attribute] !== expectedPartition.value)
      return 'invalid';
    return parsed as Record<string, string | number>;
  } catch {
    return 'invalid';
  }
}
