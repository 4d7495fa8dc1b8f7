/**
 * German and English texts for every error code the API returns. The widget shows the same
 * texts next to its fields. German uses inclusive language, as the blogs we serve do.
 */
import { LIMITS } from './limits';

export type Lang = 'de' | 'en';

const FIELD_TEXTS: Record<string, Record<Lang, string>> = {
  required: { de: 'Bitte ausfüllen.', en: 'Please fill this in.' },
  wrong_type: { de: 'Dieser Wert hat die falsche Form.', en: 'This value has the wrong type.' },
  too_short: { de: 'Das ist zu kurz.', en: 'This is too short.' },
  too_long: { de: 'Das ist zu lang.', en: 'This is too long.' },
  too_many: { de: 'Das sind zu viele.', en: 'These are too many.' },
  duplicate: { de: 'Ein Eintrag steht doppelt in der Liste.', en: 'An entry appears twice in the list.' },
  too_small: { de: 'Der Wert ist zu klein.', en: 'The value is too small.' },
  too_large: { de: 'Der Wert ist zu groß.', en: 'The value is too large.' },
  invalid: { de: 'Dieser Wert ist ungültig.', en: 'This value is not valid.' },
  invalid_number: { de: 'Bitte eine ganze Zahl angeben.', en: 'Please give a whole number.' },
  invalid_choice: { de: 'Dieser Wert ist nicht vorgesehen.', en: 'This value is not one of the choices.' },
  invalid_characters: {
    de: 'Enthält unzulässige Steuer- oder unsichtbare Zeichen.',
    en: 'Contains control or invisible characters that are not allowed.',
  },
  invalid_email: {
    de: 'Bitte eine gültige E-Mail-Adresse angeben.',
    en: 'Please enter a valid email address.',
  },
  invalid_url: {
    de: 'Bitte eine Adresse angeben, die mit https:// oder http:// beginnt.',
    en: 'Please enter an address starting with https:// or http://.',
  },
  invalid_id: { de: 'Diese Kennung ist ungültig.', en: 'This id is not valid.' },
  invalid_cursor: { de: 'Dieser Blätter-Verweis ist ungültig.', en: 'This page cursor is not valid.' },
  consent_required: {
    de: 'Bitte der Speicherung deiner Angaben zustimmen.',
    en: 'Please agree to your details being stored.',
  },
  unknown_field: { de: 'Dieses Feld ist nicht vorgesehen.', en: 'This field is not expected.' },
  invalid_idempotency_key: {
    de: `Der Idempotency-Key muss ${LIMITS.idempotencyKey.minChars} bis ${LIMITS.idempotencyKey.maxChars} Zeichen aus A–Z, a–z, 0–9 und _ . : - haben.`,
    en: `The Idempotency-Key must have ${LIMITS.idempotencyKey.minChars} to ${LIMITS.idempotencyKey.maxChars} characters of A–Z, a–z, 0–9 and _ . : -.`,
  },
  article_url_required: {
    de: 'Bitte die Adresse des Artikels angeben, der den Wunsch erfüllt.',
    en: 'Please give the address of the article that fulfils the wish.',
  },
  invalid_date: {
    de: 'Bitte ein Datum wie 2026-11-27 angeben.',
    en: 'Please give a date such as 2026-11-27.',
  },
  date_in_future: {
    de: 'Dieses Datum liegt in der Zukunft.',
    en: 'This date lies in the future.',
  },
  parent_not_found: {
    de: 'Der Kommentar, auf den du antwortest, ist nicht (mehr) sichtbar.',
    en: 'The comment you reply to is not (or no longer) visible.',
  },
  origin_not_allowed: {
    de: 'Diese Adresse gehört nicht zum Blog.',
    en: 'This address does not belong to the blog.',
  },
  passkey_login_limited: {
    de: 'Zu viele Passkey-Anmeldeversuche aus diesem Netz. Bitte in ein paar Minuten die Seite neu laden oder dir einen Anmeldelink per Mail schicken lassen.',
    en: 'Too many passkey sign-in attempts from this network. Please reload the page in a few minutes, or have a login link sent to you by mail.',
  },
};

