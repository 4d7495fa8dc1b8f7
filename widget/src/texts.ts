/**
 * The widget's own texts, German first, English second: short, because every byte is loaded on
 * every post. German speaks to readers informally and inclusively (Leser:innen), like the blogs we
 * serve. Texts of the wish board live in its chunk.
 *
 * One text a line, `key|Deutsch|English` (`key|Both` when the languages agree): as one string it is
 * smaller than an object literal, see `parseTexts` in kit.ts.
 */
export const TEXTS = `comments|Kommentare|Comments
empty|Noch keine Kommentare.|No comments yet.
write|Kommentar schreiben|Write a comment
replyTo|Antwort an {n}|Reply to {n}
reply|Antworten|Reply
cancel|Abbrechen|Cancel
more|Weitere Kommentare|More comments
loadFailed|Die Kommentare konnten nicht geladen werden. Bitte lade die Seite neu.|The comments could not be loaded. Please reload the page.
deleted|Gelöschter Kommentar|Deleted comment
pending|Wartet auf Freigabe – bis dahin siehst nur du ihn.|Awaiting approval – until then only you see it.
thanks|Danke für deinen Kommentar!|Thank you for your comment!
thanksHeld|Danke! Dein Kommentar erscheint nach der Freigabe.|Thank you! Your comment will appear once approved.
name|Name
email|E-Mail|Email
emailHint|Wird nicht veröffentlicht.|Will not be published.
website|Website
text|Kommentar|Comment
notifyReplies|Benachrichtige mich bei Antworten (nach Bestätigung per Mail)|Notify me of replies (after confirming by mail)
consent|Meine Angaben dürfen gespeichert werden, damit mein Beitrag erscheint.|My details may be stored so that my post can appear.
privacy|Datenschutz|Privacy
local|Angaben in diesem Browser merken|Remember me in this browser
requiredNote|* Pflichtfeld|* Required
send|Kommentar senden|Post comment
sending|Wird gesendet …|Sending …
check|Bitte prüfe die markierten Felder.|Please check the marked fields.
offline|Keine Verbindung. Bitte versuche es noch einmal.|No connection. Please try again.
credit|Dieses Thema wünschte sich {n}|This topic was wished for by {n}
someone|ein:e Leser:in|a reader
votes|{n} Stimmen|{n} votes
vote1|1 Stimme|1 vote
e_required|Bitte ausfüllen.|Please fill this in.
e_too_short|Zu kurz.|Too short.
e_too_long|Zu lang.|Too long.
e_invalid_characters|Enthält unzulässige Zeichen.|Contains characters that are not allowed.
e_invalid_email|Bitte eine gültige E-Mail-Adresse angeben.|Please enter a valid email address.
e_invalid_url|Bitte mit https:// beginnen.|Please start with https://.
e_consent_required|Bitte stimme zu.|Please agree.
e_invalid|Ungültig.|Not valid.`;
