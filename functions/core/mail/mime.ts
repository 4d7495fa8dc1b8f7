/**
 * Builds the MIME message once, with nodemailer's MailComposer: the same bytes go to SES (raw
 * send) and, locally, into the outbox as an .eml file. Every header value is reduced to one line
 * first, so no reader-supplied text can add a header.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { headerAddress, headerText } from './headers';
import type { RenderedMail } from './render';

export interface Envelope {
  from: { name: string; address: string };
  to: string;
  /** The reader's address, so the author can answer with "Reply". */
  replyTo?: { name: string; address: string };
  /** A stable id for the message (becomes part of the Message-ID). */
  messageKey: string;
  lang: string;
  date: Date;
  /** Mails to readers: the https link that unsubscribes (RFC 8058 one-click: a POST acts at once). */
  unsubscribeUrl?: string;
}

export interface BuiltMail {
  raw: Buffer;
  from: string;
  to: string;
  subject: string;
}

export async function buildMime(envelope: Envelope, mail: RenderedMail): Promise<BuiltMail> {
  const from = headerAddress(envelope.from.address);
  const to = headerAddress(envelope.to);
  if (!from) throw new Error('The sender address is not a plain address.');
  if (!to) throw new Error('The recipient address is not a plain address.');
  const replyTo = envelope.replyTo && headerAddress(envelope.replyTo.address);
  const subject = headerText(mail.subject, 200);
  const domain = from.split('@')[1];
  const composer = new MailComposer({
    from: { name: headerText(envelope.from.name, 80), address: from },
    to,
    ...(replyTo ? { replyTo: { name: headerText(envelope.replyTo?.name, 80), address: replyTo } } : {}),
    subject,
    text: mail.text,
    html: mail.html,
    date: envelope.date,
    messageId: `<${envelope.messageKey.replace(/[^A-Za-z0-9.#_-]/g, '')}@${domain}>`,
    headers: {
      'Content-Language': envelope.lang === 'en' ? 'en' : 'de',
      'Auto-Submitted': 'auto-generated',
      ...(envelope.unsubscribeUrl?.startsWith('https://') ||
      envelope.unsubscribeUrl?.startsWith('http://localhost')
        ? {
            'List-Unsubscribe': `<${envelope.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : {}),
    },
    textEncoding: 'quoted-printable',
  });
  const raw = await composer.compile().build();
  return { raw, from, to, subject };
}
