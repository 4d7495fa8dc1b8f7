/**
 * Import at the desk: upload a real WordPress or Disqus export (plain or gzip), follow the
 * progress page batch by batch to its summary, and find the comments under their pages. Files of
 * the wrong kind, too big, or a zip bomb are refused with a page that says what the file is and
 * what to do; nothing is stored. Real desk handler on DynamoDB Local, real fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { LIMITS } from '../../functions/core/limits';
import { handler as comments } from '../../functions/handlers/comments';
import { parseDisqus } from '../../functions/importers/disqus';
import { parseWordPress } from '../../functions/importers/wordpress';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { planImport } from '../../functions/usecases/import';
import { csrfIn, DESK_URL, deskGet, deskPost, deskUpload } from '../support/desk';
import { call, createTestStack, type TestStack } from '../support/stack';

const IMPORTS = join(__dirname, '../../../shared/fixtures/import');
const fixtures = (kind: 'wordpress' | 'disqus') =>
  readdirSync(join(IMPORTS, kind))
    .filter((name) => name.endsWith('.xml'))
    .map((name) => [kind, name] as const);

let stack: TestStack;
let session: string;
let csrf: string;

beforeAll(async () => {
  stack = await createTestStack({ DESK_URL });
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  session = login.sessionId;
  csrf = csrfIn((await deskGet('/desk/import', session)).text);
});

const jobPath = (location: string | undefined) => {
  expect(location).toMatch(/^\/desk\/import\/[0-9A-Z]{26}$/);
  return location!;
};

/** Follows the progress page as the script does: GET, then POST its continue form, until the summary. */
async function runToEnd(path: string, seen: string[] = []): Promise<string> {
  for (let round = 0; round < 200; round++) {
    const page = await deskGet(path, session);
    expect(page.status).toBe(200);
    const from = /name="from" value="(\d+)"/.exec(page.text)?.[1];
    seen.push(/class="import-count"[^>]*>([^<]*)</.exec(page.text)?.[1] ?? '');
    if (from === undefined) return page.text;
    const step = await deskPost(path, { csrf, from }, session);
    expect(step.status).toBe(303);
    expect(step.headers.location).toBe(path);
  }
  throw new Error('the import did not finish');
}

const importItems = async () => (await stack.dump()).filter((item) => String(item.pk).startsWith('IMPORT#'));
const commentCount = async () => (await stack.dump()).filter((item) => item.kind === 'comment').length;
const visibleTexts = async (page: string) =>
  (
    await call(comments, {
      method: 'GET',
      path: '/comments',
      rawQueryString: `page=${encodeURIComponent(page)}&limit=100`,
    })
  ).body.comments.map((comment: { text: string }) => comment.text) as string[];

describe('the import page', () => {
  it('is in the desk navigation, loads its script from the desk (CSP: no inline script)', async () => {
    const page = await deskGet('/desk/import', session);
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/desk/import" aria-current="page"');
    expect(page.text).toContain('enctype="multipart/form-data"');
    const script = /<script src="(\/desk\/assets\/import\.[0-9a-f]{10}\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/);
    const asset = await deskGet(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.text).toContain("CompressionStream('gzip')");
  });
});

describe.each([...fixtures('wordpress'), ...fixtures('disqus')])('uploading %s/%s', (kind, name) => {
  it('recognises the kind, runs to a summary in sentences, and the comments show under their pages', async () => {
    const xml = readFileSync(join(IMPORTS, kind, name));
    // Every other file as .xml.gz, as Disqus sends it and the desk script packs a big one.
    const packed = name.length % 2 === 0;
    const upload = await deskUpload(
      csrf,
      { name: packed ? `${name}.gz` : name, data: packed ? gzipSync(xml) : xml },
      session,
    );
    expect(upload.status).toBe(303);
    const summary = await runToEnd(jobPath(upload.headers.location));
    expect(summary).toContain(kind === 'wordpress' ? 'Aus dem WordPress-Export:' : 'Aus dem Disqus-Export:');
    expect(summary).toMatch(/Kommentare? übernommen\.|waren schon da/);
    // Every importer code became a sentence.
    expect(summary).not.toMatch(/orphan_thread|deleted_thread|no_id|too_large|pingback \d|trackback \d/);
    const plan = await planImport(
      (kind === 'wordpress' ? parseWordPress : parseDisqus)(xml.toString('utf8')),
    );
    const visible = plan.records.filter((record) => record.status === 'approved' && record.text);
    for (const page of [...new Set(visible.map((record) => record.page))].slice(0, 3)) {
      const texts = await visibleTexts(page);
      for (const record of visible.filter((r) => r.page === page)) expect(texts).toContain(record.text);
    }
    // A finished job keeps only its summary; the prepared comments are gone.
    expect((await importItems()).filter((item) => String(item.sk).startsWith('CHUNK#'))).toHaveLength(0);
  }, 120_000);
});

