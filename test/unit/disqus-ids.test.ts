/**
 * Disqus ids as the importer reads them: a malformed unquoted attribute drags trailing slashes
 * along, which are dropped. An id of a long run of slashes followed by a letter once cost
 * quadratic work (`/\/+$/` tries every run to its end); this file holds such an id and would run
 * into the test's timeout without the linear scan.
 */
import { parseDisqus } from '../../functions/importers/disqus';

const exportWith = (threadId: string, postThreadId: string) =>
  `<?xml version="1.0" encoding="utf-8"?><disqus xmlns:dsq="http://disqus.com/disqus-internals">` +
  `<thread dsq:id="${threadId}"><link>https://blog.example/slashes/</link><title>Schrägstriche</title></thread>` +
  `<post dsq:id="p1"><message><![CDATA[Hallo]]></message><thread dsq:id="${postThreadId}" /><author><name>Anna</name></author><isSpam>false</isSpam></post>` +
  `</disqus>`;

describe('Disqus ids', () => {
  it('drops slashes a malformed attribute drags along, so a post finds its thread', () => {
    const parsed = parseDisqus(exportWith('123//', '123'));
    expect(parsed.comments.map((c) => [c.pageUrl, c.text, c.status])).toEqual([
      ['https://blog.example/slashes/', 'Hallo', 'approved'],
    ]);
  });

  it('reads an id of half a million slashes and a letter in one pass', () => {
    const long = `${'/'.repeat(500_000)}x`;
    const parsed = parseDisqus(exportWith(long, `${long}///`));
    expect(parsed.comments).toHaveLength(1);
    expect(parsed.comments[0]!.pageUrl).toBe('https://blog.example/slashes/');
  });

  it('skips a post whose thread id is nothing but slashes', () => {
    const parsed = parseDisqus(exportWith('////', '////'));
    expect(parsed.comments).toEqual([]);
    expect(parsed.skipped).toEqual([{ sourceId: 'disqus#p1', reason: 'orphan_thread' }]);
  });
});
