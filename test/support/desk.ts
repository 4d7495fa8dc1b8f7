/** A desk client for handler tests: keeps the session cookie, posts forms with the desk's Origin. */
import { handler as desk } from '../../functions/handlers/desk';
import { call } from './stack';

export const DESK_ORIGIN = 'https://api.blog.example';
export const DESK_URL = `${DESK_ORIGIN}/desk`;
export const SESSION_COOKIE = '__Host-leserpost-desk';

/** The value of a named cookie in a result's cookies, or undefined. */
export function cookieValue(cookies: string[] | undefined, name: string): string | undefined {
  const line = cookies?.find((entry) => entry.startsWith(`${name}=`));
  return line?.slice(name.length + 1).split(';')[0];
}

export function deskGet(path: string, sessionId?: string, headers: Record<string, string> = {}) {
  const [pathname, query = ''] = path.split('?');
  return call(desk as never, {
    method: 'GET',
    path: pathname!,
    rawQueryString: query,
    headers: { origin: '', ...(sessionId ? { cookie: `${SESSION_COOKIE}=${sessionId}` } : {}), ...headers },
  });
}

export function deskPost(
  path: string,
  form: Record<string, string | string[]>,
  sessionId?: string,
  headers: Record<string, string> = {},
  sourceIp?: string,
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  }
  return call(desk as never, {
    method: 'POST',
    path,
    body: body.toString(),
    ...(sourceIp ? { sourceIp } : {}),
    headers: {
      origin: DESK_ORIGIN,
      'content-type': 'application/x-www-form-urlencoded',
      ...(sessionId ? { cookie: `${SESSION_COOKIE}=${sessionId}` } : {}),
      ...headers,
    },
  });
}

/** The hidden form token in a desk page. */
export function csrfIn(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No form token in the page.');
  return match[1]!;
}

/** A multipart/form-data body as a browser builds it: text fields, then the file. */
export function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; data: Buffer; type?: string },
  boundary = '----LeserpostTestBoundary7MA4YWxkTrZu0gW',
): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts a file to the desk's upload as a browser's form would. */
export function deskUpload(
  csrf: string,
  file: { name: string; data: Buffer; type?: string } | undefined,
  sessionId?: string,
  headers: Record<string, string> = {},
) {
  const { body, contentType } = multipartBody({ csrf }, file);
  return call(desk as never, {
    method: 'POST',
    path: '/desk/import',
    body,
    headers: {
      origin: DESK_ORIGIN,
      'content-type': contentType,
      ...(sessionId ? { cookie: `${SESSION_COOKIE}=${sessionId}` } : {}),
      ...headers,
    },
  });
}