describe('a big export, batch by batch', () => {
  /** The theme unit test export ten times over (new post ids): a few hundred comments. */
  function bigExport(): Buffer {
    const source = readFileSync(join(IMPORTS, 'wordpress/wpimporter-theme-unit-test-data.xml'), 'utf8');
    const start = source.indexOf('<item>');
    const end = source.lastIndexOf('</item>') + '</item>'.length;
    const items = Array.from({ length: 10 }, (_, copy) =>
      source
        .slice(start, end)
        .replace(/<wp:post_id>(\d+)/g, (_, id) => `<wp:post_id>${copy + 1}0${id}`)
        .replace(/<link>([^<]+)<\/link>/g, (_, link) => `<link>${link}kopie-${copy + 1}/</link>`),
    );
    // About 7 MB: over the upload limit as it is, so it goes up packed (as the desk script sends it).
    return gzipSync(source.slice(0, start) + items.join('') + source.slice(end));
  }

  it('shows "100 von …" between batches, and a repeated batch imports nothing twice', async () => {
    const upload = await deskUpload(csrf, { name: 'gross.xml.gz', data: bigExport() }, session);
    const path = jobPath(upload.headers.location);
    // The job and its chunks vanish by TTL (two days) if she never finishes it.
    const jobItems = (await importItems()).filter((item) => item.pk === `IMPORT#${path.split('/').pop()}`);
    expect(jobItems.length).toBeGreaterThan(1);
    const ttl = Date.now() / 1000 + LIMITS.import.jobTtlSeconds;
    for (const item of jobItems) expect(Math.abs(Number(item.expiresAt) - ttl)).toBeLessThan(600);
    const first = await deskGet(path, session);
    const total = Number(/ von (\d+)/.exec(first.text)?.[1]);
    expect(total).toBeGreaterThan(2 * LIMITS.import.recordsPerBatch);
    expect(first.text).toContain(`0 von ${total}`);
    // GET never changes anything: reloading the page leaves the job where it was.
    expect((await deskGet(path, session)).text).toContain(`0 von ${total}`);
    const before = await commentCount();
    await deskPost(path, { csrf, from: '0' }, session);
    const afterOne = await commentCount();
    expect(afterOne - before).toBe(LIMITS.import.recordsPerBatch);
    // The same batch again (a double click, a retried request): nothing more is written or counted.
    expect((await deskPost(path, { csrf, from: '0' }, session)).status).toBe(303);
    expect(await commentCount()).toBe(afterOne);
    expect((await deskGet(path, session)).text).toContain(`100 von ${total}`);
    const seen: string[] = [];
    const summary = await runToEnd(path, seen);
    expect(seen[0]).toBe(`100 von ${total}`);
    expect(seen).toContain(`200 von ${total}`);
    expect(summary).toContain('Import fertig');
    expect(await commentCount()).toBe(before + total);
    // Uploading the same file again: everything was there already.
    const again = await deskUpload(csrf, { name: 'gross.xml.gz', data: bigExport() }, session);
    const repeat = await runToEnd(jobPath(again.headers.location));
    expect(repeat).toContain(`${total.toLocaleString('de-DE')} waren schon da`);
    expect(await commentCount()).toBe(before + total);
  }, 300_000);

  it('answers in English when she switched the desk to English', async () => {
    const upload = await deskUpload(
      csrf,
      { name: 'isso.xml', data: readFileSync(join(IMPORTS, 'wordpress/isso-wordpress.xml')) },
      session,
    );
    const path = jobPath(upload.headers.location);
    await runToEnd(path);
    const page = await deskGet(path, session, {
      cookie: `__Host-leserpost-desk=${session}; leserpost-desk-lang=en`,
    });
    expect(page.text).toContain('From the WordPress export:');
    expect(page.text).toMatch(/\d+ comments? imported\.|were there already/);
  });
});

