/**
 * The import's texts, German and English: every code the importer knows (a skipped entry's
 * reason, a refused file's kind) becomes a sentence she can act on.
 */
import { LIMITS } from '../limits';
import type { Lang } from '../messages';

const MB = (bytes: number) => Math.round(bytes / (1024 * 1024));
const UPLOAD_MB = MB(LIMITS.import.uploadBytes);
const INFLATED_MB = MB(LIMITS.import.inflatedBytes);
const RECORD_KB = Math.round(LIMITS.import.recordBytes / 1024);

type Count = (n: number) => string;
const n = (value: number, lang: Lang) => value.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB');

/** What a file is, named in a sentence ("ein Disqus-Export"). */
type KindNames = Record<
  'wordpress' | 'disqus' | 'backup' | 'rss' | 'atom' | 'html' | 'xml' | 'json' | 'zip' | 'empty' | 'unknown',
  string
>;

export interface ImportTexts {
  title: string;
  intro: string;
  howWordPress: string;
  howDisqus: string;
  sizes: string;
  file: string;
  upload: string;
  compressing: string;
  tooLargeForBrowser: string;
  refused: {
    file_missing: string;
    inflated_too_large: string;
    corrupt_gzip: string;
    /** Says what the file is and what to do instead. */
    wrong_kind: KindNames;
    no_comments: (kind: string) => string;
    backupLink: string;
  };
  kinds: KindNames;
  progressTitle: string;
  of: (done: number, total: number) => string;
  running: string;
  continue: string;
  lost: string;
  doneTitle: string;
  source: Record<'wordpress' | 'disqus', string>;
  summary: {
    imported: Count;
    placeholders: Count;
    alreadyPresent: Count;
    orphanReplies: Count;
    droppedDeleted: Count;
    skipped: Record<
      'pingback' | 'trackback' | 'orphan_thread' | 'deleted_thread' | 'no_id' | 'empty' | 'too_large',
      Count
    >;
    otherSkipped: Count;
    pages: Count;
    morePages: Count;
    nothing: string;
  };
  toComments: string;
  again: string;
}

