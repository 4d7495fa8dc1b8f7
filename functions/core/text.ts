/** Character classes that have no business in a name, a title or anything that reaches a mail header. */

/** C0/C1 controls, DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
/** Controls except tab, LF and CR: what a multi-line text may not hold. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const CONTROL_CHARS_EXCEPT_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Bidi overrides/isolates and zero-width characters, used to disguise names and links. */
export const INVISIBLE_FORMAT_CHARS = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** Half of a surrogate pair: no character at all, and no UTF-8 encoder can store it faithfully. */
const LONE_SURROGATE = /\p{Cs}/u;
/** What shows nothing: white space and default-ignorable characters (zero-width, BOM, soft hyphen, variation selectors …). */
const NOTHING_VISIBLE = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

export function isSingleLineClean(value: string): boolean {
  return !CONTROL_CHARS.test(value) && !INVISIBLE_FORMAT_CHARS.test(value) && !LONE_SURROGATE.test(value);
}

export function isMultiLineClean(value: string): boolean {
  return (
    !CONTROL_CHARS_EXCEPT_NEWLINES.test(value) &&
    !/[\u202a-\u202e\u2066-\u2069]/.test(value) &&
    !LONE_SURROGATE.test(value)
  );
}

/** A text of only invisible characters is as empty as a blank one. */
export function hasVisibleText(value: string): boolean {
  return !NOTHING_VISIBLE.test(value);
}

/** Normalises line endings so stored text has only `\n`. */
export function normaliseNewlines(value: string): string {
  return value.replace(/\r\n?/g, '\n');
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    // user:pass@ in a link is a phishing disguise (https://bank.example@evil.example), never a reader's site.
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.hostname.length > 0 &&
      !url.username &&
      !url.password
    );
  } catch {
    return false;
  }
}

// Pure: a bundle that never calls toCleanLine (the widget) drops it.
const UNSAFE_IN_A_LINE = /* @__PURE__ */ new RegExp(
  `${CONTROL_CHARS.source}|${INVISIBLE_FORMAT_CHARS.source}`,
  'g',
);

/** Makes a clean one-line string of foreign data (imports): unsafe characters become spaces. */
export function toCleanLine(value: string): string {
  return value.replace(UNSAFE_IN_A_LINE, ' ').replace(/\s+/g, ' ').trim();
}

/** An address whose local part (before the last @) fits the 64 characters mail servers take. */
export function hasShortLocalPart(email: string, maxChars: number): boolean {
  return email.lastIndexOf('@') <= maxChars;
}
