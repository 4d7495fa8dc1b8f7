/**
 * What each request asks of DynamoDB, observed on the real client (bench/capacity-recorder.ts): a
 * page view must stay one Query on the public index however long the thread grows, and no route
 * may ever scan the table (a scan reads, and bills, every item of every blog page).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CapacityRecorder,
  createCapacityRecorder,
  type RecordedCall,
} from '../../bench/capacity-recorder';
import { LOCAL_HANDLERS } from '../../dev/handlers';
import { formToken, issueLoginToken } from '../../functions/core/desk/login-token';
import { DESK_CSS_FILE } from '../../functions/core/desk/style';
import { newId } from '../../functions/core/ids';
import { issueToken } from '../../functions/core/tokens';
import { ROUTES } from '../../functions/routes';
import { linkKey } from '../../functions/runtime/keys';
import { saveHandCompliment } from '../../functions/store/compliments';
import { putDataRequest } from '../../functions/store/data-requests';
import { rateWindow } from '../../functions/store/rate-limits';
import { TABLE_DEFINITION } from '../../functions/store/table-definition';
import { logInWithLink } from '../../functions/usecases/desk';
import { startImport } from '../../functions/usecases/import-jobs';
import { addPasskey, loginOptions, registrationOptions } from '../../functions/usecases/passkeys';
import { DESK_ORIGIN, DESK_URL, multipartBody } from '../support/desk';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { call, createTestStack, validComment } from '../support/stack';
import { acceptedWish, newVoterId, validWish } from '../support/wishes';

const PAGE = '/posts/capacity';
let recorder: CapacityRecorder;

beforeAll(async () => {
  await createTestStack({ MODERATION: 'none', DESK_URL });
  recorder = createCapacityRecorder();
  recorder.attach();
});

type Sample = Parameters<typeof call>[1];

const handlerFor = (group: string) => {
  const handler = LOCAL_HANDLERS[group as keyof typeof LOCAL_HANDLERS];
  if (!handler) throw new Error(`No local handler for group ${group}`);
  return handler;
};

async function recorded(group: string, request: Sample): Promise<{ status: number; calls: RecordedCall[] }> {
  const { result, calls } = await recorder.during(() => call(handlerFor(group), request));
  return { status: result.status, calls };
}

const listPage = (cursor?: string): Sample => ({
  method: 'GET',
  path: '/comments',
  rawQueryString: `page=${encodeURIComponent(PAGE)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
});

describe('a page view', () => {
  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      const response = await call(handlerFor('comments'), {
        method: 'POST',
        path: '/comments',
        json: validComment({ page: PAGE }),
      });
      expect(response.status).toBe(201);
    }
  });

  it('is exactly one Query on the public index, on the first page and on later ones', async () => {
    const first = await recorded('comments', listPage());
    expect(first.status).toBe(200);
    expect(first.calls.map((c) => [c.operation, c.indexName])).toEqual([['Query', 'public']]);

    const { result } = await recorder.during(() => call(handlerFor('comments'), listPage()));
    const next = await recorded('comments', listPage(result.body.cursor));
    expect(next.status).toBe(200);
    expect(next.calls.map((c) => [c.operation, c.indexName])).toEqual([['Query', 'public']]);
  });

  it('reports the capacity it consumed (DynamoDB Local returns ConsumedCapacity)', async () => {
    const { calls } = await recorded('comments', listPage());
    expect(calls[0]!.readUnits).toBeGreaterThan(0);
    expect(calls[0]!.writeUnits).toBe(0);
  });
});

/** A logged-in desk: the session cookie, the form token and the desk's own Origin. */
async function deskSession(key: Buffer) {
  const login = await logInWithLink(issueLoginToken(key, new Date()), new Date());
  if (!login.ok) throw new Error('login failed');
  const form = (fields: string) => ({
    'content-type': 'application/x-www-form-urlencoded',
    origin: DESK_ORIGIN,
    cookie: `__Host-leserpost-desk=${login.sessionId}`,
    body: `csrf=${formToken(login.sessionId, key)}&${fields}`,
  });
  return { cookie: `__Host-leserpost-desk=${login.sessionId}`, form };
}

