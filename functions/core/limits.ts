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
    /** The part before the @ (RFC 5321). */
    emailLocalMaxChars: 64,
    websiteMaxChars: 300,
    textMinChars: 2,
    textMaxChars: 5000,
    /** How long after posting a reader may edit or delete her comment with its edit key. */
    editWindowSeconds: 15 * 60,
    /** The edit key the widget makes and keeps: 16–64 characters of [A-Za-z0-9_-]. */
    editKeyMinChars: 16,
    editKeyMaxChars: 64,
    /** The cue for the author's mail about an edit sent back to moderation stays this long (TTL). */
    heldEditNoticeTtlSeconds: 7 * 24 * 60 * 60,
    /**
     * Her own held comment stays in her browser (with "awaiting approval") at most this long after
     * posting; earlier it goes once POST /comments/status says it is approved or gone.
     */
    heldShownSeconds: 14 * 24 * 60 * 60,
  },

  wish: {
    topicMinChars: 5,
    topicMaxChars: 200,
    detailsMaxChars: 2000,
    displayNameMaxChars: 80,
    /** Votes moved per transaction when merging: each takes two items, plus two counters (max 100). */
    mergeVotesPerTransaction: 49,
    /** Tries of one vote transaction when other votes on the same wish collide with it. */
    voteAttempts: 8,
    /** Tries of a status change when the wish changed between reading and writing. */
    actionAttempts: 3,
    /** Her own new wish shows to her (pending) at most this long, or until POST /wishes/status says it is on the board or gone. */
    pendingShownSeconds: 14 * 24 * 60 * 60,
  },

  /** Her own held comments or waiting wishes her browser asks about in one request (POST …/status). */
  ownStatus: { maxItems: 50 },

  /** Voter ids are random strings the browser keeps. */
  voterId: { minChars: 16, maxChars: 64 },

  /**
   * Public reads (comment lists, counts, compliments, the wish board, credits) are the same for every
   * reader: CloudFront and browsers keep them this long (Cache-Control max-age and s-maxage), and
   * may serve them this much longer while fetching a fresh copy (stale-while-revalidate). So a newly
   * visible comment reaches every reader within maxAge + staleWhileRevalidate seconds.
   */
  edgeCache: { maxAgeSeconds: 10, staleWhileRevalidateSeconds: 20 },

  list: { defaultPageSize: 50, maxPageSize: 100 },
  /** Items in each RSS feed (newest first). */
  feedItems: 50,
  /** Pages in one counts request (one BatchGetItem takes 100 keys). */
  counts: { maxPages: 100 },
  cursorMaxChars: 1024,

  /**
   * Tries of one write transaction when a concurrent transaction holds one of its items (a page or
   * rate counter under load); after that the reader gets a 503 with Retry-After.
   */
  transactionAttempts: 5,

  /**
   * Every DynamoDB call (API Lambdas, the notifier, the local stack; functions/runtime/dynamo.ts): a
   * connection must stand within connectionTimeoutMs and the whole answer arrive within
   * requestTimeoutMs, or that attempt ends with a TimeoutError; the SDK makes maxAttempts attempts
   * with jittered pauses of at most a few hundred ms between. So a database that accepts but never
   * answers costs one call at most about maxAttempts × requestTimeoutMs + 1 s (under the Lambda's
   * 10 s and API Gateway's 29 s), and the reader gets a 503 with Retry-After instead of a hang.
   * DynamoDB answers in milliseconds; the request timeout leaves room for a busy local machine.
   */
  dynamo: { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 },

  /**
   * Idempotency-Key header of POSTs: 8–128 characters of [A-Za-z0-9_.:-]; a retry within the TTL
   * gets the first response back.
   */
  idempotencyKey: { minChars: 8, maxChars: 128, ttlSeconds: 24 * 60 * 60 },

  /** One-click moderation links. */
  moderationLinkTtlSeconds: 7 * 24 * 60 * 60,
  /** Characters of a comment or wish shown on the confirmation page of a link. */
  moderationExcerptChars: 400,

  /** The local stack (`npm start`, tests): what its HTTP server and DynamoDB Local do at the edges. */
  local: {
    /** Request line plus headers Node's HTTP parser takes (431 with a JSON body above; API Gateway takes about 10 KB). */
    maxHeaderBytes: 16 * 1024,
    /** An oversized body is read and dropped up to this many bytes, so the keep-alive connection stays usable; above it the connection closes after the 413. */
    drainBytes: 1024 * 1024,
    /** How long a starting DynamoDB Local may take to answer (a JVM on a busy two-core machine takes minutes). */
    dynamoStartWithinMs: 300_000,
    /** Restarts of a DynamoDB Local that died: first pause, doubling up to the longest. */
    dynamoRestartFirstMs: 250,
    dynamoRestartMaxMs: 10_000,
    /** The stream poller while DynamoDB Local is down: first pause, doubling up to the longest. */
    outageRetryFirstMs: 250,
    outageRetryMaxMs: 5_000,
  },

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
    /**
     * A mail that failed is kept (its stream image, with sealed addresses only) until it is sent by a
     * later retry or `npm run admin -- mail-retry`: far longer than the stream's 24 hours, so the
     * first mails before SES is verified are not lost.
     */
    failedMailKeepSeconds: 90 * 24 * 60 * 60,
    /** Failed mails resent per notifier invocation by mail-retry (the stream's batch size). */
    retryBatchSize: 10,
    /**
     * Kept failed mails the notifier's sweep (every `readers.digestSweepMinutes`) and her "Resend
     * now" at the desk try at most per run, those tried longest ago first: one attempt per mail per
     * run, and a run stays well inside the notifier's 30 seconds (the CLI resends all at once).
     */
    resendPerSweep: 20,
    /**
     * No kept mail is started after this many seconds of such a run: with SES's timeouts
     * (notifier/transport.ts SES_TIMEOUTS) the run ends inside the notifier's 30 seconds.
     */
    resendSecondsPerSweep: 12,
    /** Presses of "Resend now" within one such window start one resend (one request item). */
    resendRequestWindowSeconds: 60,
  },

  /**
   * Per hashed client IP (daily rotating keyed hash), per fixed window; counters expire by TTL one
   * window after their window ends. Only stored writes count. Env RATE_LIMIT_SCALE multiplies every
   * per-window number (a load run relaxes them; 0 turns them off).
   */
  rate: {
    windowSeconds: 600,
    commentsPerWindow: 10,
    wishesPerWindow: 5,
    votesPerWindow: 60,
    /** Votes (and withdrawals) on one wish from one client IP per window: invented voter ids stop here. */
    votesPerWishPerWindow: 3,
    /** All new comments on a single page, from everyone, per window. */
    commentsPerPagePerWindow: 60,
  },

  guards: {
    /** Fewer seconds between issuing the form token and submitting means a bot. */
    minFillSeconds: 3,
    /** A form token older than this is refused (the reader reloads). */
    formTokenMaxAgeSeconds: 24 * 60 * 60,
    /**
     * Proof of work: the secret number lies in 1..powMaxNumber, so a browser hashes half of that on
     * average (SHA-256, about a second on a phone for 100 000). Env POW_MAX_NUMBER overrides it.
     */
    powMaxNumber: 100_000,
    /** Bounds for the POW_MAX_NUMBER override. */
    powMaxNumberRange: { min: 1_000, max: 10_000_000 },
    /** A challenge must be solved and used within this time; its replay marker lives as long. */
    powChallengeTtlSeconds: 30 * 60,
    /** More links than this in a text holds the comment for moderation. */
    maxLinksBeforeHold: 2,
    /** A text with at least this many letters, of which this share is upper case, is shouting: held. */
    allCapsMinLetters: 20,
    allCapsShare: 0.8,
    /** Akismet (optional) must answer within this time, or the submission is held (fail open to hold). */
    akismetTimeoutMs: 3000,
  },

  /** The author's desk (functions/handlers/desk.ts). */
  desk: {
    /** A login link works once, within this time. */
    loginLinkTtlSeconds: 15 * 60,
    /** A desk session lives this long (cookie Max-Age and the session item's TTL). */
    sessionTtlSeconds: 12 * 60 * 60,
    /**
     * A page view from another site gets one hop (core/desk/hop-page.tsx); its marker cookie
     * lives this long, ample for the reload that follows at once, short enough to be forgotten.
     */
    crossSiteHopSeconds: 30,
    /** Items per kind in the inbox, and comments or wishes per list page. */
    listPageSize: 50,
    /** How many comments above an opened one the desk reads (one GetItem each). */
    threadDepth: 20,
    /** The label beside her replies ("Autorin", "Autorin des Blogs"). */
    authorLabelMaxChars: 40,
    /** A passkey challenge works once, within this time (the browser's own dialog times out at 60 s). */
    passkeyChallengeTtlSeconds: 5 * 60,
    /** The name she gives a passkey ("iPhone", "Laptop im Büro"). */
    passkeyNameMaxChars: 60,
    /** Passkeys at most (the settings page lists them all; registration excludes them all). */
    passkeysMax: 20,
    /** The browser's answer as JSON, at most (a passkey's answer without attestation is about 1 KB). */
    passkeyResponseMaxChars: 8000,
    /**
     * The public login POSTs, so nobody floods her inbox with login links or the table with
     * challenges: login links per address (any address typed, desk address or not) per
     * loginLinkWindowSeconds and per hashed client IP per rate window; passkey sign-in challenges
     * per client IP per rate window (the login page fetches one and renews it every few minutes).
     * Beyond a link limit the page answers as always and no mail goes out; beyond the challenge
     * limit a 429 with Retry-After. RATE_LIMIT_SCALE multiplies them as the others.
     */
    loginLinkWindowSeconds: 60 * 60,
    loginLinksPerAddressPerWindow: 5,
    loginLinksPerClientPerWindow: 10,
    passkeyLoginOptionsPerClientPerWindow: 30,
    /**
     * The desk page she asked for before signing in (`next`: path and query) at most; it rides in
     * the login link of her mail, so a longer one lands on the inbox instead.
     */
    returnPathMaxChars: 1000,
  },
  /** The desk's backup (Sicherung): a full export as one file, and restoring it into an empty stack. */
  backup: {
    /**
     * The gzip-compressed download at most: a Lambda answer is at most 6 MB, and a binary body
     * travels base64 (4/3 larger). A bigger blog exports with `npm run admin -- export`.
     */
    downloadGzipBytes: 4_000_000,
    /** An uploaded backup (the request body, multipart) at most: Lambda's 6 MB request under base64. */
    uploadBytes: 4_300_000,
    /** A .json.gz upload unpacked at most (a small gzip can unpack to gigabytes). */
    unpackedBytes: 64 * 1024 * 1024,
    /** Comments, wishes and votes one restore from the desk writes at most (the desk Lambda has 28 s); more: the CLI. */
    deskRestoreItems: 3000,
    /** Comments and wishes a download with addresses from the desk opens at most (one HPKE open each); more: the CLI. */
    deskEmailItems: 3000,
    /** Items per write transaction of a restore (DynamoDB takes 100). */
    itemsPerTransaction: 50,
    /** Items per Query page while reading everything for the export. */
    readPageSize: 500,
  },
  /** A multipart upload (the desk's import and backup forms; functions/http/multipart.ts). */
  multipart: {
    /** Parts in one body at most: the forms send three or four (form token, action, file). */
    maxParts: 16,
    /** Bytes of one part's headers at most (Content-Disposition with a long file name). */
    partHeaderBytes: 4096,
  },
  /** Importing a WordPress or Disqus export at the desk (functions/usecases/import-jobs.ts). */
  import: {
    /**
     * Largest upload, in bytes. API Gateway hands a binary body to Lambda base64-encoded (4/3 of
     * it) and a Lambda request is at most 6 MB: 4 MB stay below with room for headers. Bigger
     * exports come gzip-compressed (the desk's script compresses in the browser).
     */
    uploadBytes: 4 * 1024 * 1024,
    /** Largest export after decompression (a zip bomb stops here, not in memory). */
    inflatedBytes: 48 * 1024 * 1024,
    /** Comments written per request of the progress page (each one transaction). */
    recordsPerBatch: 100,
    /** Bytes of prepared comments per stored chunk item (DynamoDB takes 400 KB per item). */
    chunkBytes: 300 * 1024,
    /** A prepared comment larger than this (a hostile body) is skipped, not stored. */
    recordBytes: 280 * 1024,
    /** An import job and its chunks vanish by TTL after this, finished or abandoned. */
    jobTtlSeconds: 2 * 24 * 60 * 60,
    /** Pages named in the summary (the rest are counted). */
    summaryPages: 30,
  },
  /** Her compliment collection at the desk (starred comments and entries by hand). */
  compliments: {
    /** Entries per page of the collection, newest first. */
    pageSize: 20,
    /** A compliment entered by hand: its text, as long as a comment may be. */
    textMaxChars: 5000,
    /** From whom (a name), shown with a public entry. */
    fromMaxChars: 80,
    /** Where it came from: "per Mail", "Workshop in Köln" or an address. */
    sourceMaxChars: 300,
    /** A search word (or words). */
    searchMaxChars: 100,
    /**
     * A search reads the collection (one partition) in Queries of this many items and filters them
     * in the use case, at most `searchMaxItems` per page shown; "Weiter suchen" continues from there.
     */
    searchBatchItems: 250,
    searchMaxItems: 1000,
  },
  readers: {
    /** The erasure notice waits this long for the notifier to mail the author, then expires. */
    erasureNoticeTtlSeconds: 7 * 24 * 60 * 60,
    /** The link in a confirmation mail (double opt-in), and how long the request waits for it. */
    confirmLinkTtlSeconds: 7 * 24 * 60 * 60,
    /**
     * Confirmation mails: the one mail sent to an unconfirmed address, so limited per address (per
     * day) and per client (per rate window) that nobody can mail-bomb an address through the blog.
     * Beyond the limit nothing is mailed and the reader's answer stays the same.
     */
    confirmationsPerAddressPerDay: 3,
    confirmationsPerClientPerWindow: 5,
    /** Replies within this time after a reply mail went out to her wait and go out as one digest. */
    replyDigestSeconds: 60 * 60,
    /** How often the notifier's digest sweep runs (EventBridge schedule; locally the poller). */
    digestSweepMinutes: 5,
    /** Digests one sweep sends at most (the rest are due in the next run). */
    digestsPerSweep: 50,
    /** Unsubscribe links work without login for a long time. */
    unsubscribeLinkTtlSeconds: 2 * 365 * 24 * 60 * 60,
    /** Delivery markers of reader mails outlive the stream's 24 h retention, then expire. */
    mailMarkerTtlSeconds: 7 * 24 * 60 * 60,
    /**
     * "Meine Daten": the link in its mail opens her data page for a day (one purpose, signed with
     * the reader link key); the request behind it waits as long, then expires.
     */
    dataLinkTtlSeconds: 24 * 60 * 60,
    /**
     * "Meine Daten" mails, limited like confirmation mails: per address per day and per client per
     * rate window. Requests for unknown addresses count too (the answer never differs).
     */
    dataRequestsPerAddressPerDay: 3,
    dataRequestsPerClientPerWindow: 5,
  },
} as const;
