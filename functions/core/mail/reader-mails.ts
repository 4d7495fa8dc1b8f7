/**
 * Mails to readers, plain text and HTML, German or English (the language of the page she wrote
 * on). Pure like render.ts: the notifier passes names, texts and signed links in. Every value from
 * a reader is escaped; links are only ours (the API) or the blog's own pages (safePageUrl).
 */
import { escapeHtml } from '../html';
import type { Lang } from '../messages';
import { layout, type RenderedMail } from './render';
import { formatDate } from './texts';

export type ReaderMailPurpose = 'replies' | 'written' | 'vote';

const TEXTS = {
  de: {
    greeting: 'Hallo,',
    confirmSubject: (site: string) => `Bitte bestätige deine E-Mail-Adresse für ${site}`,
    confirmAsked: (site: string, purpose: string) =>
      `auf dem Blog „${site}“ hat jemand (vermutlich du) diese Adresse angegeben und gebeten: ${purpose}`,
    purposes: {
      replies: '„Benachrichtige mich bei Antworten“ auf einen Kommentar.',
      written: '„Schreib mir, wenn der Beitrag erschienen ist“ zu einem Themenwunsch.',
      vote: '„Schreib mir, wenn der Beitrag erschienen ist“ zu einem Themenwunsch, für den gestimmt wurde.',
    } as Record<ReaderMailPurpose, string>,
    confirmPage: 'Seite',
    confirmAction: 'Adresse bestätigen',
    confirmHow: (until: string) =>
      `Erst nach deiner Bestätigung schicken wir dir solche Mails. Der Link gilt bis ${until}; er öffnet eine Seite mit einem Knopf.`,
    confirmIgnore:
      'Warst du das nicht? Dann ignoriere diese Mail einfach: Ohne Bestätigung bekommst du von uns keine weitere Mail.',
    footer: (site: string) =>
      `Leserpost für ${site}. Diese Mail kam, weil jemand diese Adresse im Blog eingetragen hat.`,
  },
  en: {
    greeting: 'Hello,',
    confirmSubject: (site: string) => `Please confirm your email address for ${site}`,
    confirmAsked: (site: string, purpose: string) =>
      `on the blog “${site}” someone (probably you) entered this address and asked: ${purpose}`,
    purposes: {
      replies: '“Notify me of replies” to a comment.',
      written: '“Write to me when the article is out” for a topic wish.',
      vote: '“Write to me when the article is out” for a topic wish they voted for.',
    } as Record<ReaderMailPurpose, string>,
    confirmPage: 'Page',
    confirmAction: 'Confirm address',
    confirmHow: (until: string) =>
      `Only after you confirm do we send you such mails. The link is valid until ${until}; it opens a page with a button.`,
    confirmIgnore:
      'Was it not you? Then simply ignore this mail: without confirmation you will get no further mail from us.',
    footer: (site: string) =>
      `Leserpost for ${site}. This mail was sent because someone entered this address on the blog.`,
  },
} satisfies Record<Lang, unknown>;

export interface ConfirmationMailInput {
  siteName: string;
  lang: Lang;
  purpose: ReaderMailPurpose;
  /** The page she was on (a path of the blog), shown as text, never as a link. */
  page?: string;
  confirmUrl: string;
  linkExpiresAt: Date;
}

/** The one mail that goes to an unconfirmed address: who asked, for what, and the link. */
export function renderConfirmationMail(input: ConfirmationMailInput): RenderedMail {
  const t = TEXTS[input.lang];
  const asked = t.confirmAsked(input.siteName, t.purposes[input.purpose]);
  const how = t.confirmHow(formatDate(input.linkExpiresAt, input.lang));
  const text = [
    t.greeting,
    '',
    asked,
    ...(input.page ? [`${t.confirmPage}: ${input.page}`] : []),
    '',
    `${t.confirmAction}: ${input.confirmUrl}`,
    '',
    how,
    t.confirmIgnore,
    '-- ',
    t.footer(input.siteName),
  ].join('\n');
  const html = layout(input.lang, [
    `<p>${escapeHtml(t.greeting)}</p>`,
    `<p>${escapeHtml(asked)}</p>`,
    input.page ? `<p>${escapeHtml(t.confirmPage)}: ${escapeHtml(input.page)}</p>` : '',
    button(input.confirmUrl, t.confirmAction),
    `<p>${escapeHtml(how)}</p>`,
    `<p>${escapeHtml(t.confirmIgnore)}</p>`,
    footer(t.footer(input.siteName)),
  ]);
  return { subject: t.confirmSubject(input.siteName), text, html };
}

function button(url: string, label: string): string {
  return `<p style="margin:20px 0"><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 16px;border-radius:6px;background:#1f6f43;color:#fff;text-decoration:none">${escapeHtml(label)}</a></p>`;
}

function footer(text: string): string {
  return `<p style="margin-top:24px;color:#666;font-size:13px">${escapeHtml(text)}</p>`;
}