async function deskSamples(key: Buffer, commentId: string): Promise<Record<string, Sample>> {
  const session = await deskSession(key);
  const handCompliment = newId();
  await saveHandCompliment(
    {
      id: handCompliment,
      text: 'Ein Lob von Hand.',
      name: 'Eva',
      source: '',
      complimentedAt: new Date().toISOString(),
      createdAt: new Date().toISOString(),
      public: false,
    },
    false,
  );
  const leaving = await deskSession(key);
  const post = (path: string, fields: string, of = session): Sample => {
    const { body, ...headers } = of.form(fields);
    return { method: 'POST', path, headers, body };
  };
  const form = { 'content-type': 'application/x-www-form-urlencoded', origin: DESK_ORIGIN };
  return {
    deskInbox: { method: 'GET', path: '/desk', headers: { cookie: session.cookie } },
    deskInboxAction: post('/desk', 'do=approve%3Aselected'),
    deskLoginPage: { method: 'GET', path: '/desk/login' },
    deskLoginRequest: {
      method: 'POST',
      path: '/desk/login',
      headers: form,
      body: 'email=fremd%40example.org',
    },
    deskLoginConfirmPage: {
      method: 'GET',
      path: '/desk/login/confirm',
      rawQueryString: `t=${issueLoginToken(key, new Date())}`,
    },
    deskLoginConfirm: {
      method: 'POST',
      path: '/desk/login/confirm',
      headers: form,
      body: `t=${issueLoginToken(key, new Date())}`,
    },
    deskLogout: post('/desk/logout', '', leaving),
    deskAsset: { method: 'GET', path: `/desk/assets/${DESK_CSS_FILE}` },
    deskComments: {
      method: 'GET',
      path: '/desk/comments',
      rawQueryString: 'status=approved&page=%2Fposts%2Fa',
      headers: { cookie: session.cookie },
    },
    deskComment: {
      method: 'GET',
      path: `/desk/comments/${commentId}`,
      headers: { cookie: session.cookie },
    },
    deskCommentReply: post(`/desk/comments/${commentId}`, 'text=Danke%21'),
    deskWishByHand: post('/desk/wishes/new', 'topic=Ein+Thema+von+Hand&name=Eva'),
    deskSettings: { method: 'GET', path: '/desk/settings', headers: { cookie: session.cookie } },
    deskSettingsSave: post('/desk/settings', 'authorLabel=Autorin'),
    deskReaders: { method: 'GET', path: '/desk/readers', headers: { cookie: session.cookie } },
    deskReadersAction: post('/desk/readers', 'email=leserin%40example.de&do=lookup'),
    deskWishes: {
      method: 'GET',
      path: '/desk/wishes',
      rawQueryString: 'status=new',
      headers: { cookie: session.cookie },
    },
    deskWishAction: post('/desk/wishes', 'id=01J0000000000000000000000A&do=accept&status=new'),
    deskBackup: { method: 'GET', path: '/desk/backup', headers: { cookie: session.cookie } },
    deskBackupExport: post('/desk/backup', 'do=download'),
    deskBackupRestore: backupUpload(session),
    ...(await importSamples(key, session)),
    deskCompliments: {
      method: 'GET',
      path: '/desk/compliments',
      rawQueryString: 'q=Danke',
      headers: { cookie: session.cookie },
    },
    deskComplimentAdd: post('/desk/compliments', 'text=Ein+Lob+per+Mail&from=Eva&source=per+Mail'),
    deskComplimentEdit: {
      method: 'GET',
      path: `/desk/compliments/${handCompliment}`,
      headers: { cookie: session.cookie },
    },
    deskComplimentAction: post(`/desk/compliments/${commentId}`, 'kind=comment&do=star'),
    ...(await passkeySamples(session, post)),
  };
}

