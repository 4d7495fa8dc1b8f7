/**
 * The spam guards as a bot and as a reader meet them: through the real handler, DynamoDB Local
 * and the real proof-of-work solver the widget uses.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { issueFormToken, powHmacKey } from '../../functions/core/guards';
import { createPowChallenge } from '../../functions/core/pow';
import { solvePow } from '../../functions/core/pow-solve';
import { deriveHashKeys } from '../../functions/core/privacy';
import { handler } from '../../functions/handlers/comments';
import {
  call,
  createTestStack,
  resetRuntime,
  type TestStack,
  testHashKeys,
  validComment,
} from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  // The smallest allowed difficulty keeps the solving in these tests short.
  stack = await createTestStack({ BROWSER_GUARDS: 'on', POW_MAX_NUMBER: '1000' });
});

const keys = () => ({ hash: testHashKeys() });
const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);
const post = (json: unknown, headers: Record<string, string> = {}) =>
  call(handler, { method: 'POST', path: '/comments', json, headers });
const getGuard = () => call(handler, { method: 'GET', path: '/guard' });
const comments = async () => (await stack.dump()).filter((item) => item.kind === 'comment');

/** What the widget does: GET /guard, solve in the background; the reader types for a while. */
async function browserFields(typedForSeconds = 10) {
  const guard = (await getGuard()).body;
  const pow = await solvePow(guard.pow);
  // The reader has been typing: the form token was issued that long ago.
  return {
    hp: '',
    formToken: issueFormToken(keys().hash.formTokens, secondsAgo(typedForSeconds)),
    pow: pow!,
  };
}

async function expectRefusedAsBot(response: { status: number; body: any }, storedBefore: number) {
  expect(response.status).toBe(400);
  expect(response.body.error.code).toBe('spam_suspected');
  // Generic: which guard caught it is not told.
  expect(response.body.error.fields).toEqual([]);
  expect((await stack.dump()).length).toBe(storedBefore);
}

describe('GET /guard', () => {
  it('hands out a form token and a proof-of-work challenge, without cookie or storage', async () => {
    const before = (await stack.dump()).length;
    const response = await getGuard();
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toMatchObject({
      formToken: expect.stringMatching(/^v1\.\d+\./),
      pow: { algorithm: 'SHA-256', maxnumber: 1000, challenge: expect.stringMatching(/^[0-9a-f]{64}$/) },
      enforced: { honeypot: true, minFillSeconds: 3, proofOfWork: true },
    });
    expect(Date.parse(response.body.powExpiresAt)).toBeGreaterThan(Date.now());
    expect(Date.parse(response.body.formTokenExpiresAt)).toBeGreaterThan(
      Date.parse(response.body.powExpiresAt),
    );
    expect((await stack.dump()).length).toBe(before);
  });
});

describe('a bot posting plain HTTP', () => {
  it('is refused without form token and proof of work, and nothing is stored', async () => {
    await expectRefusedAsBot(await post(validComment()), (await stack.dump()).length);
  });

  it('is refused when it fills the honeypot, even with valid token and proof of work', async () => {
    const before = (await stack.dump()).length;
    const fields = await browserFields();
    await expectRefusedAsBot(await post(validComment({ ...fields, hp: 'https://spam.example' })), before);
  });

  it('is refused when it submits faster than a person can type', async () => {
    const before = (await stack.dump()).length;
    const guard = (await getGuard()).body;
    const pow = await solvePow(guard.pow);
    await expectRefusedAsBot(await post(validComment({ formToken: guard.formToken, pow })), before);
  });

  it('is refused with a forged, expired or foreign form token', async () => {
    const before = (await stack.dump()).length;
    const good = await browserFields();
    const [payload, mac] = [good.formToken.slice(0, good.formToken.lastIndexOf('.')), 'A'.repeat(43)];
    const forged = `${payload}.${mac}`;
    const expired = issueFormToken(keys().hash.formTokens, secondsAgo(25 * 60 * 60));
    const foreign = issueFormToken(
      deriveHashKeys('another-blog-another-secret-0123456789').formTokens,
      secondsAgo(10),
    );
    const backdated = good.formToken.replace(/^v1\.\d+/, `v1.${Math.floor(Date.now() / 1000) - 3600}`);
    for (const formToken of [forged, expired, foreign, backdated, 'v1.garbage', '']) {
      await expectRefusedAsBot(await post(validComment({ ...good, formToken })), before);
    }
  });

  it('is refused with a wrong, expired, foreign or malformed proof of work', async () => {
    const before = (await stack.dump()).length;
    const good = await browserFields();
    const solved = JSON.parse(Buffer.from(good.pow, 'base64').toString());
    const wrongNumber = btoa(JSON.stringify({ ...solved, number: solved.number + 1 }));
    const oldChallenge = await createPowChallenge(
      powHmacKey(keys().hash.formTokens),
      1000,
      secondsAgo(31 * 60),
    );
    const expired = await solvePow(oldChallenge);
    const foreignKey = await createPowChallenge('not-the-servers-key', 1000, new Date());
    const foreign = await solvePow(foreignKey);
    const sha1 = btoa(JSON.stringify({ ...solved, algorithm: 'SHA-1' }));
    for (const pow of [wrongNumber, expired!, foreign!, sha1, 'bm90IGpzb24=', '%%%']) {
      await expectRefusedAsBot(await post(validComment({ ...good, pow })), before);
    }
  });
});

