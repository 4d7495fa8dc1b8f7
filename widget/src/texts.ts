/**
 * The widget's own texts, German first, English second. German speaks to readers informally and
 * inclusively (Leser:innen), like the blogs we serve. Texts of the wish board live in its chunk.
 */
export type Texts = Record<string, readonly [de: string, en: string]>;

export const TEXTS = {
  comments: ['Kommentare', 'Comments'],
  empty: ['Noch keine Kommentare. Schreib den ersten!', 'No comments yet. Be the first to write one!'],
  write: ['Kommentar schreiben', 'Write a comment'],
  replyTo: ['Antwort an {n}', 'Reply to {n}'],
  reply: ['Antworten', 'Reply'],
  cancel: ['Abbrechen', 'Cancel'],
  more: ['Weitere Kommentare laden', 'Load more comments'],
  retry: ['Erneut versuchen', 'Try again'],
  loadFailed: ['Die Kommentare konnten nicht geladen werden.', 'The comments could not be loaded.'],
  deleted: ['Dieser Kommentar wurde gelöscht.', 'This comment was deleted.'],
  pending: [
    'Wartet auf Freigabe – bis dahin siehst nur du diesen Kommentar.',
    'Waiting for approval – until then only you can see this comment.',
  ],
  thanks: ['Danke für deinen Kommentar!', 'Thank you for your comment!'],
  thanksHeld: [
    'Danke! Dein Kommentar erscheint, sobald er freigegeben ist.',
    'Thank you! Your comment will appear once it is approved.',
  ],
  name: ['Name', 'Name'],
  email: ['E-Mail', 'Email'],
  emailHint: ['Wird nicht veröffentlicht.', 'Will not be published.'],
  website: ['Website', 'Website'],
  text: ['Kommentar', 'Comment'],
  consent: [
    'Ich bin einverstanden, dass meine Angaben gespeichert werden, damit mein Beitrag erscheinen kann.',
    'I agree that my details are stored so that my post can be published.',
  ],
  privacy: ['Datenschutzerklärung', 'Privacy policy'],
  remember: [
    'Name, E-Mail und Website in diesem Browser merken',
    'Remember my name, email and website in this browser',
  ],
  requiredNote: ['Felder mit * sind Pflichtfelder.', 'Fields marked * are required.'],
  optional: ['(freiwillig)', '(optional)'],
  send: ['Kommentar senden', 'Post comment'],
  sending: ['Wird gesendet …', 'Sending …'],
  check: ['Bitte prüfe die markierten Felder.', 'Please check the marked fields.'],
  offline: [
    'Keine Verbindung zum Server. Bitte versuche es noch einmal.',
    'Could not reach the server. Please try again.',
  ],
  credit: ['Dieses Thema wünschte sich {n}', 'This topic was wished for by {n}'],
  someone: ['ein:e Leser:in', 'a reader'],
  votes: ['{n} Stimmen', '{n} votes'],
  vote1: ['1 Stimme', '1 vote'],
  // Client-side validation: the schema's issue codes (the server sends its own texts).
  e_required: ['Bitte ausfüllen.', 'Please fill this in.'],
  e_too_short: ['Das ist zu kurz.', 'This is too short.'],
  e_too_long: ['Das ist zu lang.', 'This is too long.'],
  e_invalid_characters: ['Enthält unzulässige Zeichen.', 'Contains characters that are not allowed.'],
  e_invalid_email: ['Bitte eine gültige E-Mail-Adresse angeben.', 'Please enter a valid email address.'],
  e_invalid_url: [
    'Bitte eine Adresse angeben, die mit https:// beginnt.',
    'Please enter an address starting with https://.',
  ],
  e_consent_required: ['Bitte stimme der Speicherung zu.', 'Please agree to your details being stored.'],
  e_invalid: ['Dieser Wert ist ungültig.', 'This value is not valid.'],
} satisfies Texts;
