import '../support/debug-log';
import { logger } from '../../functions/runtime/logger';

/** The log lines written while `work` runs, parsed. */
async function captured(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await work();
  } finally {
    process.stdout.write = write;
  }
  return lines.map((line) => JSON.parse(line));
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

it('keeps the request id of each request when requests are served side by side', async () => {
  const entries = await captured(async () => {
    const serve = (requestId: string) =>
      logger.scope(async () => {
        logger.appendKeys({ requestId });
        await pause();
        logger.info('step one', { at: requestId });
        await pause();
        logger.info('step two', { at: requestId });
      });
    await Promise.all([serve('first'), serve('second'), serve('third')]);
  });
  expect(entries).toHaveLength(6);
  for (const entry of entries) expect(entry.requestId).toBe(entry.at);
});

it('writes one JSON object per line and redacts what could identify a reader', async () => {
  const [entry] = await captured(async () => {
    logger.info('posted', { email: 'erika@example.de', clientIp: '203.0.113.7', route: 'postComment' });
  });
  expect(entry).toMatchObject({
    level: 'INFO',
    message: 'posted',
    route: 'postComment',
    service: 'leserpost',
  });
  expect(JSON.stringify(entry)).not.toMatch(/erika|203\.0\.113\.7/);
});