const de: ImportTexts = {
  title: 'Import',
  intro:
    'Hol deine bisherigen Kommentare zu Leserpost: Daten, Status und Antworten bleiben, E-Mail-Adressen werden versiegelt. Zweimal importieren schadet nicht: nichts wird doppelt übernommen.',
  howWordPress:
    'WordPress: Werkzeuge → Daten exportieren → „Alle Inhalte“ → Export-Datei herunterladen (.xml).',
  howDisqus: 'Disqus: Admin → Community → Export; die Datei kommt per Mail (.xml.gz).',
  sizes: `Ob WordPress oder Disqus, erkennt der Schreibtisch selbst. Bis ${UPLOAD_MB} MB geht jede Datei; größere packt dein Browser vor dem Hochladen (bis ${INFLATED_MB} MB). Ohne JavaScript: die Datei vorher als .xml.gz packen (z. B. mit 7-Zip oder gzip).`,
  file: 'Export-Datei (.xml oder .xml.gz)',
  upload: 'Importieren',
  compressing: 'Die Datei wird gepackt …',
  tooLargeForBrowser: `Die Datei ist auch gepackt größer als ${UPLOAD_MB} MB (entpackt höchstens ${INFLATED_MB} MB). Exportiere in WordPress einzelne Zeiträume und importiere sie nacheinander.`,
  refused: {
    file_missing: 'Bitte eine Datei wählen (Feld „Export-Datei“).',
    inflated_too_large: `Die Export-Datei ist entpackt größer als ${INFLATED_MB} MB. Exportiere in WordPress einzelne Zeiträume (Werkzeuge → Daten exportieren → Beiträge → Zeitraum) und importiere sie nacheinander.`,
    corrupt_gzip:
      'Die Export-Datei sieht gepackt aus (.gz), lässt sich aber nicht entpacken. Lade sie noch einmal herunter.',
    wrong_kind: {
      wordpress: '',
      disqus: '',
      backup:
        'Das ist eine Leserpost-Sicherung, kein WordPress- oder Disqus-Export. Eine Sicherung stellst du auf der Seite „Sicherung“ wieder her.',
      rss: 'Das ist ein RSS-Feed (die neuesten Beiträge), kein Export mit Kommentaren. In WordPress: Werkzeuge → Daten exportieren → „Alle Inhalte“.',
      atom: 'Das ist ein Atom-Feed, kein Export mit Kommentaren. In WordPress: Werkzeuge → Daten exportieren → „Alle Inhalte“.',
      html: 'Das ist eine Webseite (HTML), kein Export. Lade die Datei hoch, die WordPress oder Disqus beim Exportieren gibt (.xml oder .xml.gz).',
      xml: 'Das ist eine XML-Datei, aber weder ein WordPress-Export (WXR) noch ein Disqus-Export.',
      json: 'Das ist eine JSON-Datei, aber weder eine Leserpost-Sicherung noch ein Export mit Kommentaren.',
      zip: 'Das ist ein ZIP-Archiv. Entpacke es und lade die XML-Datei daraus hoch.',
      empty: 'Die Datei ist leer.',
      unknown:
        'Diese Datei ist weder ein WordPress-Export (WXR, .xml) noch ein Disqus-Export (.xml oder .xml.gz).',
    },
    no_comments: (kind) => `Das ist ${kind}, aber darin steht kein Kommentar, den Leserpost übernehmen kann.`,
    backupLink: 'Zur Sicherung',
  },
  kinds: {
    wordpress: 'ein WordPress-Export',
    disqus: 'ein Disqus-Export',
    backup: 'eine Leserpost-Sicherung',
    rss: 'ein RSS-Feed',
    atom: 'ein Atom-Feed',
    html: 'eine Webseite',
    xml: 'eine XML-Datei',
    json: 'eine JSON-Datei',
    zip: 'ein ZIP-Archiv',
    empty: 'eine leere Datei',
    unknown: 'eine unbekannte Datei',
  },
  progressTitle: 'Import läuft',
  of: (done, total) => `${n(done, 'de')} von ${n(total, 'de')}`,
  running: 'Lass diese Seite offen, es geht von selbst weiter. Ohne JavaScript: auf „Weiter“ tippen.',
  continue: 'Weiter',
  lost: 'Dieser Import wurde zu lange nicht fortgesetzt; seine vorbereiteten Daten sind abgelaufen. Lade die Datei noch einmal hoch: was schon da ist, bleibt, nichts wird doppelt übernommen.',
  doneTitle: 'Import fertig',
  source: { wordpress: 'Aus dem WordPress-Export:', disqus: 'Aus dem Disqus-Export:' },
  summary: {
    imported: (c) => (c === 1 ? '1 Kommentar übernommen.' : `${n(c, 'de')} Kommentare übernommen.`),
    placeholders: (c) =>
      `Davon ${n(c, 'de')} als „gelöscht“-Platzhalter: gelöschte Kommentare, an denen sichtbare Antworten hängen.`,
    alreadyPresent: (c) => `${n(c, 'de')} waren schon da (früher importiert) und bleiben, wie sie sind.`,
    orphanReplies: (c) =>
      `${n(c, 'de')} Antworten, deren Ausgangskommentar im Export fehlt, stehen jetzt als eigene Kommentare.`,
    droppedDeleted: (c) => `${n(c, 'de')} gelöschte Kommentare ohne Antworten wurden weggelassen.`,
    skipped: {
      pingback: (c) => `${n(c, 'de')} Pingbacks (automatische Hinweise anderer Blogs) übersprungen.`,
      trackback: (c) => `${n(c, 'de')} Trackbacks (automatische Hinweise anderer Blogs) übersprungen.`,
      orphan_thread: (c) => `${n(c, 'de')} Kommentare übersprungen: ihre Seite fehlt im Export.`,
      deleted_thread: (c) => `${n(c, 'de')} Kommentare übersprungen: ihre Seite ist bei Disqus gelöscht.`,
      no_id: (c) => `${n(c, 'de')} Einträge ohne Kennung übersprungen (beschädigte Stellen im Export).`,
      empty: (c) => `${n(c, 'de')} leere Kommentare übersprungen.`,
      too_large: (c) => `${n(c, 'de')} Kommentare übersprungen: größer als ${RECORD_KB} KB.`,
    },
    otherSkipped: (c) => `${n(c, 'de')} weitere Einträge übersprungen.`,
    pages: (c) => (c === 1 ? 'Auf einer Seite:' : `Auf ${n(c, 'de')} Seiten:`),
    morePages: (c) => `und ${n(c, 'de')} weitere`,
    nothing: 'In dieser Datei war nichts zu übernehmen.',
  },
  toComments: 'Zu den Kommentaren',
  again: 'Noch eine Datei importieren',
};

