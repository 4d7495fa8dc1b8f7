/**
 * The author's command line: see what waits, and approve, file as spam, delete or collect
 * comments; move wishes along. It calls the same use cases as the one-click links in her mail.
 *
 *   npm run admin -- pending                      (local stack, from .leserpost/local.json)
 *   npm run admin -- approve <id> --table leserpost-data --region eu-central-1 --seal-key-arn arn:…
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DomainError, describeDomainError } from '../functions/usecases/errors';

const USAGE = `Leserpost – Moderation auf der Kommandozeile / moderation on the command line

Aufruf / usage:  npm run admin -- <Befehl/command> [Argumente/arguments] [Optionen/options]

Kommentare / comments
  pending [comments|wishes]        Wartendes zeigen / show what waits (default: both)
  approve <id>                     Freigeben / approve
  compliment <id>                  Freigeben und als Kompliment sammeln / approve and keep as a compliment
  spam <id>                        Als Spam ablegen / file as spam
  delete <id>                      Löschen (Platzhalter bei Antworten) / delete (placeholder if replied to)

Themenwünsche / topic wishes
  wish-accept <id>                 Annehmen (öffentlich) / accept (public)
  wish-decline <id>                Ablehnen (bleibt privat) / decline (stays private)
  wish-spam <id>                   Als Spam ablegen / file as spam
  wish-plan <id>                   Als geplant markieren / mark as planned
  wish-written <id> <articleUrl> [date]
                                   Als geschrieben markieren; die Leser:in bekommt einmal eine Mail,
                                   wenn sie darum gebeten hat / mark as written; the reader gets one
                                   mail if she asked for it
  wish-merge <duplicateId> <originalId>
                                   Doppelten Wunsch zusammenführen / merge a duplicate wish

Schlüssel / keys
  reseal                           Alte (AES, v1) E-Mail-Adressen mit dem neuen öffentlichen Schlüssel
                                   versiegeln; wiederholbar, setzt nach Abbruch fort / seal legacy (AES,
                                   v1) addresses with the new public key; safe to repeat, resumes
                                   (deployed: --secret-arn, --seal-key-arn, --hash-key-arn)
Schreibtisch / desk
  desk-link                        Einen Anmelde-Link für den Schreibtisch ausgeben (15 Minuten, einmal) /
                                   print a login link for the desk (15 minutes, once)
                                   (bereitgestellt / deployed: --desk-url <DeskUrl>)

Umzug / moving in
  import wordpress <datei.xml>     Kommentare aus einem WordPress-Export (WXR) übernehmen /
                                   import comments from a WordPress export (WXR)
  import disqus <datei.xml>        Kommentare aus einem Disqus-Export übernehmen / from a Disqus export
                                   (Daten, Status und Antworten bleiben; zweimal importieren schadet nicht /
                                   dates, statuses and replies are kept; importing twice does no harm)

Sicherung / backup
  export [--emails] > datei.json   Alles als eine JSON-Datei (wie „Sicherung“ am Schreibtisch; Adressen nur
                                   mit --emails, dann lesbar in der Datei!) / everything as one JSON file
                                   (as the desk's "Backup"; addresses only with --emails, then readable!)
  restore <datei.json[.gz]>        Eine Sicherung in einen leeren Stack einspielen (ohne Größengrenze;
                                   unterbrochen: noch einmal aufrufen) / restore a backup into an empty
                                   stack (no size limit; interrupted: run it again)

Betrieb / operations
  mail-retry                       Fehlgeschlagene Mails erneut senden (doppelt sendet nichts) /
                                   resend failed mails (running it twice sends nothing twice)
  doctor                           Nach dem Deploy prüfen, was ein Deploy nicht prüfen kann /
                                   after a deploy, check what a deploy cannot (SES, DNS, widget, CORS)

Optionen / options
  (keine / none)                   Lokaler Stack von \`npm start\` (.leserpost/local.json, .leserpost/keys/)
  --data <dir>                     Anderer lokaler Datenordner / another local data folder
  --table <name> --region <r>      Eine bereitgestellte Tabelle mit AWS-Zugangsdaten / a deployed table,
                                   with AWS credentials from the environment
  --seal-key-arn <EmailSealKeyArn> Schlüssel, der E-Mail-Adressen öffnet (zeigen, importieren) /
                                   the key that opens email addresses (show, import; deployed)
  --hash-key-arn <HashKeysArn>     Schlüssel der Suchwerte (import, reseal) / lookup-hash key (deployed)
  --secret-arn <MasterSecretArn>   Altes Hauptgeheimnis, nur bis reseal lief / the legacy master
                                   secret, only until reseal ran (deployed)
  --origins <https://blog.example> Erlaubte Origins des Blogs für wish-written (deployed) /
                                   the blog's origins, for wish-written (deployed)
  --notifier <name>                Notifier-Lambda für mail-retry (Ausgabe NotifierFunctionName) /
                                   the notifier Lambda, for mail-retry (output NotifierFunctionName)
  --stack <name>                   API-Stack für doctor (Standard LeserpostApi) / API stack, for doctor
`;

type Lang = 'de' | 'en';
const lang: Lang = /^en/i.test(process.env.LESERPOST_LANG ?? process.env.LANG ?? 'de') ? 'en' : 'de';
const say = (de: string, en: string) => (lang === 'de' ? de : en);

class UsageError extends Error {}

interface Parsed {
  command: string;
  args: string[];
  options: Record<string, string>;
}

function parseArgs(argv: string[]): Parsed {
  const options: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      if (name === 'help') {
        positional.unshift('help');
        continue;
      }
      if (name === 'emails') {
        options.emails = '1';
        continue;
      }
      const value = inline ?? argv[++i];
      if (
        ![
          'data',
          'table',
          'region',
          'secret-arn',
          'seal-key-arn',
          'hash-key-arn',
          'origins',
          'notifier',
          'stack',
          'desk-url',
        ].includes(name)
      )
        throw new UsageError(say(`Unbekannte Option --${name}.`, `Unknown option --${name}.`));
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(say(`--${name} braucht einen Wert.`, `--${name} needs a value.`));
      options[name] = value;
    } else positional.push(arg);
  }
  const [command = 'help', ...args] = positional;
  return { command, args, options };
}

/** Points the use cases at the local stack or at a deployed table, before they are loaded. */
async function configure(options: Record<string, string>): Promise<string> {
  process.env.LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  if (options.table) {
    if (!options.region && !process.env.AWS_REGION)
      throw new UsageError(say('--table braucht auch --region.', '--table needs --region as well.'));
    process.env.TABLE_NAME = options.table;
    if (options.region) process.env.AWS_REGION = options.region;
    if (options['secret-arn']) process.env.LEGACY_MASTER_SECRET_ARN = options['secret-arn'];
    if (options['seal-key-arn']) process.env.SEAL_PRIVATE_KEY_SECRET_ARN = options['seal-key-arn'];
    if (options['hash-key-arn']) process.env.HASH_KEYS_SECRET_ARN = options['hash-key-arn'];
    if (options.origins) process.env.ALLOWED_ORIGINS = options.origins;
    delete process.env.DYNAMODB_ENDPOINT;
    return say(
      `Tabelle ${options.table} (${process.env.AWS_REGION})`,
      `table ${options.table} (${process.env.AWS_REGION})`,
    );
  }
  const dataDir = resolve(options.data ?? process.env.LESERPOST_DATA ?? '.leserpost');
  const file = join(dataDir, 'local.json');
  if (!existsSync(file)) {
    throw new UsageError(
      say(
        `Kein lokaler Stack gefunden (${file} fehlt). Starte ihn mit \`npm start\`, oder gib --table und --region für eine bereitgestellte Tabelle an.`,
        `No local stack found (${file} is missing). Start it with \`npm start\`, or pass --table and --region for a deployed table.`,
      ),
    );
  }
  const local = JSON.parse(readFileSync(file, 'utf8')) as {
    endpoint: string;
    tableName: string;
    apiUrl?: string;
    /** The desk's address (DESK_URL of `npm start`), for desk-link. */
    deskUrl?: string;
    /** What the local notifier runs with (outbox, sender, site), for mail-retry. */
    notifierEnv?: Record<string, string>;
  };
  for (const [name, value] of Object.entries(local.notifierEnv ?? {})) process.env[name] ??= value;
  process.env.TABLE_NAME = local.tableName;
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
  const { keyFileEnv } = await import('../dev/key-files');
  Object.assign(process.env, keyFileEnv(dataDir, { create: false }));
  cursorFile = join(dataDir, 'reseal.cursor.json');
  if (local.deskUrl) process.env.DESK_URL ??= local.deskUrl;
  if (local.apiUrl) process.env.DESK_URL ??= `${new URL(local.apiUrl).origin}/desk`;
  if (local.apiUrl && !process.env.ALLOWED_ORIGINS) {
    const origin = new URL(local.apiUrl).origin;
    process.env.ALLOWED_ORIGINS = `${origin},${origin.replace('localhost', '127.0.0.1')}`;
  }
  return say(
    `lokaler Stack (${local.endpoint}, Tabelle ${local.tableName})`,
    `local stack (${local.endpoint}, table ${local.tableName})`,
  );
}

