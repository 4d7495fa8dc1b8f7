/**
 * The labels of an erasure's counts, German and English. The desk, the "Meine Daten" page and the
 * mail to the author show the same list; a module of its own so that the readers Lambda and the
 * notifier do not bundle every desk text for these seven lines.
 */
import type { Lang } from './messages';

export const ERASED_COUNT_TEXTS = {
  de: {
    commentsRemoved: 'Kommentare entfernt',
    commentsKeptAsPlaceholders: 'Kommentare als „gelöscht“ im Gespräch',
    wishesAnonymised: 'Wünsche ohne Namen',
    votesAnonymised: 'Stimmen ohne Adresse',
    subscriptionsRemoved: 'Benachrichtigungen beendet',
    confirmationsRemoved: 'Bestätigungen entfernt',
    otherRemoved: 'Weiteres entfernt',
  },
  en: {
    commentsRemoved: 'Comments removed',
    commentsKeptAsPlaceholders: 'Comments kept as "deleted" in a thread',
    wishesAnonymised: 'Wishes without name',
    votesAnonymised: 'Votes without address',
    subscriptionsRemoved: 'Notifications ended',
    confirmationsRemoved: 'Confirmations removed',
    otherRemoved: 'Other items removed',
  },
} satisfies Record<Lang, Record<string, string>>;