const en: ImportTexts = {
  title: 'Import',
  intro:
    'Bring your existing comments to Leserpost: dates, statuses and replies are kept, email addresses are sealed. Importing twice does no harm: nothing is taken over twice.',
  howWordPress: 'WordPress: Tools → Export → "All content" → Download Export File (.xml).',
  howDisqus: 'Disqus: Admin → Community → Export; the file arrives by mail (.xml.gz).',
  sizes: `The desk tells WordPress from Disqus by itself. Any file up to ${UPLOAD_MB} MB works; your browser packs bigger ones before the upload (up to ${INFLATED_MB} MB). Without JavaScript: pack the file as .xml.gz first (e.g. with 7-Zip or gzip).`,
  file: 'Export file (.xml or .xml.gz)',
  upload: 'Import',
  compressing: 'Packing the file …',
  tooLargeForBrowser: `The file is bigger than ${UPLOAD_MB} MB even packed (at most ${INFLATED_MB} MB unpacked). Export single periods in WordPress and import them one after the other.`,
  refused: {
    file_missing: 'Please choose a file (field "Export file").',
    inflated_too_large: `The export file is bigger than ${INFLATED_MB} MB unpacked. Export single periods in WordPress (Tools → Export → Posts → date range) and import them one after the other.`,
    corrupt_gzip: 'The export file looks packed (.gz) but cannot be unpacked. Download it again.',
    wrong_kind: {
      wordpress: '',
      disqus: '',
      backup:
        'This is a Leserpost backup, not a WordPress or Disqus export. A backup is restored on the "Backup" page.',
      rss: 'This is an RSS feed (the latest posts), not an export with comments. In WordPress: Tools → Export → "All content".',
      atom: 'This is an Atom feed, not an export with comments. In WordPress: Tools → Export → "All content".',
      html: 'This is a web page (HTML), not an export. Upload the file WordPress or Disqus gives you when exporting (.xml or .xml.gz).',
      xml: 'This is an XML file, but neither a WordPress export (WXR) nor a Disqus export.',
      json: 'This is a JSON file, but neither a Leserpost backup nor an export with comments.',
      zip: 'This is a ZIP archive. Unpack it and upload the XML file inside.',
      empty: 'The file is empty.',
      unknown: 'This file is neither a WordPress export (WXR, .xml) nor a Disqus export (.xml or .xml.gz).',
    },
    no_comments: (kind) => `This is ${kind}, but it holds no comment Leserpost can take over.`,
    backupLink: 'To the backup page',
  },
  kinds: {
    wordpress: 'a WordPress export',
    disqus: 'a Disqus export',
    backup: 'a Leserpost backup',
    rss: 'an RSS feed',
    atom: 'an Atom feed',
    html: 'a web page',
    xml: 'an XML file',
    json: 'a JSON file',
    zip: 'a ZIP archive',
    empty: 'an empty file',
    unknown: 'an unknown file',
  },
  progressTitle: 'Import running',
  of: (done, total) => `${n(done, 'en')} of ${n(total, 'en')}`,
  running: 'Keep this page open, it goes on by itself. Without JavaScript: tap "Continue".',
  continue: 'Continue',
  lost: 'This import was not continued for too long; its prepared data expired. Upload the file again: what is there stays, nothing is taken over twice.',
  doneTitle: 'Import finished',
  source: { wordpress: 'From the WordPress export:', disqus: 'From the Disqus export:' },
  summary: {
    imported: (c) => (c === 1 ? '1 comment imported.' : `${n(c, 'en')} comments imported.`),
    placeholders: (c) =>
      `${n(c, 'en')} of them as "deleted" placeholders: deleted comments with visible replies hanging on them.`,
    alreadyPresent: (c) => `${n(c, 'en')} were there already (imported before) and stay as they are.`,
    orphanReplies: (c) =>
      `${n(c, 'en')} replies whose original comment is missing from the export now stand as comments of their own.`,
    droppedDeleted: (c) => `${n(c, 'en')} deleted comments without replies were left out.`,
    skipped: {
      pingback: (c) => `${n(c, 'en')} pingbacks (automatic notes from other blogs) skipped.`,
      trackback: (c) => `${n(c, 'en')} trackbacks (automatic notes from other blogs) skipped.`,
      orphan_thread: (c) => `${n(c, 'en')} comments skipped: their page is missing from the export.`,
      deleted_thread: (c) => `${n(c, 'en')} comments skipped: their page was deleted in Disqus.`,
      no_id: (c) => `${n(c, 'en')} entries without an id skipped (damaged parts of the export).`,
      empty: (c) => `${n(c, 'en')} empty comments skipped.`,
      too_large: (c) => `${n(c, 'en')} comments skipped: larger than ${RECORD_KB} KB.`,
    },
    otherSkipped: (c) => `${n(c, 'en')} further entries skipped.`,
    pages: (c) => (c === 1 ? 'On one page:' : `On ${n(c, 'en')} pages:`),
    morePages: (c) => `and ${n(c, 'en')} more`,
    nothing: 'There was nothing to import in this file.',
  },
  toComments: 'To the comments',
  again: 'Import another file',
};

export const IMPORT_TEXTS: Record<Lang, ImportTexts> = { de, en };
