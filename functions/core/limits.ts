/**
 * Every limit of Leserpost in one place: lengths, sizes, counts, rates and lifetimes.
 * Schemas, handlers, the store and the widget read them from here and nowhere else.
 */
export const LIMITS = {
  /** Largest request body the API accepts, in bytes (413 above). */
  bodyBytes: 16 * 1024,
  /** Longest raw query string, in characters (414 above). */
  queryStringChars: 4096,

  page: { maxChars: 500 },
  pageTitle: { maxChars: 300 },
  pageUrl: { maxChars: 2000 },

  comment: {
    nameMaxChars: 80,
    emailMaxChars: 254,
    websiteMaxChars: 300,
    textMinChars: 2,
    textMaxChars: 5000,
  },

  wish: {
    topicMinChars: 5,
    topicMaxChars: 200,
    detailsMaxChars: 2000,
    displayNameMaxChars: 80,
  },

  /** Voter ids are random strings the browser keeps. */
  voterId: { minChars: 16, maxChars: 64 },

  list: { defaultPageSize: 50, maxPageSize: 100 },
  /** Pages in one counts request (one BatchGetItem takes 100 keys). */
  counts: { maxPages: 100 },
  cursorMaxChars: 1024,

  idempotencyKey: { minChars: 8, maxChars: 128, ttlSeconds: 24 * 60 * 60 },

  /** One-click moderation links. */
  moderationLinkTtlSeconds: 7 * 24 * 60 * 60,
  /** Characters of a comment or wish shown on the confirmation page of a link. */
  moderationExcerptChars: 400,

  notifier: {
    /** A claim on a mail ("sending") that a crashed sender left behind can be taken over after this. */
    claimLeaseSeconds: 120,
    /** Markers of sent author mails outlive the stream's 24 h retention, then expire by TTL. */
    authorMailMarkerTtlSeconds: 7 * 24 * 60 * 60,
    /** Retries of a failed stream record (as the event source mapping's MaximumRetryAttempts). */
    maxRetries: 3,
    /** The local stream poller: pause between reads, first retry delay (doubling). */
    pollIntervalMs: 250,
    retryDelayMs: 200,
  },

  /** Per hashed client IP, per fixed window. */
  rate: {
    windowSeconds: 600,
    commentsPerWindow: 10,
    wishesPerWindow: 5,
    votesPerWindow: 60,
    /** All new comments on a single page, from everyone, per window. */
    commentsPerPagePerWindow: 60,
  },

  guards: {
    /** Fewer seconds between issuing the form token and submitting means a bot. */
    minFillSeconds: 3,
    /** A form token older than this is refused (the reader reloads). */
    formTokenMaxAgeSeconds: 24 * 60 * 60,
    powMaxNumber: 100_000,
    powChallengeTtlSeconds: 30 * 60,
    /** More links than this in a text holds the comment for moderation. */
    maxLinksBeforeHold: 2,
  },
} as const;