describe('files that are refused (a page that names the file; nothing stored)', () => {
  const refusals: [string, Buffer, number, string[]][] = [
    [
      'a Leserpost backup',
      Buffer.from(JSON.stringify({ format: 'leserpost-backup', version: 1, comments: [] })),
      400,
      ['Das ist eine Leserpost-Sicherung', 'href="/desk/backup"'],
    ],
    [
      'an RSS feed',
      Buffer.from('<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title></channel></rss>'),
      400,
      ['Das ist ein RSS-Feed'],
    ],
    [
      'a web page',
      Buffer.from('<!doctype html><html><body>Hallo</body></html>'),
      400,
      ['Das ist eine Webseite'],
    ],
    ['a ZIP archive', Buffer.from('PK\u0003\u0004rest'), 400, ['Das ist ein ZIP-Archiv']],
    ['an empty file', Buffer.alloc(0), 400, ['Bitte eine Datei wählen']],
    [
      'a WordPress export without comments',
      Buffer.from(
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>x</title></item></channel></rss>',
      ),
      400,
      ['Das ist ein WordPress-Export, aber darin steht kein Kommentar, den Leserpost übernehmen kann'],
    ],
    [
      'a broken gzip file',
      Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]),
      400,
      ['lässt sich aber nicht entpacken'],
    ],
    [
      'a zip bomb',
      gzipSync(Buffer.alloc(LIMITS.import.inflatedBytes + 1024, 0x20)),
      413,
      [`entpackt größer als ${LIMITS.import.inflatedBytes / 1024 / 1024} MB`],
    ],
    [
      'a file over the upload limit',
      Buffer.alloc(LIMITS.import.uploadBytes + 1, 0x20),
      413,
      ['Die Export-Datei ist größer als 4 MB', '.xml.gz'],
    ],
  ];

  it.each(refusals)('%s', async (_name, data, status, says) => {
    const items = await importItems();
    const count = await commentCount();
    const answer = await deskUpload(csrf, { name: 'datei', data }, session);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toContain('text/html');
    for (const text of says) expect(answer.text).toContain(text);
    expect(await importItems()).toEqual(items);
    expect(await commentCount()).toBe(count);
  });

  it('refuses a body that is not a complete multipart form, naming the file', async () => {
    const answer = await call((await import('../../functions/handlers/desk')).handler as never, {
      method: 'POST',
      path: '/desk/import',
      body: Buffer.from(`--xyz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}`),
      headers: {
        origin: new URL(DESK_URL).origin,
        'content-type': 'multipart/form-data; boundary=xyz',
        cookie: `__Host-leserpost-desk=${session}`,
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('Die Export-Datei kam nicht vollständig an');
  });

  it('refuses an upload without the form token, from a foreign origin, or without a session', async () => {
    const data = readFileSync(join(IMPORTS, 'disqus/isso-disqus.xml'));
    expect((await deskUpload('falsch', { name: 'd.xml', data }, session)).status).toBe(403);
    expect(
      (await deskUpload(csrf, { name: 'd.xml', data }, session, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    const anonymous = await deskUpload(csrf, { name: 'd.xml', data });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/desk/login');
  });

  it('a batch with a malformed start or for an unknown import is a 4xx page', async () => {
    expect(
      (await deskPost('/desk/import/01ARZ3NDEKTSV4RRFFQ69G5FAV', { csrf, from: '0' }, session)).status,
    ).toBe(404);
    expect(
      (await deskPost('/desk/import/01ARZ3NDEKTSV4RRFFQ69G5FAV', { csrf, from: '-1' }, session)).status,
    ).toBe(400);
    expect((await deskGet('/desk/import/nicht-da', session)).status).toBe(404);
  });
});
