/**
 * The local mailbox: `/dev/mail` lists the .eml files the notifier wrote into the outbox (newest
 * first), `/dev/mail/<file>` shows one with clickable links, so a person can follow the one-click
 * moderation links as the author would. Every value is escaped; the HTML part is shown in a
 * sandboxed frame without scripts. Also a tiny MIME reader that the tests use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { escapeHtml } from '../functions/core/html';
import type { LocalRoute } from './local-stack';

export interface ReadMail {
  headers: Record<string, string>;
  subject: string;
  from: string;
  to: string;
  date: string;
  text: string;
  html: string;
}

const MAIL_FILE = /^[0-9A-Za-z._-]+\.eml$/;
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; form-action 'none'";

/** The files of the outbox, newest first (their names start with the time). */
export function listOutbox(outboxDir: string): string[] {
  if (!existsSync(outboxDir)) return [];
  return readdirSync(outboxDir)
    .filter((name) => MAIL_FILE.test(name))
    .sort()
    .reverse();
}

export function readOutboxMail(outboxDir: string, name: string): ReadMail | undefined {
  if (!MAIL_FILE.test(name)) return undefined;
  const file = join(outboxDir, name);
  return existsSync(file) ? readEml(readFileSync(file)) : undefined;
}

/** Reads the kind of message nodemailer builds: headers, and text/html parts (QP, base64, 7bit). */
export function readEml(raw: Buffer | string): ReadMail {
  const source = raw.toString().replace(/\r\n/g, '\n');
  const { headers, body } = splitPart(source);
  const parts: { type: string; content: string }[] = [];
  collectParts(headers, body, parts);
  return {
    headers,
    subject: decodeWords(headers.subject ?? ''),
    from: decodeWords(headers.from ?? ''),
    to: decodeWords(headers.to ?? ''),
    date: headers.date ?? '',
    text: parts.find((part) => part.type === 'text/plain')?.content ?? '',
    html: parts.find((part) => part.type === 'text/html')?.content ?? '',
  };
}

function splitPart(source: string): { headers: Record<string, string>; body: string } {
  const end = source.indexOf('\n\n');
  const head = end === -1 ? source : source.slice(0, end);
  const headers: Record<string, string> = {};
  // Folded lines (starting with white space) continue the header before them.
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: end === -1 ? '' : source.slice(end + 2) };
}

function collectParts(
  headers: Record<string, string>,
  body: string,
  into: { type: string; content: string }[],
) {
  const type = (headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
    if (!boundary) return;
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitPart(chunk.replace(/^\n/, ''));
      collectParts(part.headers, part.body, into);
    }
    return;
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, 'utf8');
  into.push({ type, content: bytes.toString('utf8').replace(/\n$/, '') });
}

function decodeQuotedPrintable(body: string): Buffer {
  const soft = body.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header value. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}

/** Escapes a text and turns its http(s) addresses into links that open as a normal page. */
function linkify(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>"]+)/g)
    .map((piece, index) =>
      index % 2 === 1
        ? `<a href="${escapeHtml(piece)}" target="_blank" rel="noopener noreferrer">${escapeHtml(piece)}</a>`
        : escapeHtml(piece),
    )
    .join('');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;padding:24px;background:#f6f5f2;color:#1d1d1d}
main{max-width:60rem;margin:0 auto}table{border-collapse:collapse;width:100%;background:#fff}
td,th{padding:8px 10px;border-bottom:1px solid #e4e2dc;text-align:left;vertical-align:top}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;padding:16px;border-radius:8px}
iframe{width:100%;height:32rem;border:1px solid #d0cec8;border-radius:8px;background:#fff}
.muted{color:#666}h1 a{color:inherit}`;

function page(response: ServerResponse, status: number, title: string, body: string): true {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  response.end(
    `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`,
  );
  return true;
}

function listPage(response: ServerResponse, outboxDir: string): true {
  const rows = listOutbox(outboxDir)
    .map((name) => {
      const mail = readOutboxMail(outboxDir, name)!;
      const href = `/dev/mail/${encodeURIComponent(name)}`;
      return `<tr><td><a href="${href}">${escapeHtml(mail.subject || '(ohne Betreff)')}</a></td><td>${escapeHtml(mail.to)}</td><td class="muted">${escapeHtml(mail.date)}</td></tr>`;
    })
    .join('');
  const failedDir = join(dirname(outboxDir), 'failed');
  const failed = existsSync(failedDir) ? readdirSync(failedDir).filter((name) => name.endsWith('.json')) : [];
  return page(
    response,
    200,
    'Postausgang',
    `<h1>Postausgang / outbox</h1><p class="muted">${escapeHtml(outboxDir)}</p>` +
      (rows
        ? `<table><thead><tr><th>Betreff / subject</th><th>An / to</th><th>Datum / date</th></tr></thead><tbody>${rows}</tbody></table>`
        : '<p>Noch keine Mails. Schreib einen Kommentar auf dem Demo-Blog. / No mail yet.</p>') +
      (failed.length
        ? `<h2>Nicht zustellbar / failed (${failed.length})</h2><ul>${failed.map((name) => `<li>${escapeHtml(name)}</li>`).join('')}</ul><p class="muted">${escapeHtml(failedDir)}</p>`
        : ''),
  );
}

function mailPage(response: ServerResponse, outboxDir: string, name: string): true {
  const mail = readOutboxMail(outboxDir, name);
  if (!mail)
    return page(response, 404, 'Nicht gefunden', '<h1>Diese Mail gibt es nicht. / No such mail.</h1>');
  // Links inside the frame open as a normal page: the moderation pages refuse to be framed.
  const framed = `<base target="_top">${mail.html}`;
  return page(
    response,
    200,
    mail.subject,
    `<p><a href="/dev/mail">← Postausgang / outbox</a></p><h1>${escapeHtml(mail.subject)}</h1>
<table><tr><th>Von / from</th><td>${escapeHtml(mail.from)}</td></tr><tr><th>An / to</th><td>${escapeHtml(mail.to)}</td></tr><tr><th>Datum / date</th><td>${escapeHtml(mail.date)}</td></tr></table>
<h2>Text</h2><pre>${linkify(mail.text)}</pre>` +
      (mail.html
        ? `<h2>HTML</h2><iframe sandbox="allow-top-navigation-by-user-activation allow-popups" srcdoc="${escapeHtml(framed)}" title="HTML"></iframe>`
        : ''),
  );
}

/** The route for the local server (startLocalStack's extraRoutes). */
export function outboxRoute(outboxDir: string): LocalRoute {
  return (request, response, url) => {
    if (request.method !== 'GET') return false;
    if (url.pathname === '/dev/mail' || url.pathname === '/dev/mail/') return listPage(response, outboxDir);
    const match = /^\/dev\/mail\/([^/]+)$/.exec(url.pathname);
    if (!match) return false;
    return mailPage(response, outboxDir, decodedName(match[1]!));
  };
}

/** A file name from the path; a broken escape (`%`, `%ED%A0%80`) names no mail, instead of a 500. */
function decodedName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
