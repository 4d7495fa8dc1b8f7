/**
 * The one description of the table: key attributes, indexes and their projections. The CDK data
 * stack and the local stack (dev server, tests) both build the table from this, so they cannot
 * drift apart. Plain data only: no SDK import, safe for lib/ to read.
 */

/** Attributes anyone may see. Public indexes project these and nothing else. */
export const PUBLIC_ATTRIBUTES = [
  'kind',
  'id',
  'page',
  'parentId',
  'name',
  'website',
  'text',
  'status',
  'createdAt',
  'compliment',
  'complimentedAt',
  'placeholder',
  'editedAt',
  'byAuthor',
  'authorLabel',
  'topic',
  'details',
  'publicName',
  'votes',
  'articleUrl',
  'articlePage',
  'writtenAt',
  'mergedInto',
] as const;

/** Attributes that must never leave through a public read. Tests check they are not projected. */
export const PRIVATE_ATTRIBUTES = [
  'emailEnc',
  'emailHash',
  'ipHash',
  'pageUrl',
  'pageTitle',
  'requesterName',
  'notifyWhenWritten',
  'notifyReplies',
  'holdReasons',
  'editKeyHash',
  'wishKeyHash',
  'lang',
  'source',
] as const;

export type KeyType = 'S' | 'N';

export interface IndexDefinition {
  partitionKey: { name: string; type: KeyType };
  sortKey: { name: string; type: KeyType };
  /** A list of non-key attributes, or 'ALL' for a private index. */
  projection: readonly string[] | 'ALL';
  public: boolean;
}

export const TABLE_DEFINITION = {
  partitionKey: { name: 'pk', type: 'S' as KeyType },
  sortKey: { name: 'sk', type: 'S' as KeyType },
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /** Visible comments of a page (PAGE#…), public wishes by age (BOARD). */
    public: {
      partitionKey: { name: 'pub1pk', type: 'S' },
      sortKey: { name: 'pub1sk', type: 'S' },
      projection: PUBLIC_ATTRIBUTES,
      public: true,
    },
    /** Compliments of the site; written wishes by their article page. */
    public2: {
      partitionKey: { name: 'pub2pk', type: 'S' },
      sortKey: { name: 'pub2sk', type: 'S' },
      projection: PUBLIC_ATTRIBUTES,
      public: true,
    },
    /** The blog's visible comments, newest first (the feed of the latest comments). */
    recent: {
      partitionKey: { name: 'pub3pk', type: 'S' },
      sortKey: { name: 'pub3sk', type: 'S' },
      projection: PUBLIC_ATTRIBUTES,
      public: true,
    },
    /** Public wishes by vote count. */
    ranked: {
      partitionKey: { name: 'rankPk', type: 'S' },
      sortKey: { name: 'votes', type: 'N' },
      projection: PUBLIC_ATTRIBUTES,
      public: true,
    },
    /** The author's queues: everything by kind and status. Private: never used by a public route. */
    moderation: {
      partitionKey: { name: 'modPk', type: 'S' },
      sortKey: { name: 'modSk', type: 'S' },
      projection: 'ALL',
      public: false,
    },
    /**
     * Everything stored for one address, by its lookup hash (data export and erasure). Items join
     * it simply by carrying `emailHash`; an erased or deleted item loses it and leaves. Private.
     */
    reader: {
      partitionKey: { name: 'emailHash', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      projection: 'ALL',
      public: false,
    },
    /**
     * The desk's own lists the moderation index cannot hold: her compliment collection (starred
     * comments and entries by hand, newest first), public or not. Private.
     */
    desk: {
      partitionKey: { name: 'deskPk', type: 'S' },
      sortKey: { name: 'deskSk', type: 'S' },
      projection: 'ALL',
      public: false,
    },
  } satisfies Record<string, IndexDefinition>,
} as const;

export type IndexName = keyof typeof TABLE_DEFINITION.indexes;
