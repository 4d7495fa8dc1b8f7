/**
 * The mails of a reader's data rights. To her: the link to her data ("Meine Daten"), in the
 * language she asked in; it says who asked and what the link can do. To the author: that an
 * erasure happened, with the counts only (never the address). Pure like the other renderers.
 */
import { ERASED_COUNT_TEXTS } from '../erasure-texts';
import { escapeHtml } from '../html';
import type { Lang } from '../messages';
import { button, footer } from './reader-mails';
import { layout, type RenderedMail } from './render';
import { formatDate } from './texts';

const TEXTS = {
  de: {
    greeting: 'Hallo,',
    linkSubject: (site: string) => `Deine Daten bei ${site}`,
    linkAsked: (site: string) =>
      `auf dem Blog „${site}“ hat jemand (vermutlich du) unter „Meine Daten“ gefragt, was zu dieser Adresse gespeichert ist.`,
    linkWhat:
      'Der Link zeigt dir deine Kommentare, Themenwünsche, Stimmen und Benachrichtigungen. Dort kannst du alles als Datei herunterladen oder löschen lassen.',
    linkAction: 'Meine Daten ansehen',
    linkHow: (until: string) =>
      `Der Link gilt bis ${until} und nur dafür. Das Öffnen allein ändert nichts; gelöscht wird erst nach deiner Bestätigung.`,
    linkIgnore: 'Warst du das nicht? Dann ignoriere diese Mail einfach; es wird nichts geändert.',
    linkFooter: (site: string) =>
      `Leserpost für ${site}. Diese Mail kam, weil jemand diese Adresse unter „Meine Daten“ eingetragen hat.`,
    erasureSubject: (site: string) => `Leserpost: Daten einer Leser:in gelöscht (${site})`,
    erasureIntro: {
      reader:
        'Eine Leser:in hat über „Meine Daten“ alle Daten zu ihrer E-Mail-Adresse gelöscht (Art. 17 DSGVO).',
      desk: 'Am Schreibtisch wurden alle Daten zu einer E-Mail-Adresse gelöscht (Art. 17 DSGVO).',
    },
    erasureNote:
      'Die Adresse steht nicht in dieser Mail, und Leserpost kennt sie jetzt nicht mehr. Du musst nichts tun; diese Mail ist dein Nachweis, dass gelöscht wurde.',
    footer: (site: string) => `Leserpost für ${site}`,
  },
  en: {
    greeting: 'Hello,',
    linkSubject: (site: string) => `Your data on ${site}`,
    linkAsked: (site: string) =>
      `on the blog “${site}” someone (probably you) asked under “My data” what is stored for this address.`,
    linkWhat:
      'The link shows you your comments, topic wishes, votes and notifications. There you can download all of it as a file or have it erased.',
    linkAction: 'See my data',
    linkHow: (until: string) =>
      `The link is valid until ${until}, for this only. Opening it changes nothing; erasing needs your confirmation.`,
    linkIgnore: 'Was it not you? Then simply ignore this mail; nothing is changed.',
    linkFooter: (site: string) =>
      `Leserpost for ${site}. This mail was sent because someone entered this address under “My data”.`,
    erasureSubject: (site: string) => `Leserpost: a reader’s data was erased (${site})`,
    erasureIntro: {
      reader: 'A reader erased all data for their email address through “My data” (GDPR Art. 17).',
      desk: 'All data for an email address was erased at the desk (GDPR Art. 17).',
    },
    erasureNote:
      'The address is not in this mail, and Leserpost no longer knows it. Nothing to do for you; this mail is your record that it was erased.',
    footer: (site: string) => `Leserpost for ${site}`,
  },
} satisfies Record<Lang, unknown>;

export function renderDataLinkMail(input: {
  siteName: string;
  lang: Lang;
  dataUrl: string;
  linkExpiresAt: Date;
  timeZone: string;
}): RenderedMail {
  const t = TEXTS[input.lang];
  const asked = t.linkAsked(input.siteName);
  const how = t.linkHow(formatDate(input.linkExpiresAt, input.lang, input.timeZone));
  const text = [
    t.greeting,
    '',
    asked,
    t.linkWhat,
    '',
    `${t.linkAction}: ${input.dataUrl}`,
    '',
    how,
    t.linkIgnore,
    '-- ',
    t.linkFooter(input.siteName),
  ].join('\n');
  const html = layout(input.lang, [
    `<p>${escapeHtml(t.greeting)}</p>`,
    `<p>${escapeHtml(asked)}</p>`,
    `<p>${escapeHtml(t.linkWhat)}</p>`,
    button(input.dataUrl, t.linkAction),
    `<p>${escapeHtml(how)}</p>`,
    `<p>${escapeHtml(t.linkIgnore)}</p>`,
    footer(t.linkFooter(input.siteName)),
  ]);
  return { subject: t.linkSubject(input.siteName), text, html };
}

export function renderErasureMail(input: {
  siteName: string;
  lang: Lang;
  via: 'reader' | 'desk';
  counts: Readonly<Record<string, unknown>>;
}): RenderedMail {
  const t = TEXTS[input.lang];
  const labels = ERASED_COUNT_TEXTS[input.lang];
  const lines = (Object.keys(labels) as (keyof typeof labels)[]).map((key) => {
    const count = Number(input.counts[key] ?? 0);
    return [labels[key], Number.isFinite(count) ? count : 0] as const;
  });
  const intro = t.erasureIntro[input.via];
  const text = [
    t.greeting,
    '',
    intro,
    '',
    ...lines.map(([label, count]) => `- ${label}: ${count}`),
    '',
    t.erasureNote,
    '-- ',
    t.footer(input.siteName),
  ].join('\n');
  const html = layout(input.lang, [
    `<p>${escapeHtml(t.greeting)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${lines.map(([label, count]) => `<li>${escapeHtml(label)}: ${count}</li>`).join('')}</ul>`,
    `<p>${escapeHtml(t.erasureNote)}</p>`,
    footer(t.footer(input.siteName)),
  ]);
  return { subject: t.erasureSubject(input.siteName), text, html };
}