describe('a reader in the widget', () => {
  it('gets the comment stored; the same proof of work cannot be used twice', async () => {
    const fields = await browserFields();
    const first = await post(validComment({ ...fields, text: 'Guter Punkt zur Preisgestaltung.' }));
    expect(first.status).toBe(201);
    expect(first.body.visible).toBe(true);
    const before = (await stack.dump()).length;
    const replay = await post(validComment({ ...fields, text: 'Noch ein Kommentar mit altem Beweis.' }));
    await expectRefusedAsBot(replay, before);
    // A fresh challenge works again.
    const again = await post(
      validComment({ ...(await browserFields()), text: 'Und noch einer, frisch gelöst.' }),
    );
    expect(again.status).toBe(201);
  });

  it('posts without any guard field when the browser guards are off (scripted local stack)', async () => {
    process.env.BROWSER_GUARDS = 'off';
    resetRuntime();
    try {
      const response = await post(validComment());
      expect(response.status).toBe(201);
      expect((await getGuard()).body.enforced).toEqual({
        honeypot: false,
        minFillSeconds: 0,
        proofOfWork: false,
      });
      // README: the content checks stay (and the rate limits: rate-limits.test.ts runs with them off).
      const spammy = await post(
        validComment({ text: 'Tolle Seite! Mein Tipp: Kredit ohne Schufa, sofort.' }),
      );
      expect(spammy.status).toBe(201);
      const held = (await comments()).find((item) => item.id === spammy.body.comment.id)!;
      expect(held.holdReasons).toEqual(['spam_words']);
    } finally {
      process.env.BROWSER_GUARDS = 'on';
      resetRuntime();
    }
  });
});

describe('content heuristics', () => {
  const heldItem = async (id: string) => (await comments()).find((item) => item.id === id)!;

  it.each([
    [
      'many_links',
      'Schau mal https://a.example und http://b.example und www.c.example und https://d.example',
    ],
    ['spam_words', 'Tolle Seite! Mein Tipp: Kredit ohne Schufa, sofort.'],
    ['spam_words', 'Great post. Check my ONLINE-CASINO bonus.'],
    ['all_caps', 'DAS IST DER BESTE ARTIKEL DEN ICH JE GELESEN HABE!!!'],
  ])('holds a comment for moderation (%s) instead of refusing it', async (reason, text) => {
    const response = await post(validComment({ ...(await browserFields()), text }));
    expect(response.status).toBe(201);
    expect(response.body.visible).toBe(false);
    expect(response.body.comment.status).toBe('pending');
    const item = await heldItem(response.body.comment.id);
    expect(item.holdReasons).toEqual([reason]);
    // Held comments are not listed, and the reasons are never public.
    const listed = await call(handler, {
      method: 'GET',
      path: '/comments',
      rawQueryString: `page=${encodeURIComponent(item.page as string)}`,
    });
    expect(listed.text).not.toContain(response.body.comment.id);
    expect(listed.text).not.toContain('holdReasons');
  });

  it('lets ordinary comments through: two links, a word like "Casinos", a shouted word or two', async () => {
    for (const text of [
      'Siehe https://a.example und https://b.example, beide gut.',
      'Mein Artikel über Casinos und Marketing-Ethik war dazu passend.',
      'Das ist WIRKLICH ein SEHR guter Beitrag, danke dir!',
    ]) {
      const response = await post(validComment({ ...(await browserFields()), text }));
      expect(response.status).toBe(201);
      expect(response.body.visible).toBe(true);
    }
  });
});