const COMMENT_COMMANDS = {
  approve: ['freigegeben', 'approved'],
  compliment: ['freigegeben und als Kompliment gesammelt', 'approved and kept as a compliment'],
  spam: ['als Spam abgelegt', 'filed as spam'],
  delete: ['gelöscht', 'deleted'],
} as const;

const WISH_COMMANDS = {
  'wish-accept': ['accept', 'angenommen', 'accepted'],
  'wish-decline': ['decline', 'abgelehnt', 'declined'],
  'wish-spam': ['spam', 'als Spam abgelegt', 'filed as spam'],
  'wish-plan': ['plan', 'als geplant markiert', 'marked as planned'],
  'wish-written': ['written', 'als geschrieben markiert', 'marked as written'],
} as const;

const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function idArg(args: string[], index: number, what = 'id'): string {
  const id = args[index]?.trim().toUpperCase();
  if (!id) throw new UsageError(say(`Es fehlt die ${what}.`, `The ${what} is missing.`));
  if (!ID.test(id))
    throw new UsageError(
      say(`„${args[index]}“ ist keine gültige Kennung.`, `"${args[index]}" is not a valid id.`),
    );
  return id;
}

/** A login link straight from the key, for when no mail can reach her (or locally). */
async function printDeskLink(options: Record<string, string>): Promise<number> {
  if (options['desk-url']) process.env.DESK_URL = options['desk-url'];
  if (!process.env.DESK_URL) {
    throw new UsageError(
      say('Es fehlt --desk-url (die Ausgabe DeskUrl).', '--desk-url (the DeskUrl output) is missing.'),
    );
  }
  const { issueLoginToken, loginLinkUrl } = await import('../functions/core/desk/login-token');
  const { linkKey } = await import('../functions/runtime/keys');
  const { config } = await import('../functions/runtime/config');
  const token = issueLoginToken(await linkKey('author'), new Date());
  process.stdout.write(`${loginLinkUrl(config().deskUrl, token)}\n`);
  return 0;
}

