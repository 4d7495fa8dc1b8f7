/**
 * DynamoDB calls per desk page: each page she opens is read with a few calls (the session, then
 * Queries on the private moderation index and single GetItems), never a Scan. Counted with the
 * same middleware as the API rows (capacity-recorder.ts), on DynamoDB Local with real data.
 */
import { randomUUID } from 'node:crypto';
import type { LambdaHttpHandler } from '../dev/http-adapter';
import { issueLoginToken } from '../functions/core/desk/login-token';
import { newId } from '../functions/core/ids';
import { linkKey } from '../functions/runtime/keys';
import { putComment } from '../functions/store/comments';
import { logInWithLink } from '../functions/usecases/desk';
import { call } from '../test/support/stack';
import { type CapacityRecorder, summariseCalls } from './capacity-recorder';
import { benchTable, loadHandler } from './dynamo-env';
import { progress, type Row } from './report';

/** "A few" calls per page (issue 10): the session read plus what the page lists. */
export const DESK_CALLS_GOAL = 4;
const SESSION_COOKIE = '__Host-leserpost-desk';
const PAGE = '/bench/desk-thread';

async function seed(comments: LambdaHttpHandler | undefined, wishes: LambdaHttpHandler | undefined) {
  const comment = (status: 'approved' | 'pending', text: string, parentId: string | null = null) => {
    const id = newId();
    return putComment({
      id,
      page: PAGE,
      parentId,
      name: 'Leserin',
      text,
      status,
      createdAt: new Date().toISOString(),
      emailEnc: 'bench-seeded',
      emailHash: `bench-${id}`,
      lang: 'de',
    }).then(() => id);
  };
  const question = await comment('approved', 'Wie oft soll ein Newsletter kommen?');
  const reply = await comment('approved', 'Einmal im Monat reicht mir.', question);
  await comment('approved', 'Bei mir jede Woche.', reply);
  await comment('pending', 'Eine Antwort, die noch wartet.', reply);
  for (let i = 0; i < 20; i++)
    await comment(i % 2 ? 'approved' : 'pending', `Kommentar ${i} für den Schreibtisch`);
  if (comments === undefined || wishes === undefined) throw new Error('comments or wishes handler missing');
  for (let i = 0; i < 10; i++) {
    const made = await call(wishes, {
      method: 'POST',
      path: '/wishes',
      json: {
        topic: `Ein Thema für den Schreibtisch ${i}`,
        email: `w.${randomUUID()}@example.org`,
        consent: true,
      },
      sourceIp: `10.9.0.${i + 1}`,
    });
    if (made.status !== 201)
      throw new Error(`could not make a wish: ${made.status} ${made.text.slice(0, 200)}`);
  }
  return reply;
}

export async function benchDesk(recorder: CapacityRecorder): Promise<{ rows: Row[]; details: unknown }> {
  await benchTable({ DESK_URL: 'https://api.bench.example/desk' });
  recorder.attach();
  const desk = await loadHandler('desk');
  if (!desk) throw new Error('desk handler missing');
  progress('desk: seeding comments, a thread and wishes');
  const reply = await seed(await loadHandler('comments'), await loadHandler('wishes'));
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('desk: no session');

  // [name, path, comments above the opened one]: each costs one GetItem (the chain is walked up).
  const pages: [string, string, number][] = [
    ['inbox', '/desk', 0],
    ['comments', '/desk/comments', 0],
    ['one comment (a reply: its parent above, its replies below)', `/desk/comments/${reply}`, 1],
    ['wishes', '/desk/wishes', 0],
    ['reader data', '/desk/readers', 0],
    ['settings', '/desk/settings', 0],
  ];
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const [name, path, above] of pages) {
    const goal = DESK_CALLS_GOAL + above;
    const [pathname, query = ''] = path.split('?');
    const { result, calls } = await recorder.during(() =>
      call(desk, {
        method: 'GET',
        path: pathname!,
        rawQueryString: query,
        headers: { origin: '', cookie: `${SESSION_COOKIE}=${login.sessionId}` },
      }),
    );
    if (result.status !== 200) throw new Error(`desk: ${path} answered ${result.status}`);
    const groups = summariseCalls(calls);
    details[name] = groups;
    const scans = calls.filter((one) => one.operation === 'Scan').length;
    rows.push({
      section: 'desk',
      figure: `DynamoDB calls: desk page ${name}`,
      measured: `${calls.length} (${groups.map((group) => `${group.calls}× ${group.operation}`).join(', ')})`,
      goal: above ? `≤ ${DESK_CALLS_GOAL} + 1 per comment above (${goal}), no Scan` : `≤ ${goal}, no Scan`,
      verdict: scans ? 'missed: scans' : calls.length <= goal ? 'met' : `missed: ${calls.length} calls`,
    });
  }
  return { rows, details };
}
