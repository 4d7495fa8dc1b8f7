/** The texts of the desk's backup page (Sicherung), German and English; the command line uses the problems. */
import type { Lang } from '../messages';

const count = (one: string, many: string) => (n: number) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

const de = {
  title: 'Sicherung',
  downloadTitle: 'Herunterladen',
  downloadIntro:
    'Eine Datei mit allem: Kommentare in jedem Status mit ihren Antworten (deine Antworten mit deiner Bezeichnung), Themenwünsche in jedem Status mit Stimmen und Artikel, deine Komplimente, deine Einstellungen. Bewahre sie gut auf; mit ihr stellst du alles in einem neuen, leeren Stack wieder her.',
  withEmails: 'E-Mail-Adressen der Leser:innen mitnehmen',
  emailWarning:
    'Achtung: Dann stehen alle Adressen lesbar in der Datei. Wer die Datei hat, hat die Adressen. Nur ankreuzen, wenn du die Sicherung in einen neuen Stack einspielen willst und die Leser:innen dort weiter Mails bekommen sollen; die Datei danach löschen. Ohne Haken enthält die Datei keine Adresse.',
  download: 'Sicherung herunterladen',
  restoreTitle: 'Wiederherstellen',
  restoreIntro:
    'Eine Sicherung kommt nur in einen leeren Stack (ohne Kommentare und Wünsche): nichts wird doppelt gespeichert, nichts überschrieben. Wurde eine Wiederherstellung unterbrochen, setzt dieselbe Datei sie fort.',
  restoreLimits: (megabytes: number, items: number) =>
    `Hier im Browser: Dateien bis ${megabytes} MB (.json oder .json.gz) und bis ${items} Kommentare, Wünsche und Stimmen zusammen. Größere Sicherungen: `,
  file: 'Sicherungsdatei (.json oder .json.gz)',
  check: 'Nur prüfen',
  restore: 'Wiederherstellen',
  checked: 'Die Datei ist in Ordnung. Wiederherstellen würde schreiben:',
  restored: 'Wiederhergestellt.',
  summary: {
    comments: count('Kommentar', 'Kommentare'),
    wishes: count('Themenwunsch', 'Themenwünsche'),
    votes: count('Stimme', 'Stimmen'),
    compliments: count('Kompliment', 'Komplimente'),
    exportedAt: 'Gesichert am',
    withEmails: 'Mit E-Mail-Adressen (werden mit dem Schlüssel dieses Stacks versiegelt)',
    withoutEmails: 'Ohne E-Mail-Adressen',
    alreadyHere: count('Eintrag der Datei ist schon hier', 'Einträge der Datei sind schon hier'),
    written: count('Eintrag geschrieben', 'Einträge geschrieben'),
    present: count('Eintrag war schon da (unverändert)', 'Einträge waren schon da (unverändert)'),
  },
  siteNote:
    'Name, Sprache, Moderation und Origins des Blogs stehen zur Erinnerung in der Datei; sie gehören zum Deploy (cdk.json) und werden nicht geändert.',
  fieldLabel: 'Feld',
  problems: {
    no_file: 'Bitte eine Sicherungsdatei auswählen.',
    invalid_multipart: 'Die Datei kam nicht vollständig an. Bitte noch einmal hochladen.',
    not_json: 'Das ist keine JSON-Datei (auch nicht gzip-gepackt). Wähle die heruntergeladene Sicherung.',
    not_a_backup:
      'Das ist keine Leserpost-Sicherung. Ein WordPress- oder Disqus-Export kommt über „npm run admin -- import“.',
    unsupported_version:
      'Diese Sicherung hat ein Format, das diese Version von Leserpost nicht kennt (nur Version 1).',
    too_large: 'Die Datei ist zu groß für den Browser.',
    too_many_items: 'Die Sicherung ist zu groß, um sie im Browser wiederherzustellen.',
    stack_not_empty:
      'Hier sind schon Kommentare, Wünsche oder Komplimente gespeichert, die nicht aus dieser Datei stammen. Eine Sicherung kommt nur in einen leeren Stack; nichts wurde gespeichert.',
    export_too_large: 'Die Sicherung ist zu groß für einen Download im Browser.',
    too_many_emails:
      'Zu viele Einträge, um alle Adressen im Browser zu öffnen. Lade die Sicherung ohne Adressen herunter, oder nimm die Kommandozeile.',
    stack_not_empty_check:
      'Hier sind schon Kommentare, Wünsche oder Komplimente gespeichert, die nicht aus dieser Datei stammen: hier würde das Wiederherstellen abgelehnt.',
    unknown_field: 'Dieses Feld kennt das Format nicht.',
    required: 'Dieses Feld fehlt.',
    wrong_type: 'Dieses Feld hat die falsche Art von Wert.',
    invalid_id: 'Keine gültige Kennung.',
    invalid_date: 'Kein gültiger Zeitpunkt (z. B. 2026-11-30T12:00:00.000Z).',
    invalid_status: 'Unbekannter Status.',
    invalid_number: 'Keine gültige Anzahl.',
    invalid_email: 'Keine gültige E-Mail-Adresse.',
    too_long: 'Zu lang.',
    duplicate_id: 'Diese Kennung steht zweimal in der Datei.',
    parent_not_in_file:
      'Der Kommentar, auf den er antwortet, fehlt in der Datei (oder steht auf einer anderen Seite).',
    thread_cycle: 'Die Antworten laufen im Kreis.',
    wish_not_in_file: 'Der Wunsch, mit dem er zusammengeführt wurde, fehlt in der Datei.',
    comment_not_in_file: 'Das Kompliment gehört zu keinem freigegebenen Kommentar der Datei.',
    invalid: 'Ungültiger Wert.',
  } as Record<string, string>,
  cliHint: 'Mit der Kommandozeile geht es ohne Grenze:',
};

