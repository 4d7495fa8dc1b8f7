/**
 * A `multipart/form-data` body (a form with a file field, RFC 7578) split into its text fields and
 * files. Only what a browser's form sends: one level, `Content-Disposition: form-data; name=…`.
 * Anything else is a 400 naming the body; never a crash.
 */
import { badInput, HttpError } from './errors';
import type { Request } from './request';

export interface UploadedFile {
  filename: string;
  data: Buffer;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

/** More parts than a desk form has is no form of ours. */
const MAX_PARTS = 20;

export function isMultipart(request: Request): boolean {
  return /^multipart\/form-data\s*;/i.test(request.headers['content-type'] ?? '');
}

const malformed = () => badInput([{ field: 'body', code: 'invalid_multipart' }]);

export function multipartForm(request: Request): MultipartForm {
  const type = request.headers['content-type'] ?? '';
  if (!isMultipart(request)) throw new HttpError(415, 'unsupported_media_type');
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(type);
  if (!boundary) throw malformed();
  const body = request.bytes ?? Buffer.from(request.body, 'utf8');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const form: MultipartForm = { fields: Object.create(null), files: Object.create(null) };
  let at = body.indexOf(delimiter);
  if (at < 0) throw malformed();
  for (let parts = 0; ; parts++) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return form;
    if (parts >= MAX_PARTS || body.subarray(at, at + 2).toString() !== '\r\n') throw malformed();
    const headEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), at);
    if (headEnd < 0 || next < 0 || headEnd > next) throw malformed();
    const head = body.subarray(at + 2, headEnd).toString('utf8');
    const data = body.subarray(headEnd + 4, next);
    const disposition = /^content-disposition:\s*form-data\s*;(.*)$/im.exec(head);
    const name = disposition ? /\bname="([^"]*)"/i.exec(disposition[1]!) : null;
    if (!name) throw malformed();
    const filename = /\bfilename="([^"]*)"/i.exec(disposition![1]!);
    if (filename) form.files[name[1]!] = { filename: filename[1]!, data };
    else form.fields[name[1]!] = data.toString('utf8');
    at = next + 2;
  }
}
