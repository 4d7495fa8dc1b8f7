/**
 * The widget's own texts, German first, English second: short, because every byte is loaded on
 * every post. German speaks to readers informally and inclusively (Leser:innen), like the blogs we
 * serve. Texts of the form live in the form chunk (forms.ts), those of the wish board in its chunk.
 *
 * One text a line, `key|Deutsch|English` (`key|Both` when the languages agree): as one string it is
 * smaller than an object literal, see `addTexts` in kit.ts.
 */
export const TEXTS = `comments|Kommentare|Comments
empty|Noch keine Kommentare.|No comments yet.
reply|Antworten|Reply
edit|Bearbeiten|Edit
delete|Löschen|Delete
sure|Kommentar wirklich löschen?|Really delete this comment?
more|Weitere Kommentare|More comments
order|Reihenfolge|Order
oldest|Älteste zuerst|Oldest first
newest|Neueste zuerst|Newest first
feed|Kommentare als RSS|Comments as RSS
loadFailed|Kommentare nicht geladen. Bitte lade die Seite neu.|Comments not loaded. Please reload the page.
deleted|Gelöschter Kommentar|Deleted comment
edited|bearbeitet|edited
author|Autorin|Author
pending|Wartet auf Freigabe – bis dahin siehst nur du ihn.|Awaiting approval – until then only you see it.
offline|Keine Verbindung. Bitte versuche es noch einmal.|No connection. Please try again.
votes|{n} Stimmen|{n} votes
vote1|1 Stimme|1 vote`;