async function run(parsed: Parsed): Promise<number> {
  const { command, args } = parsed;
  if (command === 'help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const known =
    command === 'pending' ||
    command === 'wish-merge' ||
    command === 'import' ||
    command === 'reseal' ||
    command === 'mail-retry' ||
    command === 'doctor' ||
    command === 'desk-link' ||
    command === 'export' ||
    command === 'restore' ||
    command in COMMENT_COMMANDS ||
    command in WISH_COMMANDS;
  if (!known) throw new UsageError(say(`Unbekannter Befehl „${command}“.`, `Unknown command "${command}".`));
  if (command === 'doctor') {
    const { doctor } = await import('./doctor');
    return doctor({ stackName: parsed.options.stack, region: parsed.options.region, lang });
  }
  if (command === 'mail-retry' && parsed.options.table && !parsed.options.notifier)
    throw new UsageError(
      say(
        'mail-retry braucht auf AWS --notifier <NotifierFunctionName> (Ausgabe des API-Stacks).',
        'mail-retry on AWS needs --notifier <NotifierFunctionName> (an output of the API stack).',
      ),
    );
  const target = await configure(parsed.options);
  // Loaded only now: the runtime reads its configuration from the environment set above.
  const moderation = await import('../functions/usecases/moderation');
  const { errorText, fieldText } = await import('../functions/core/messages');
  const problem = (code: string) =>
    fieldText(code, lang) !== fieldText('invalid', lang) ? fieldText(code, lang) : errorText(code, lang);
  const now = new Date();

  if (command === 'pending') {
    const which = args[0] ?? 'all';
    if (!['all', 'comments', 'wishes'].includes(which))
      throw new UsageError(
        say('pending kennt nur comments oder wishes.', 'pending knows only comments or wishes.'),
      );
    process.stdout.write(`${say('Quelle', 'Source')}: ${target}\n\n`);
    if (which !== 'wishes') await printPendingComments();
    if (which !== 'comments') await printOpenWishes();
    return 0;
  }

  if (command in COMMENT_COMMANDS) {
    const id = idArg(args, 0);
    const action = command as keyof typeof COMMENT_COMMANDS;
    const result = await moderation.moderateComment(id, action, now);
    const [de, en] = COMMENT_COMMANDS[action];
    return report(result, id, say(`Kommentar ${de}`, `Comment ${en}`), problem);
  }

  if (command === 'import') return importExport(args);
  if (command === 'reseal') return reseal(parsed.options);

  if (command === 'mail-retry') {
    const { mailRetry, lambdaNotifier } = await import('./mail-retry');
    const notifier = parsed.options.notifier
      ? lambdaNotifier(parsed.options.notifier)
      : (await import('../functions/notifier/handler')).handler;
    process.stdout.write(`${say('Quelle', 'Source')}: ${target}\n`);
    return mailRetry(notifier, say);
  }

  if (command === 'desk-link') return printDeskLink(parsed.options);
  if (command === 'export') return exportBackupFile(parsed.options.emails === '1', now);
  if (command === 'restore') return restoreBackupFile(args[0]);

  if (command === 'wish-merge') {
    const duplicate = idArg(args, 0, say('Kennung des doppelten Wunsches', 'duplicate id'));
    const original = idArg(args, 1, say('Kennung des ursprünglichen Wunsches', 'original id'));
    const { mergeWishes } = await import('../functions/usecases/wishes');
    const result = await mergeWishes(duplicate, original, now);
    if (result.outcome === 'not_found')
      return fail(say('Einen der beiden Wünsche gibt es nicht.', 'One of the wishes does not exist.'));
    if (result.outcome === 'invalid') return fail(problem(result.reason));
    process.stdout.write(
      result.outcome === 'already'
        ? say('Schon zusammengeführt.\n', 'Already merged.\n')
        : say(
            `✓ Zusammengeführt: ${result.moved} Stimmen übernommen, ${result.shared} doppelt; jetzt ${result.wish.votes} Stimmen.\n`,
            `✓ Merged: ${result.moved} votes moved, ${result.shared} shared; now ${result.wish.votes} votes.\n`,
          ),
    );
    return 0;
  }

  const [action, de, en] = WISH_COMMANDS[command as keyof typeof WISH_COMMANDS];
  const id = idArg(args, 0);
  const options = action === 'written' ? { articleUrl: args[1], writtenAt: args[2] } : {};
  if (action === 'written' && !args[1])
    throw new UsageError(
      say('wish-written braucht die Adresse des Artikels.', 'wish-written needs the article address.'),
    );
  const result = await moderation.moderateWish(id, action, options, now);
  return report(result, id, say(`Wunsch ${de}`, `Wish ${en}`), problem);
}

function report(
  result: Awaited<ReturnType<typeof import('../functions/usecases/moderation').moderateComment>>,
  id: string,
  done: string,
  problem: (code: string) => string,
): number {
  switch (result.outcome) {
    case 'done':
      process.stdout.write(`✓ ${done}: ${id}\n`);
      return 0;
    case 'already':
      process.stdout.write(
        say(`Schon erledigt, nichts geändert: ${id}\n`, `Already done, nothing changed: ${id}\n`),
      );
      return 0;
    case 'not_found':
      return fail(say(`Nichts gefunden mit der Kennung ${id}.`, `Nothing found with the id ${id}.`));
    case 'invalid':
      return fail(
        result.reason === 'comment_deleted'
          ? say(
              'Der Kommentar ist gelöscht und kann nicht zurückgeholt werden.',
              'The comment is deleted and cannot be brought back.',
            )
          : problem(result.reason),
      );
  }
}

async function importExport(args: string[]): Promise<number> {
  const [format, file] = args;
  if (format !== 'wordpress' && format !== 'disqus')
    throw new UsageError(say('import kennt wordpress oder disqus.', 'import knows wordpress or disqus.'));
  if (!file || !existsSync(file))
    throw new UsageError(
      say(`Die Datei „${file ?? ''}“ gibt es nicht.`, `The file "${file ?? ''}" does not exist.`),
    );
  const { parseWordPress } = await import('../functions/importers/wordpress');
  const { parseDisqus } = await import('../functions/importers/disqus');
  const { importComments } = await import('../functions/usecases/import');
  const { unpackExport } = await import('../functions/importers/export-file');
  const { LIMITS } = await import('../functions/core/limits');
  const { IMPORT_TEXTS } = await import('../functions/core/desk/import-texts');
  // The same recognition as the desk: a file of another kind is named, never "0 comments imported".
  const unpacked = unpackExport(readFileSync(file), LIMITS.import.inflatedBytes);
  if (!unpacked.ok)
    return fail(`${IMPORT_TEXTS.de.refused[unpacked.problem]}\n${IMPORT_TEXTS.en.refused[unpacked.problem]}`);
  if (unpacked.kind !== format) {
    const other = unpacked.kind === 'wordpress' || unpacked.kind === 'disqus' ? unpacked.kind : undefined;
    return fail(
      say(
        `„${file}“ ist ${IMPORT_TEXTS.de.kinds[unpacked.kind]}, kein ${format === 'wordpress' ? 'WordPress' : 'Disqus'}-Export. ${other ? `Richtig: npm run admin -- import ${other} ${file}` : IMPORT_TEXTS.de.refused.wrong_kind[unpacked.kind]}`,
        `"${file}" is ${IMPORT_TEXTS.en.kinds[unpacked.kind]}, not a ${format === 'wordpress' ? 'WordPress' : 'Disqus'} export. ${other ? `Use: npm run admin -- import ${other} ${file}` : IMPORT_TEXTS.en.refused.wrong_kind[unpacked.kind]}`,
      ),
    );
  }
  const xml = unpacked.text;
  // Progress on stderr (stdout keeps only the summary): every 5 % and at the end.
  let shown = -1;
  const summary = await importComments(
    format === 'wordpress' ? parseWordPress(xml) : parseDisqus(xml),
    (done, total) => {
      const percent = Math.floor((done / total) * 20) * 5;
      if (percent === shown && done < total) return;
      shown = percent;
      process.stderr.write(
        say(`  ${done} von ${total} (${percent} %)\n`, `  ${done} of ${total} (${percent} %)\n`),
      );
    },
  );
  const skipped = Object.entries(summary.skipped).map(([reason, count]) => `${reason} ${count}`);
  process.stdout.write(
    say(
      `✓ ${summary.imported} Kommentare übernommen (${summary.placeholders} Platzhalter), ${summary.alreadyPresent} waren schon da.\n`,
      `✓ ${summary.imported} comments imported (${summary.placeholders} placeholders), ${summary.alreadyPresent} were there already.\n`,
    ) +
      say(
        `  Übersprungen / skipped: ${skipped.join(', ') || '–'}; gelöschte ohne Antworten: ${summary.droppedDeleted}; Antworten ohne Eltern (jetzt oben): ${summary.orphanReplies}\n`,
        `  Skipped: ${skipped.join(', ') || '–'}; deleted without replies: ${summary.droppedDeleted}; replies without parent (now top level): ${summary.orphanReplies}\n`,
      ) +
      `  ${say('Seiten', 'Pages')}: ${summary.pages.join(' ')}\n`,
  );
  return 0;
}

/** The backup as JSON on stdout (redirect it into a file); what it holds on stderr. */
async function exportBackupFile(emails: boolean, now: Date): Promise<number> {
  const { exportBackup } = await import('../functions/usecases/backup');
  const { backup, unreadableEmails } = await exportBackup({ emails, now });
  process.stdout.write(`${JSON.stringify(backup, null, 2)}\n`);
  process.stderr.write(
    say(
      `✓ Sicherung: ${backup.comments.length} Kommentare, ${backup.wishes.length} Wünsche, ${backup.compliments.length} Komplimente${emails ? ', mit E-Mail-Adressen (lesbar! Datei sicher aufbewahren)' : ', ohne E-Mail-Adressen'}.\n`,
      `✓ Backup: ${backup.comments.length} comments, ${backup.wishes.length} wishes, ${backup.compliments.length} compliments${emails ? ', with email addresses (readable! keep the file safe)' : ', without email addresses'}.\n`,
    ),
  );
  if (unreadableEmails > 0)
    return fail(
      say(
        `${unreadableEmails} Adressen ließen sich nicht öffnen und fehlen (bereitgestellt: --seal-key-arn angeben).`,
        `${unreadableEmails} addresses could not be opened and are missing (deployed: pass --seal-key-arn).`,
      ),
    );
  return 0;
}

async function restoreBackupFile(file: string | undefined): Promise<number> {
  if (!file || !existsSync(file))
    throw new UsageError(
      say(`Die Datei „${file ?? ''}“ gibt es nicht.`, `The file "${file ?? ''}" does not exist.`),
    );
  const { readBackupFile, restoreBackup } = await import('../functions/usecases/backup');
  const { backupProblemText } = await import('../functions/core/desk/backup-texts');
  try {
    const summary = await restoreBackup(readBackupFile(readFileSync(file)));
    process.stdout.write(
      say(
        `✓ Wiederhergestellt: ${summary.comments} Kommentare, ${summary.wishes} Wünsche, ${summary.votes} Stimmen, ${summary.compliments} Komplimente; ${summary.written} Einträge geschrieben, ${summary.present} waren schon da.\n`,
        `✓ Restored: ${summary.comments} comments, ${summary.wishes} wishes, ${summary.votes} votes, ${summary.compliments} compliments; ${summary.written} entries written, ${summary.present} were there already.\n`,
      ),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return fail(backupProblemText(lang, error.fields[0] ?? { field: 'file', code: error.code }));
  }
}

/** Where a reseal run keeps its progress: the local data folder, or next to a deployed table's name. */
let cursorFile = '';

async function reseal(options: Record<string, string>): Promise<number> {
  const { hasSecret } = await import('../functions/runtime/secrets');
  if (!hasSecret('legacyMaster'))
    return fail(
      say(
        'Kein altes Hauptgeheimnis (master.key oder --secret-arn): es gibt nichts umzuversiegeln.',
        'No legacy master secret (master.key or --secret-arn): there is nothing to reseal.',
      ),
    );
  const file = cursorFile || resolve(`reseal-${options.table}.cursor.json`);
  const { resealLegacyEmails } = await import('../functions/usecases/reseal');
  const start = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  if (start)
    process.stdout.write(
      say(`Setze fort bei ${JSON.stringify(start)}\n`, `Resuming at ${JSON.stringify(start)}\n`),
    );
  const summary = await resealLegacyEmails({
    start,
    saveCursor: (cursor) =>
      cursor ? writeFileSync(file, JSON.stringify(cursor)) : rmSync(file, { force: true }),
  });
  process.stdout.write(
    say(
      `✓ ${summary.resealed} Adressen neu versiegelt, ${summary.skipped} inzwischen geändert, ${summary.unreadable.length} unlesbar.\n`,
      `✓ ${summary.resealed} addresses resealed, ${summary.skipped} changed meanwhile, ${summary.unreadable.length} unreadable.\n`,
    ),
  );
  for (const key of summary.unreadable) process.stdout.write(`  ${key.pk} ${key.sk}\n`);
  return summary.unreadable.length > 0 ? 1 : 0;
}

function fail(message: string): number {
  process.stderr.write(`✗ ${message}\n`);
  return 1;
}

/** The email, opened, when the private sealing key is at hand; otherwise a note that it is sealed. */
async function emailOf(sealed: unknown): Promise<string> {
  if (typeof sealed !== 'string') return '';
  try {
    const { openEmail } = await import('../functions/runtime/email-keys');
    return await openEmail(sealed);
  } catch {
    return say('(E-Mail versiegelt; --seal-key-arn angeben)', '(email sealed; pass --seal-key-arn)');
  }
}

const oneLine = (text: unknown, max = 100) => {
  const flat = String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

async function printPendingComments(): Promise<void> {
  const { listCommentsByStatus } = await import('../functions/store/comments');
  const pending = await listCommentsByStatus('pending');
  process.stdout.write(
    say(`Wartende Kommentare: ${pending.length}\n`, `Comments waiting: ${pending.length}\n`),
  );
  for (const comment of pending) {
    process.stdout.write(
      `  ${comment.id}  ${comment.createdAt.slice(0, 16).replace('T', ' ')}  ${oneLine(comment.name, 40)} <${await emailOf(comment.emailEnc)}>  ${comment.page}\n` +
        `      „${oneLine(comment.text)}“${comment.holdReasons?.length ? `  [${comment.holdReasons.join(', ')}]` : ''}\n`,
    );
  }
  process.stdout.write(
    pending.length
      ? say(
          '  → npm run admin -- approve <id>   (oder spam, delete, compliment)\n\n',
          '  → npm run admin -- approve <id>   (or spam, delete, compliment)\n\n',
        )
      : '\n',
  );
}

async function printOpenWishes(): Promise<void> {
  const { listWishesByStatus } = await import('../functions/store/wishes');
  for (const status of ['new', 'accepted', 'planned'] as const) {
    const wishes = await listWishesByStatus(status);
    const title = {
      new: say('Neue Themenwünsche', 'New topic wishes'),
      accepted: say('Angenommen', 'Accepted'),
      planned: say('Geplant', 'Planned'),
    }[status];
    process.stdout.write(`${title}: ${wishes.length}\n`);
    for (const wish of wishes) {
      process.stdout.write(
        `  ${wish.id}  ${wish.createdAt.slice(0, 10)}  „${oneLine(wish.topic, 70)}“  ${wish.votes} ${say('Stimmen', 'votes')}  ${oneLine(wish.requesterName ?? '', 30)} <${await emailOf(wish.emailEnc)}>\n`,
      );
    }
  }
  process.stdout.write('\n');
}

function explain(error: Error): string {
  if (error instanceof DomainError) return describeDomainError(error, lang);
  const name = error.name ?? '';
  if ((error as { code?: string }).code === 'ECONNREFUSED' || /ECONNREFUSED/.test(error.message))
    return say(
      'DynamoDB Local antwortet nicht. Läuft `npm start`?',
      'DynamoDB Local does not answer. Is `npm start` running?',
    );
  if (name === 'ResourceNotFoundException')
    return say('Die Tabelle gibt es nicht.', 'The table does not exist.');
  if (/credential/i.test(name) || /credential/i.test(error.message))
    return say('Keine AWS-Zugangsdaten gefunden.', 'No AWS credentials found.');
  return error.message;
}

async function main(): Promise<void> {
  try {
    process.exitCode = await run(parseArgs(process.argv.slice(2)));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`✗ ${error.message}\n\n${say('Hilfe', 'Help')}: npm run admin -- help\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`✗ ${explain(error as Error)}\n`);
    process.exitCode = 1;
  }
}

void main();
