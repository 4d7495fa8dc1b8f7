/** The schedule's event (EventBridge) that makes the notifier send the due reply digests. Plain data, safe for lib/. */
export const DIGEST_SWEEP_EVENT = { source: 'leserpost.digest-sweep' } as const;