const ERROR_TEXTS: Record<string, Record<Lang, string>> = {
  invalid_input: { de: 'Bitte prüfe die markierten Felder.', en: 'Please check the marked fields.' },
  invalid_json: { de: 'Der Inhalt ist kein gültiges JSON.', en: 'The body is not valid JSON.' },
  invalid_encoding: { de: 'Der Inhalt ist kein gültiges UTF-8.', en: 'The body is not valid UTF-8.' },
  unsupported_media_type: {
    de: 'Bitte als application/json senden.',
    en: 'Please send the body as application/json.',
  },
  unsupported_encoding: {
    de: 'Bitte den Inhalt ungepackt senden, ohne Content-Encoding.',
    en: 'Please send the body unpacked, without a Content-Encoding.',
  },
  payload_too_large: { de: 'Der Inhalt ist zu groß.', en: 'The body is too large.' },
  stack_not_empty: {
    de: 'Hier sind schon Kommentare oder Wünsche gespeichert: eine Sicherung kommt nur in einen leeren Stack.',
    en: 'This stack already holds comments or wishes: a backup is restored into an empty stack only.',
  },
  file_too_large: {
    de: 'Die Datei ist zu groß (höchstens 4 MB; gepackt als .gz passt mehr).',
    en: 'The file is too large (at most 4 MB; packed as .gz more fits).',
  },
  invalid_upload: {
    de: 'Die Datei kam nicht vollständig an (multipart/form-data).',
    en: 'The file did not arrive complete (multipart/form-data).',
  },
  header_too_large: {
    de: 'Die Kopfzeilen oder die Anfrage-Adresse sind zu lang.',
    en: 'The request headers or the request URI are too long.',
  },
  bad_request: { de: 'Diese Anfrage ist kein gültiges HTTP.', en: 'This request is not valid HTTP.' },
  uri_too_long: { de: 'Die Anfrage-Adresse ist zu lang.', en: 'The request URI is too long.' },
  not_found: { de: 'Diese Adresse gibt es nicht.', en: 'There is nothing at this address.' },
  method_not_allowed: {
    de: 'Diese Methode ist hier nicht erlaubt.',
    en: 'This method is not allowed here.',
  },
  origin_not_allowed: {
    de: 'Diese Website darf die Schnittstelle nicht nutzen.',
    en: 'This website may not use the API.',
  },
  login_required: {
    de: 'Bitte am Schreibtisch anmelden.',
    en: 'Please log in to the desk.',
  },
  form_token_invalid: {
    de: 'Das Formular ist veraltet. Bitte die Seite neu laden.',
    en: 'The form is out of date. Please reload the page.',
  },
  unsupported_event: {
    de: 'Nur API-Gateway-HTTP-API-Ereignisse (Payload 2.0) werden verarbeitet.',
    en: 'Only API Gateway HTTP API events (payload format 2.0) are handled.',
  },
  rate_limited: {
    de: 'Zu viele Anfragen. Bitte versuche es etwas später noch einmal.',
    en: 'Too many requests. Please try again a little later.',
  },
  service_unavailable: {
    de: 'Der Dienst ist gerade überlastet. Bitte versuche es gleich noch einmal.',
    en: 'The service is busy right now. Please try again in a moment.',
  },
  conflict: { de: 'Das wurde schon erledigt.', en: 'This has been done already.' },
  wish_not_found: {
    de: 'Diesen Themenwunsch gibt es nicht (mehr) auf der Wunschliste.',
    en: 'This topic wish is not (or no longer) on the board.',
  },
  comment_not_found: {
    de: 'Diesen Kommentar gibt es nicht (mehr).',
    en: 'This comment does not exist (any more).',
  },
  edit_not_allowed: {
    de: 'Diesen Kommentar kannst du nicht mehr ändern: Das geht nur kurz nach dem Senden und nur in dem Browser, in dem du ihn geschrieben hast.',
    en: 'You can no longer change this comment: that works only shortly after posting, and only in the browser you wrote it in.',
  },
  already_voted: {
    de: 'Du hast für diesen Wunsch schon gestimmt.',
    en: 'You have already voted for this wish.',
  },
  action_not_allowed: {
    de: 'Dieser Schritt passt nicht zum jetzigen Stand des Wunsches.',
    en: 'This step does not fit the current status of the wish.',
  },
  same_wish: {
    de: 'Ein Wunsch kann nicht in sich selbst aufgehen.',
    en: 'A wish cannot be merged into itself.',
  },
  merged_elsewhere: {
    de: 'Dieser Wunsch ist schon in einem anderen Wunsch aufgegangen.',
    en: 'This wish has already been merged into another wish.',
  },
  original_not_open: {
    de: 'In diesen Wunsch kann nichts mehr aufgehen (abgelehnt, Spam oder selbst zusammengeführt).',
    en: 'Nothing can be merged into this wish (declined, spam or merged itself).',
  },
  not_voted: {
    de: 'Du hast für diesen Wunsch nicht gestimmt.',
    en: 'You have not voted for this wish.',
  },
  idempotency_key_reused: {
    de: 'Dieser Idempotency-Key gehört zu einer anderen Anfrage.',
    en: 'This Idempotency-Key belongs to a different request.',
  },
  idempotency_in_progress: {
    de: 'Dieselbe Anfrage wird gerade schon verarbeitet. Bitte gleich noch einmal versuchen.',
    en: 'The same request is being processed right now. Please try again in a moment.',
  },
  internal_error: {
    de: 'Da ist bei uns etwas schiefgegangen. Bitte versuche es später noch einmal.',
    en: 'Something went wrong on our side. Please try again later.',
  },
  spam_suspected: {
    de: 'Die Nachricht wurde als automatisiert erkannt. Bitte lade die Seite neu.',
    en: 'The message looks automated. Please reload the page and try again.',
  },
};

/** Why a submission was held (core/guards.ts HOLD_REASONS), for the author's mail. */
const HOLD_REASON_TEXTS: Record<string, Record<Lang, string>> = {
  many_links: { de: 'Enthält viele Links.', en: 'Contains many links.' },
  spam_words: { de: 'Enthält typische Spam-Begriffe.', en: 'Contains typical spam words.' },
  all_caps: {
    de: 'Ist fast nur in Großbuchstaben geschrieben.',
    en: 'Is written almost entirely in capitals.',
  },
  akismet_spam: { de: 'Akismet hält es für Spam.', en: 'Akismet considers it spam.' },
  spam_check_failed: {
    de: 'Die Spam-Prüfung (Akismet) war nicht erreichbar.',
    en: 'The spam check (Akismet) could not be reached.',
  },
};

export function holdReasonText(code: string, lang: Lang): string {
  return HOLD_REASON_TEXTS[code]?.[lang] ?? code;
}

export function fieldText(code: string, lang: Lang): string {
  return FIELD_TEXTS[code]?.[lang] ?? FIELD_TEXTS.invalid![lang];
}

export function errorText(code: string, lang: Lang): string {
  return ERROR_TEXTS[code]?.[lang] ?? code;
}

/** Picks German or English from an Accept-Language header; the site default breaks ties. */
export function pickLang(acceptLanguage: string | undefined, fallback: Lang): Lang {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag, q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('de')) return 'de';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}