/** A passkey added beforehand (through the use cases), so that signing in with it can succeed. */
async function passkeySamples(
  session: Awaited<ReturnType<typeof deskSession>>,
  post: (path: string, fields: string) => Sample,
): Promise<Record<string, Sample>> {
  const sessionId = session.cookie.split('=')[1]!;
  const phone = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);
  const registration = await registrationOptions(sessionId, 'Autorin', new Date());
  if (!registration.ok) throw new Error('no registration options');
  const added = await addPasskey(
    sessionId,
    'iPhone',
    JSON.stringify(phone.register(registration.options)),
    new Date(),
  );
  if (!added.ok) throw new Error(`passkey not added: ${JSON.stringify(added)}`);
  const second = await registrationOptions(sessionId, 'Autorin', new Date());
  if (!second.ok) throw new Error('no registration options');
  const tablet = new SoftAuthenticator('api.blog.example', DESK_ORIGIN);
  const { options, attempt } = await loginOptions(new Date());
  const json = { 'content-type': 'application/x-www-form-urlencoded', origin: DESK_ORIGIN };
  return {
    deskPasskeyLoginOptions: {
      method: 'POST',
      path: '/desk/passkeys/login/options',
      headers: json,
      body: '',
    },
    deskPasskeyLogin: {
      method: 'POST',
      path: '/desk/passkeys/login',
      headers: { ...json, cookie: `__Host-leserpost-desk-passkey=${attempt}` },
      body: new URLSearchParams({ credential: JSON.stringify(phone.assert(options)) }).toString(),
    },
    deskPasskeyOptions: post('/desk/passkeys/options', ''),
    deskPasskeyAdd: post(
      '/desk/passkeys',
      new URLSearchParams({
        name: 'Tablet',
        credential: JSON.stringify(tablet.register(second.options)),
      }).toString(),
    ),
    deskPasskeyRemove: post('/desk/passkeys/remove', 'id=gone'),
  };
}

/** "Nur prüfen" with an empty backup file, as the browser uploads it (multipart). */
function backupUpload(session: Awaited<ReturnType<typeof deskSession>>): Sample {
  const { body: fields, ...headers } = session.form('');
  const csrf = new URLSearchParams(fields).get('csrf')!;
  const file = JSON.stringify({
    format: 'leserpost-backup',
    version: 1,
    exportedAt: '2026-11-30T00:00:00.000Z',
    withEmails: false,
    site: { name: 'Blog', lang: 'de', timeZone: 'Europe/Berlin', moderation: 'none', allowedOrigins: [] },
    desk: {},
    comments: [],
    wishes: [],
    compliments: [],
  });
  const upload = multipartBody({ csrf, do: 'check' }, { name: 'backup.json', data: Buffer.from(file) });
  return {
    method: 'POST',
    path: '/desk/backup/restore',
    headers: { ...headers, 'content-type': upload.contentType },
    body: upload.body,
  };
}

/** The import's routes: a job started from a real fixture, and an upload of one. */
async function importSamples(key: Buffer, session: Awaited<ReturnType<typeof deskSession>>) {
  const xml = readFileSync(join(__dirname, '../../../shared/fixtures/import/disqus/isso-disqus.xml'));
  const started = await startImport(xml, new Date());
  if (!started.ok) throw new Error(started.problem);
  const csrf = formToken(/=([^;]+)/.exec(session.cookie)![1]!, key);
  const upload = multipartBody({ csrf }, { name: 'disqus.xml', data: xml });
  const { body, ...headers } = session.form('from=0');
  return {
    deskImport: { method: 'GET', path: '/desk/import', headers: { cookie: session.cookie } },
    deskImportUpload: {
      method: 'POST',
      path: '/desk/import',
      headers: { ...headers, 'content-type': upload.contentType },
      body: upload.body,
    },
    deskImportJob: {
      method: 'GET',
      path: `/desk/import/${started.jobId}`,
      headers: { cookie: session.cookie },
    },
    deskImportBatch: { method: 'POST', path: `/desk/import/${started.jobId}`, headers, body },
  } satisfies Record<string, Sample>;
}

