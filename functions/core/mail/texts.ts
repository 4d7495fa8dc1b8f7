/** German and English texts of every mail Leserpost sends. German is inclusive (Leser:innen). */
import { formatLocalTimeWithZone } from '../local-time';
import type { Lang } from '../messages';

export const MAIL_TEXTS = {
  de: {
    greeting: 'Hallo,',
    newComment: (name: string, title: string) => `${name} hat einen Kommentar zu „${title}“ geschrieben.`,
    newCommentSubject: (name: string, title: string) => `Neuer Kommentar von ${name} zu „${title}“`,
    editedComment: (name: string, title: string) =>
      `${name} hat ihren schon sichtbaren Kommentar zu „${title}“ bearbeitet; die neue Fassung ist bis zu deiner Freigabe verborgen.`,
    editedCommentSubject: (name: string, title: string) => `Bearbeiteter Kommentar von ${name} zu „${title}“`,
    needsApprovalTag: '[Freigabe nötig]',
    statusPending: 'Der Kommentar wartet auf deine Freigabe.',
    statusApproved: 'Der Kommentar ist schon sichtbar (die Leser:in gilt als bekannt).',
    isReply: 'Es ist eine Antwort auf einen anderen Kommentar.',
    page: 'Seite',
    name: 'Name',
    email: 'E-Mail',
    website: 'Website',
    websiteNote: '(nicht geprüft, vorsichtig öffnen)',
    comment: 'Kommentar',
    heldBecause: 'Zurückgehalten, weil:',
    replyAtDesk: 'Antworten (am Schreibtisch)',
    actionsIntro: (until: string) =>
      `Jeder Link zeigt erst eine Bestätigungsseite und wirkt nur einmal; gültig bis ${until}.`,
    actions: {
      approve: 'Freigeben',
      compliment: 'Freigeben und als Kompliment sammeln',
      spam: 'Als Spam markieren',
      delete: 'Löschen',
      accept: 'Annehmen (öffentlich zeigen)',
      decline: 'Ablehnen (bleibt privat)',
      plan: 'Als geplant markieren',
      written: 'Als geschrieben markieren',
    } as Record<string, string>,
    newWish: (name: string) => `${name} wünscht sich ein Thema:`,
    someone: 'Jemand',
    newWishSubject: (name: string, topic: string) => `Neuer Themenwunsch von ${name}: „${topic}“`,
    topic: 'Thema',
    details: 'Details',
    publicName: 'Öffentlicher Name',
    noPublicName: '(möchte nicht genannt werden)',
    notify: 'Möchte benachrichtigt werden, wenn der Beitrag erscheint',
    yes: 'ja',
    no: 'nein',
    writtenSubject: (topic: string) => `Dein Themenwunsch ist erschienen: „${topic}“`,
    writtenBody: (site: string, topic: string) =>
      `du hattest dir bei ${site} das Thema „${topic}“ gewünscht. Der Beitrag dazu ist jetzt erschienen:`,
    writtenThanks: 'Danke für deine Idee und viel Freude beim Lesen!',
    writtenWhy: 'Du bekommst diese eine Mail, weil du beim Wunsch darum gebeten hast.',
    votedSubject: (topic: string) => `Ein Thema, für das du gestimmt hast, ist erschienen: „${topic}“`,
    votedBody: (site: string, topic: string) =>
      `du hattest bei ${site} für das Thema „${topic}“ gestimmt. Der Beitrag dazu ist jetzt erschienen:`,
    votedThanks: 'Danke für deine Stimme und viel Freude beim Lesen!',
    votedWhy: 'Du bekommst diese eine Mail, weil du bei deiner Stimme darum gebeten hast.',
    footer: (site: string) => `Leserpost für ${site}`,
    holdReasons: {
      many_links: 'viele Links',
      spam_words: 'typische Spam-Wörter',
      all_caps: 'fast nur Großbuchstaben',
      akismet_spam: 'Akismet hält ihn für Spam',
      spam_check_failed: 'die Spam-Prüfung hat nicht geantwortet',
    } as Record<string, string>,
  },
  en: {
    greeting: 'Hello,',
    newComment: (name: string, title: string) => `${name} commented on “${title}”.`,
    newCommentSubject: (name: string, title: string) => `New comment by ${name} on “${title}”`,
    editedComment: (name: string, title: string) =>
      `${name} edited their visible comment on “${title}”; the new version is hidden until you approve it.`,
    editedCommentSubject: (name: string, title: string) => `Edited comment by ${name} on “${title}”`,
    needsApprovalTag: '[Needs approval]',
    statusPending: 'The comment waits for your approval.',
    statusApproved: 'The comment is already visible (the reader is known).',
    isReply: 'It is a reply to another comment.',
    page: 'Page',
    name: 'Name',
    email: 'Email',
    website: 'Website',
    websiteNote: '(not checked, open with care)',
    comment: 'Comment',
    heldBecause: 'Held because:',
    replyAtDesk: 'Reply (at your desk)',
    actionsIntro: (until: string) =>
      `Each link first shows a confirmation page and works once; valid until ${until}.`,
    actions: {
      approve: 'Approve',
      compliment: 'Approve and keep as a compliment',
      spam: 'Mark as spam',
      delete: 'Delete',
      accept: 'Accept (show publicly)',
      decline: 'Decline (stays private)',
      plan: 'Mark as planned',
      written: 'Mark as written',
    } as Record<string, string>,
    newWish: (name: string) => `${name} wishes for a topic:`,
    someone: 'Someone',
    newWishSubject: (name: string, topic: string) => `New topic wish by ${name}: “${topic}”`,
    topic: 'Topic',
    details: 'Details',
    publicName: 'Public name',
    noPublicName: '(does not want to be named)',
    notify: 'Wants to hear when the post is out',
    yes: 'yes',
    no: 'no',
    writtenSubject: (topic: string) => `Your topic wish is out: “${topic}”`,
    writtenBody: (site: string, topic: string) =>
      `you wished for the topic “${topic}” at ${site}. The post about it is out now:`,
    writtenThanks: 'Thank you for the idea, and enjoy reading!',
    writtenWhy: 'You get this one mail because you asked for it with your wish.',
    votedSubject: (topic: string) => `A topic you voted for is out: “${topic}”`,
    votedBody: (site: string, topic: string) =>
      `you voted for the topic “${topic}” at ${site}. The post about it is out now:`,
    votedThanks: 'Thank you for your vote, and enjoy reading!',
    votedWhy: 'You get this one mail because you asked for it with your vote.',
    footer: (site: string) => `Leserpost for ${site}`,
    holdReasons: {
      many_links: 'many links',
      spam_words: 'typical spam words',
      all_caps: 'almost all capitals',
      akismet_spam: 'Akismet considers it spam',
      spam_check_failed: 'the spam check did not answer',
    } as Record<string, string>,
  },
} satisfies Record<Lang, unknown>;

export type MailTexts = (typeof MAIL_TEXTS)[Lang];

/** A time in a mail: in the blog's time zone, with the zone's name. */
export function formatDate(date: Date, lang: Lang, timeZone: string): string {
  return formatLocalTimeWithZone(date, lang, timeZone);
}
