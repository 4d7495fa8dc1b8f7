/**
 * multipart/form-data, as a browser sends a form with a file: only what the desk's upload needs
 * (named fields, one file), every malformed body a 4xx naming the field. Searches walk the body
 * once with Buffer.indexOf; a part's headers are capped.
 */
import { LIMITS } from '../core/limits';
import { HttpError } from './errors';
import { type Request, unsupportedType } from './request';

export interface FormPart {
  name: string;
  filename?: string;
  data: Buffer;
}

/** RFC 2046: 1 to 70 characters of a fixed set, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

const malformed = () => new HttpError(400, 'invalid_upload', [{ field: 'file', code: 'invalid' }]);

export function isMultipart(request: Request): boolean {
  return /^multipart\/form-data\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}

const parsed = new WeakMap<Request, Map<string, FormPart>>();

/** The parts of a multipart body by field name (the first of a repeated name counts). */
export function multipartBody(request: Request): Map<string, FormPart> {
  const known = parsed.get(request);
  if (known) return known;
  const type = request.headers['content-type'] ?? '';
  if (!isMultipart(request)) throw unsupportedType();
  const boundary = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i.exec(type);
  const value = boundary?.[1] ?? boundary?.[2] ?? '';
  if (!BOUNDARY.test(value)) throw malformed();
  const parts = parseParts(request.bytes ?? Buffer.from(request.body), value);
  parsed.set(request, parts);
  return parts;
}

function parseParts(body: Buffer, boundary: string): Map<string, FormPart> {
  const dash = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter opens the body (a preamble before it is allowed and ignored).
  let at = body.subarray(0, dash.length).equals(dash) ? 0 : body.indexOf(delimiter);
  if (at < 0) throw malformed();
  at += at === 0 ? dash.length : delimiter.length;
  const parts = new Map<string, FormPart>();
  for (let count = 0; ; count++) {
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts; // `--`: the closing delimiter
    if (count >= LIMITS.multipart.maxParts || body[at] !== 0x0d || body[at + 1] !== 0x0a) throw malformed();
    const headerEnd = body.indexOf('\r\n\r\n', at + 2);
    if (headerEnd < 0 || headerEnd - at > LIMITS.multipart.partHeaderBytes) throw malformed();
    const headers = body.subarray(at + 2, headerEnd).toString('utf8');
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next < 0) throw malformed();
    const disposition = /^content-disposition:\s*form-data\s*(;.*)$/im.exec(headers)?.[1];
    const name = disposition && /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (!disposition || name === undefined || name === null) throw malformed();
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    if (!parts.has(name)) {
      parts.set(name, {
        name,
        ...(filename !== undefined ? { filename } : {}),
        data: body.subarray(headerEnd + 4, next),
      });
    }
    at = next + delimiter.length;
  }
}

/** A text field of a multipart body ('' when absent). */
export function multipartField(request: Request, name: string): string {
  return multipartBody(request).get(name)?.data.toString('utf8') ?? '';
}

/** The text fields of a multipart body (file parts left out). */
export function multipartFields(request: Request): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, part] of multipartBody(request))
    if (part.filename === undefined) fields[name] = part.data.toString('utf8');
  return fields;
}