describe('a desk page', () => {
  it('is one read for the session and one Query on the moderation index per list', async () => {
    const { cookie } = await deskSession(await linkKey('author'));
    const { status, calls } = await recorded('desk', { method: 'GET', path: '/desk', headers: { cookie } });
    expect(status).toBe(200);
    expect(calls.map((c) => [c.operation, c.indexName ?? null])).toEqual([
      ['BatchGetItem', null],
      ['Query', 'moderation'],
      ['Query', 'moderation'],
    ]);
  });

  it('of compliments is one read for the session and one Query on the private desk index', async () => {
    const { cookie } = await deskSession(await linkKey('author'));
    const { status, calls } = await recorded('desk', {
      method: 'GET',
      path: '/desk/compliments',
      headers: { cookie },
    });
    expect(status).toBe(200);
    expect(calls.map((c) => [c.operation, c.indexName ?? null])).toEqual([
      ['BatchGetItem', null],
      ['Query', 'desk'],
    ]);
  });
});

describe('the backup', () => {
  it('reads everything with Queries on the moderation and desk (compliments) indexes, never a Scan', async () => {
    const { form } = await deskSession(await linkKey('author'));
    const { body, ...headers } = form('do=download');
    const { status, calls } = await recorded('desk', { method: 'POST', path: '/desk/backup', headers, body });
    expect(status).toBe(200);
    const reads = calls.filter((c) => c.operation !== 'BatchGetItem' && c.operation !== 'GetItem');
    expect(reads.length).toBeGreaterThanOrEqual(11);
    expect(new Set(reads.map((c) => `${c.operation} ${c.indexName}`))).toEqual(
      new Set(['Query moderation', 'Query desk']),
    );
  });
});

describe('the feeds', () => {
  it('read with one Query on a public index each', async () => {
    const feeds = [
      [
        'comments',
        { method: 'GET', path: '/feeds/comments', rawQueryString: `page=${encodeURIComponent(PAGE)}` },
      ],
      ['comments', { method: 'GET', path: '/feeds/comments' }],
      ['wishes', { method: 'GET', path: '/feeds/wishes' }],
    ] as const;
    for (const [group, sample] of feeds) {
      const { status, calls } = await recorded(group, sample);
      expect(status).toBe(200);
      expect(
        calls.map((c) => [c.operation, TABLE_DEFINITION.indexes[c.indexName as 'public'].public]),
      ).toEqual([['Query', true]]);
    }
  });
});