describe('optional Akismet', () => {
  let akismet: Server;
  let answer: (body: string) => { status: number; text: string; delayMs?: number };
  const received: string[] = [];

  beforeAll(async () => {
    akismet = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(body);
        const reply = answer(body);
        setTimeout(() => {
          response.writeHead(reply.status, { 'content-type': 'text/plain' });
          response.end(reply.text);
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => akismet.listen(0, '127.0.0.1', resolve));
    process.env.AKISMET_API_KEY = 'test-akismet-key';
    process.env.AKISMET_ENDPOINT = `http://127.0.0.1:${(akismet.address() as AddressInfo).port}/1.1/comment-check`;
    process.env.BROWSER_GUARDS = 'off';
    resetRuntime();
  });

  afterAll(async () => {
    delete process.env.AKISMET_API_KEY;
    delete process.env.AKISMET_ENDPOINT;
    process.env.BROWSER_GUARDS = 'on';
    resetRuntime();
    akismet.closeAllConnections();
    await new Promise((resolve) => akismet.close(resolve));
  });

  it('publishes what Akismet calls ham and holds what it calls spam', async () => {
    answer = (body) => ({ status: 200, text: body.includes('cheap+pills') ? 'true' : 'false' });
    const ham = await post(validComment({ text: 'Sehr hilfreicher Artikel.' }));
    expect(ham.body.visible).toBe(true);
    const spam = await post(validComment({ text: 'Buy cheap pills here' }));
    expect(spam.status).toBe(201);
    expect(spam.body.visible).toBe(false);
    expect((await comments()).find((item) => item.id === spam.body.comment.id)!.holdReasons).toEqual([
      'akismet_spam',
    ]);
  });

  it('sends the text and the key but never the email address', async () => {
    answer = () => ({ status: 200, text: 'false' });
    received.length = 0;
    const comment = validComment({ text: 'Ein Kommentar für Akismet.' });
    await post(comment);
    const form = new URLSearchParams(received[0]);
    expect(form.get('api_key')).toBe('test-akismet-key');
    expect(form.get('comment_content')).toBe('Ein Kommentar für Akismet.');
    expect(form.get('blog')).toBe('https://blog.example');
    expect(received[0]).not.toContain(encodeURIComponent(comment.email));
    expect(received[0]).not.toContain(comment.email);
  });

  it.each([
    ['answers with an error', () => ({ status: 500, text: 'oops' })],
    ['answers nonsense', () => ({ status: 200, text: 'invalid' })],
    ['does not answer in time', () => ({ status: 200, text: 'false', delayMs: 4000 })],
  ])('holds the comment when Akismet %s (fail open to moderation)', async (_case, reply) => {
    answer = reply;
    const response = await post(validComment({ text: 'Ein ganz normaler Kommentar.' }));
    expect(response.status).toBe(201);
    expect(response.body.visible).toBe(false);
    expect((await comments()).find((item) => item.id === response.body.comment.id)!.holdReasons).toEqual([
      'spam_check_failed',
    ]);
  });
});

describe('single guards turned off (GUARD_HONEYPOT, GUARD_FILL_TIME, GUARD_PROOF_OF_WORK, GUARD_CONTENT)', () => {
  /** Runs with one guard setting `off`, the browser guards on, and puts the environment back. */
  async function withSetting<T>(name: string, run: () => Promise<T>): Promise<T> {
    process.env[name] = 'off';
    resetRuntime();
    try {
      return await run();
    } finally {
      delete process.env[name];
      resetRuntime();
    }
  }

  it('GUARD_HONEYPOT=off: a filled honeypot no longer refuses; the other guards still do', async () => {
    await withSetting('GUARD_HONEYPOT', async () => {
      expect((await getGuard()).body.enforced).toEqual({
        honeypot: false,
        minFillSeconds: 3,
        proofOfWork: true,
      });
      const fields = await browserFields();
      const response = await post(validComment({ ...fields, hp: 'https://spam.example' }));
      expect(response.status).toBe(201);
      const before = (await stack.dump()).length;
      await expectRefusedAsBot(await post(validComment({ hp: 'x' })), before);
    });
  });

  it('GUARD_FILL_TIME=off: a form sent at once is taken (token and proof of work still checked)', async () => {
    await withSetting('GUARD_FILL_TIME', async () => {
      expect((await getGuard()).body.enforced.minFillSeconds).toBe(0);
      const guard = (await getGuard()).body;
      const pow = await solvePow(guard.pow);
      expect((await post(validComment({ hp: '', formToken: guard.formToken, pow }))).status).toBe(201);
      const before = (await stack.dump()).length;
      await expectRefusedAsBot(await post(validComment({ hp: '', formToken: 'v1.garbage', pow })), before);
    });
  });

  it('GUARD_PROOF_OF_WORK=off: no proof of work needed (the form token still is)', async () => {
    await withSetting('GUARD_PROOF_OF_WORK', async () => {
      expect((await getGuard()).body.enforced.proofOfWork).toBe(false);
      const formToken = issueFormToken(keys().hash.formTokens, secondsAgo(10));
      expect((await post(validComment({ hp: '', formToken }))).status).toBe(201);
      const before = (await stack.dump()).length;
      await expectRefusedAsBot(await post(validComment({ hp: '' })), before);
    });
  });

  it('GUARD_CONTENT=off: a comment full of links and spam words is not held', async () => {
    await withSetting('GUARD_CONTENT', async () => {
      const text = 'Kredit ohne Schufa! https://a.example http://b.example www.c.example https://d.example';
      const response = await post(validComment({ ...(await browserFields()), text }));
      expect(response.status).toBe(201);
      expect(response.body.visible).toBe(true);
    });
  });
});
