/**
 * Mails to readers, plain text and HTML, German or English (the language of the page she wrote
 * on). Pure like render.ts: the notifier passes names, texts and signed links in. Every value from
 * a reader is escaped; links are only ours (the API) or the blog's own pages (safePageUrl).
 */

import { escapeHtml } from '../html';
import { markdownHtml, markdownTree } from '../markdown';
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
    replySubject: (site: string, count: number) =>
      count === 1
        ? `Neue Antwort auf deinen Kommentar bei ${site}`
        : `${count} neue Antworten auf deine Kommentare bei ${site}`,
    replyIntro: (count: number) =>
      count === 1
        ? 'jemand hat auf deinen Kommentar geantwortet:'
        : `auf deine Kommentare gibt es ${count} neue Antworten:`,
    replyBy: (name: string) => `${name} schreibt:`,
    replyLink: 'Zur Antwort',
    approvedSubject: (site: string) => `Dein Kommentar bei ${site} ist freigegeben`,
    approvedBody: 'dein Kommentar ist jetzt für alle sichtbar. Danke fürs Mitreden!',
    commentLink: 'Zum Kommentar',
    unsubscribe: 'Keine solchen Mails mehr',
    unsubscribeNote:
      'Du bekommst diese Mail, weil du darum gebeten und deine Adresse bestätigt hast. Der Link oben bestellt sie ab, ohne Anmeldung.',
    readerFooter: (site: string) => `Leserpost für ${site}`,
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
    replySubject: (site: string, count: number) =>
      count === 1
        ? `New reply to your comment on ${site}`
        : `${count} new replies to your comments on ${site}`,
    replyIntro: (count: number) =>
      count === 1 ? 'someone replied to your comment:' : `there are ${count} new replies to your comments:`,
    replyBy: (name: string) => `${name} writes:`,
    replyLink: 'Go to the reply',
    approvedSubject: (site: string) => `Your comment on ${site} is approved`,
    approvedBody: 'your comment is now visible to everyone. Thank you for joining in!',
    commentLink: 'Go to the comment',
    unsubscribe: 'No more such mails',
    unsubscribeNote:
      'You get this mail because you asked for it and confirmed your address. The link above unsubscribes you, no login needed.',
    readerFooter: (site: string) => `Leserpost for ${site}`,
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
  /** The blog's time zone, for the link's expiry. */
  timeZone: string;
}

/** The one mail that goes to an unconfirmed address: who asked, for what, and the link. */
export function renderConfirmationMail(input: ConfirmationMailInput): RenderedMail {
  const t = TEXTS[input.lang];
  const asked = t.confirmAsked(input.siteName, t.purposes[input.purpose]);
  const how = t.confirmHow(formatDate(input.linkExpiresAt, input.lang, input.timeZone));
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

export function button(url: string, label: string): string {
  return `<p style="margin:20px 0"><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 16px;border-radius:6px;background:#1f6f43;color:#fff;text-decoration:none">${escapeHtml(label)}</a></p>`;
}

export function footer(text: string): string {
  return `<p style="margin-top:24px;color:#666;font-size:13px">${escapeHtml(text)}</p>`;
}

/**
 * A reader's text in a mail, the one place that decides how it is shown: plain text, escaped in
 * HTML (a markdown subset renderer can replace this function alone).
 */
export function readerTextForMail(text: string): { text: string; html: string } {
  return {
    text: text,
    // The same whitelisted tree the widget builds and the author's mail renders.
    html: `<blockquote style="margin:8px 0;padding:8px 12px;border-left:4px solid #c7c7c7;overflow-wrap:anywhere">${markdownHtml(markdownTree(text))}</blockquote>`,
  };
}

export interface ReplyForMail {
  name: string;
  text: string;
  /** The reply on the blog's page (already checked to be the blog's own origin), if known. */
  permalink?: string;
}

interface ReaderMailBase {
  siteName: string;
  lang: Lang;
  unsubscribeUrl: string;
}

/** One reply, or the digest of those that came within the hour after the last mail. */
export function renderReplyMail(input: ReaderMailBase & { replies: readonly ReplyForMail[] }): RenderedMail {
  const t = TEXTS[input.lang];
  const count = input.replies.length;
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  for (const reply of input.replies) {
    const body = readerTextForMail(reply.text);
    textParts.push(
      t.replyBy(reply.name),
      body.text,
      ...(reply.permalink ? [`${t.replyLink}: ${reply.permalink}`] : []),
      '',
    );
    htmlParts.push(
      `<p><strong>${escapeHtml(t.replyBy(reply.name))}</strong></p>`,
      body.html,
      reply.permalink ? `<p><a href="${escapeHtml(reply.permalink)}">${escapeHtml(t.replyLink)}</a></p>` : '',
    );
  }
  return readerMail(input, t.replySubject(input.siteName, count), t.replyIntro(count), textParts, htmlParts);
}

export function renderApprovedMail(input: ReaderMailBase & { permalink?: string }): RenderedMail {
  const t = TEXTS[input.lang];
  const link = input.permalink;
  return readerMail(
    input,
    t.approvedSubject(input.siteName),
    t.approvedBody,
    link ? [`${t.commentLink}: ${link}`, ''] : [],
    link ? [`<p><a href="${escapeHtml(link)}">${escapeHtml(t.commentLink)}</a></p>`] : [],
  );
}

function readerMail(
  input: ReaderMailBase,
  subject: string,
  intro: string,
  textParts: string[],
  htmlParts: string[],
): RenderedMail {
  const t = TEXTS[input.lang];
  const text = [
    t.greeting,
    '',
    intro,
    '',
    ...textParts,
    `${t.unsubscribe}: ${input.unsubscribeUrl}`,
    t.unsubscribeNote,
    '-- ',
    t.readerFooter(input.siteName),
  ].join('\n');
  const html = layout(input.lang, [
    `<p>${escapeHtml(t.greeting)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    ...htmlParts,
    `<p style="margin-top:24px;font-size:13px"><a href="${escapeHtml(input.unsubscribeUrl)}">${escapeHtml(t.unsubscribe)}</a></p>`,
    footer(`${t.unsubscribeNote} ${t.readerFooter(input.siteName)}`),
  ]);
  return { subject, text, html };
}