describe('every route', () => {
  it('works without scanning the table', async () => {
    const posted = await call(handlerFor('comments'), {
      method: 'POST',
      path: '/comments',
      json: validComment({ page: PAGE }),
    });
    const commentId = posted.body.comment.id as string;
    const editKey = newVoterId();
    const own = await call(handlerFor('comments'), {
      method: 'POST',
      path: '/comments',
      json: validComment({ page: PAGE, editKey }),
    });
    const ownId = own.body.comment.id as string;
    const wishId = await acceptedWish();
    const voterId = newVoterId();
    const token = issueToken(
      { kind: 'comment', action: 'compliment', target: commentId },
      await linkKey('author'),
      new Date(),
    );
    const readerKey = await linkKey('reader');
    // A "Meine Daten" request, as the form stores it for an address with data.
    const dataRequestId = '01J0000000000000000000000D';
    await putDataRequest(
      {
        id: dataRequestId,
        emailHash: 'h'.repeat(43),
        emailEnc: 'sealed',
        lang: 'de',
        requestedAt: new Date().toISOString(),
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      },
      { address: { subject: 'capacity', limit: 10, window: rateWindow(new Date(), 3600) } },
    );
    const readerToken = (action: 'confirm' | 'unsubscribe' | 'data') =>
      encodeURIComponent(
        issueToken(
          { kind: 'reader', action, target: action === 'data' ? dataRequestId : commentId },
          readerKey,
          new Date(),
        ),
      );
    const readerForm = (action: 'confirm' | 'unsubscribe') => ({
      method: 'POST' as const,
      path: `/readers/${action}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `t=${readerToken(action)}`,
    });

    // One request per route that gets past validation, so each reaches the store.
    const samples: Record<string, Sample> = {
      postComment: { method: 'POST', path: '/comments', json: validComment({ page: PAGE }) },
      listComments: listPage(),
      commentFeed: {
        method: 'GET',
        path: '/feeds/comments',
        rawQueryString: `page=${encodeURIComponent(PAGE)}`,
      },
      wishFeed: { method: 'GET', path: '/feeds/wishes' },
      editComment: {
        method: 'PATCH',
        path: `/comments/${ownId}`,
        json: { editKey, text: 'Neu geschrieben.' },
      },
      deleteComment: { method: 'DELETE', path: `/comments/${ownId}`, json: { editKey } },
      commentStatus: {
        method: 'POST',
        path: '/comments/status',
        json: { items: [{ id: ownId, key: editKey }] },
      },
      wishStatus: { method: 'POST', path: '/wishes/status', json: { items: [{ id: wishId, key: editKey }] } },
      countComments: {
        method: 'GET',
        path: '/comments/counts',
        rawQueryString: `pages=${encodeURIComponent(PAGE)},%2Fother`,
      },
      listCompliments: { method: 'GET', path: '/compliments' },
      getGuard: { method: 'GET', path: '/guard' },
      postWish: { method: 'POST', path: '/wishes', json: validWish() },
      listWishes: { method: 'GET', path: '/wishes', rawQueryString: 'sort=votes' },
      wishCredit: {
        method: 'GET',
        path: '/wishes/credit',
        rawQueryString: `page=${encodeURIComponent(PAGE)}`,
      },
      voteWish: { method: 'POST', path: `/wishes/${wishId}/vote`, json: { voterId } },
      unvoteWish: { method: 'DELETE', path: `/wishes/${wishId}/vote`, json: { voterId } },
      moderationPage: { method: 'GET', path: '/moderate', rawQueryString: `t=${encodeURIComponent(token)}` },
      moderate: {
        method: 'POST',
        path: '/moderate',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `t=${encodeURIComponent(token)}`,
      },
      confirmPage: { method: 'GET', path: '/readers/confirm', rawQueryString: `t=${readerToken('confirm')}` },
      confirm: readerForm('confirm'),
      unsubscribePage: {
        method: 'GET',
        path: '/readers/unsubscribe',
        rawQueryString: `t=${readerToken('unsubscribe')}`,
      },
      unsubscribe: readerForm('unsubscribe'),
      dataForm: { method: 'GET', path: '/readers/data', rawQueryString: 'lang=de' },
      dataRequest: {
        method: 'POST',
        path: '/readers/data',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=leserin%40example.de&lang=de',
      },
      dataPage: { method: 'GET', path: '/readers/data/view', rawQueryString: `t=${readerToken('data')}` },
      dataAction: {
        method: 'POST',
        path: '/readers/data/view',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `t=${readerToken('data')}&do=download`,
      },
      openApi: { method: 'GET', path: '/openapi.json' },
      ...(await deskSamples(await linkKey('author'), commentId)),
    };
    // A new route needs a sample here, or this test could not claim "every route".
    expect(ROUTES.map((route) => route.operationId).filter((id) => !samples[id])).toEqual([]);

    const scans: string[] = [];
    const failures: string[] = [];
    for (const route of ROUTES) {
      const { status, calls } = await recorded(route.group, samples[route.operationId]!);
      if (status >= 400) failures.push(`${route.operationId}: ${status}`);
      for (const c of calls) if (c.operation === 'Scan') scans.push(route.operationId);
    }
    expect(failures).toEqual([]);
    expect(scans).toEqual([]);
    // Every route once, one after another: on a busy shared machine that takes longer than 30 s.
  }, 180_000);
});