type BackupTexts = typeof de;

const en: BackupTexts = {
  title: 'Backup',
  downloadTitle: 'Download',
  downloadIntro:
    'One file with everything: comments in every status with their replies (your replies with your label), topic wishes in every status with votes and articles, your compliments, your settings. Keep it safe; with it you restore everything into a new, empty stack.',
  withEmails: "Include the readers' email addresses",
  emailWarning:
    'Careful: then every address is readable in the file. Whoever has the file has the addresses. Tick it only to restore the backup into a new stack where readers should keep getting mail; delete the file afterwards. Without the tick the file holds no address.',
  download: 'Download backup',
  restoreTitle: 'Restore',
  restoreIntro:
    'A backup goes into an empty stack only (no comments, no wishes): nothing is stored twice, nothing overwritten. If a restore was interrupted, the same file continues it.',
  restoreLimits: (megabytes: number, items: number) =>
    `Here in the browser: files up to ${megabytes} MB (.json or .json.gz) and up to ${items} comments, wishes and votes together. Larger backups: `,
  file: 'Backup file (.json or .json.gz)',
  check: 'Check only',
  restore: 'Restore',
  checked: 'The file is fine. Restoring would write:',
  restored: 'Restored.',
  summary: {
    comments: count('comment', 'comments'),
    wishes: count('topic wish', 'topic wishes'),
    votes: count('vote', 'votes'),
    compliments: count('compliment', 'compliments'),
    exportedAt: 'Backed up on',
    withEmails: "With email addresses (sealed with this stack's key)",
    withoutEmails: 'Without email addresses',
    alreadyHere: count('entry of the file is here already', 'entries of the file are here already'),
    written: count('entry written', 'entries written'),
    present: count('entry was there already (unchanged)', 'entries were there already (unchanged)'),
  },
  siteNote:
    "The blog's name, language, moderation and origins are in the file as a reminder; they belong to the deploy (cdk.json) and are not changed.",
  fieldLabel: 'Field',
  problems: {
    no_file: 'Please choose a backup file.',
    invalid_multipart: 'The file did not arrive complete. Please upload it again.',
    not_json: 'This is not a JSON file (nor gzip-packed JSON). Choose the downloaded backup.',
    not_a_backup:
      'This is not a Leserpost backup. A WordPress or Disqus export goes through "npm run admin -- import".',
    unsupported_version: 'This backup has a format this version of Leserpost does not know (version 1 only).',
    too_large: 'The file is too large for the browser.',
    too_many_items: 'The backup is too large to restore in the browser.',
    stack_not_empty:
      'This stack already holds comments, wishes or compliments that are not from this file. A backup goes into an empty stack only; nothing was stored.',
    export_too_large: 'The backup is too large for a download in the browser.',
    too_many_emails:
      'Too many entries to open every address in the browser. Download the backup without addresses, or use the command line.',
    stack_not_empty_check:
      'This stack already holds comments, wishes or compliments that are not from this file: restoring here would be refused.',
    unknown_field: 'The format has no such field.',
    required: 'This field is missing.',
    wrong_type: 'This field has the wrong kind of value.',
    invalid_id: 'Not a valid id.',
    invalid_date: 'Not a valid time (e.g. 2026-11-30T12:00:00.000Z).',
    invalid_status: 'Unknown status.',
    invalid_number: 'Not a valid count.',
    invalid_email: 'Not a valid email address.',
    too_long: 'Too long.',
    duplicate_id: 'This id is in the file twice.',
    parent_not_in_file: 'The comment it answers is missing from the file (or on another page).',
    thread_cycle: 'The replies run in a circle.',
    wish_not_in_file: 'The wish it was merged into is missing from the file.',
    comment_not_in_file: 'The compliment belongs to no approved comment of the file.',
    invalid: 'Invalid value.',
  } as Record<string, string>,
  cliHint: 'The command line has no such limit:',
};

export const BACKUP_TEXTS: Record<Lang, BackupTexts> = { de, en };

/** A refusal in her words: what is wrong, and where in the file (unless it is the file as a whole). */
export function backupProblemText(lang: Lang, issue: { field: string; code: string }): string {
  const t = BACKUP_TEXTS[lang];
  const text = t.problems[issue.code] ?? t.problems.invalid!;
  if (issue.field === 'file' || issue.field === 'backup') return text;
  return lang === 'de'
    ? `${t.fieldLabel} „${issue.field}“: ${text}`
    : `${t.fieldLabel} "${issue.field}": ${text}`;
}
