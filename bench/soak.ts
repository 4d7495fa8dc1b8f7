/**
 * The soak under faults (`npm run load -- --soak`): many connections of mixed reads, comments,
 * votes and idempotent retries against the local stack for minutes, while DynamoDB Local is
 * stopped and started again (twice) and the mail transport fails for a while. Then everything is
 * let settle, and the verdict is taken from the table and the outbox:
 * - every comment is stored exactly once: those answered 201 with the id they were given; those
 *   answered 503 or cut off are sent again with their Idempotency-Key (as the widget does) until
 *   answered, and must then be 201, stored once;
 * - the page counters and the wish's vote counter equal what is stored;
 * - every stored comment's author mail went out exactly once (after `mail-retry` resent the mails
 *   the notifier kept while mail failed, and the stream records whose retries ran out, the
 *   on-failure destination, were handed to the notifier again);
 * - no 5xx other than 503, and 503 only while DynamoDB was down (or just after).
 * The verdict waits until the server has no request in flight and two scans of the table agree.
 *
 * The harness owns its DynamoDB Local (with a data folder, so a restart keeps the data), ends it
 * (SIGTERM, then SIGKILL after 10 s — `termGraceSeconds` — as a process manager does; or
 * `killSignal: 'SIGKILL'`) and starts it again with the quick-start JVM flags, as `npm start`'s
 * supervisor does. Each comment answered
 * 201 but not stored as answered is listed in the verdict (`misses`) with its id, page, when its 201
 * came, how far that was from the nearest kill and whether it came from a resend, so a loss can be
 * traced from bench/results/soak.json. After SIGKILL, DynamoDB Local itself may lose a transaction
 * it has just acknowledged (bench/durability.ts): only a loss whose 201 met a kill is put down to
 * that, and only after SIGKILL.
 * One stream poller runs throughout, as the event source mapping does on AWS: it waits out each
 * outage and reads on after the last record it had read.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';

export interface SoakOptions {
  seconds: number;
  connections: number;
  /** Seconds after the start at which DynamoDB Local is killed, and how long it stays down. */
  outages: { at: number; downSeconds: number }[];
  /** Seconds after the start during which every mail send fails. */
  mailFailure: { from: number; to: number };
  /** Unmeasured traffic on a page of its own first, so the fresh JVM has compiled its hot code. */
  warmupSeconds?: number;
  /**
   * How DynamoDB Local is ended: SIGTERM, followed by SIGKILL after 10 s as a process manager does
   * (the default), or SIGKILL at once, a crash, after which DynamoDB Local may have lost a
   * transaction it had just acknowledged (bench/durability.ts).
   */
  killSignal?: KillSignal;
  /**
   * How long a SIGTERM may take before SIGKILL follows (default 10 s, as `docker stop`). A busy
   * machine can need longer to stop a JVM; a forced SIGKILL is reported as the signal that ended it.
   */
  termGraceSeconds?: number;
  log?: (message: string) => void;
}

export interface SoakVerdict {
  ok: boolean;
  requests: number;
  statuses: Record<string, number>;
  unexpected5xx: number;
  comments: {
    sent: number;
    acknowledged: number;
    resent: number;
    stored: number;
    lost: number;
    duplicated: number;
    wrongId: number;
    strangers: number;
    /** Of lost and wrong id: those whose 201 met a kill (see CommentMiss.atKill). */
    atKill: number;
    /** Sent again after the load until the resend deadline and never answered 201: their last status (0: no answer). */
    neverAnswered: { marker: string; status: number }[];
  };
  /** Every lost or wrongly stored comment, so a loss can be traced from the results file. */
  misses: { lost: CommentMiss[]; wrongId: CommentMiss[] };
  retriesAnsweredDifferently: number;
  pageCounterDrift: number;
  /** atKill: acknowledged votes whose 200 met a kill (see CommentMiss.atKill); votes are stored under a keyed hash, so which one is missing cannot be told. */
  votes: { acknowledged: number; stored: number; counter: number; atKill: number };
  /** mailRetried: sent by `mail-retry`; redriven: sent when a record of the on-failure destination was handed over again. */
  mails: {
    expected: number;
    sent: number;
    missing: number;
    duplicated: number;
    mailRetried: number;
    redriven: number;
    /** Still waiting when the settle deadline passed: kept failed mails, failure records. */
    stillKept: number;
    stillFailed: number;
  };
  /** Each outage as it happened: killed at, restarted after, how long the restart took, and when it answered again (seconds into the run). */
  outages: { at: number; downSeconds: number; restartSeconds: number; killedAt: number; backAt: number }[];
  /** The signal that ended DynamoDB Local: SIGKILL when it was asked for, or when a SIGTERM took longer than its grace. */
  killSignal: KillSignal;
  /** Answers 503 while DynamoDB Local was down or starting again (and in the grace after). */
  outage503: number;
  loadSeconds: number;
  settleSeconds: number;
}

interface Comment {
  key: string;
  marker: string;
  page: string;
  body: string;
  answer?: { status: number; id?: string; replayed?: boolean };
  /** Seconds into the run when its 201 arrived; whether that was in the settle phase's resend. */
  acknowledgedAt?: number;
  resent?: boolean;
  /** A retry with its key was answered otherwise than its 201 (as when the first write was lost). */
  retriedDifferently?: boolean;
}

/** A comment answered 201 but not stored (or stored under another id): what tells its cause. */
export interface CommentMiss {
  marker: string;
  page: string;
  /** The id its 201 carried, and the one stored (wrong id only). */
  id?: string;
  storedId?: string;
  /** Seconds into the run when the 201 arrived, and from the nearest kill (negative: before it). */
  acknowledgedAt?: number;
  fromNearestKill?: number;
  /** The 201 came when it was sent again after the load; it was a replay of the stored answer. */
  resent: boolean;
  replayed: boolean;
  /**
   * Its 201 arrived at most KILL_COMMIT_WINDOW_S before a kill or while the database was down: a
   * transaction DynamoDB Local had acknowledged but not yet committed (bench/durability.ts).
   */
  atKill: boolean;
}

const PAGES = ['/soak/eins', '/soak/zwei', '/soak/drei', '/soak/vier'];
/**
 * DynamoDB Local answers a TransactWriteItems once its COMMIT is queued, not once it ran
 * (bench/durability.ts): a transaction acknowledged just before a SIGKILL can be gone after the
 * restart. Its 201 then arrives after that acknowledgement, so no earlier than this before the kill
 * (a COMMIT takes milliseconds; a second is generous on a busy disk) or while the database is down.
 */
export const KILL_COMMIT_WINDOW_S = 1;
/**
 * After the load, an unanswered comment is sent again with its key until it is answered 201 (or a
 * 4xx, which fails the verdict): for as long as this, because a freshly restarted JVM on a busy
 * machine can answer 503 (its requests time out) for many seconds, and a reader's widget keeps
 * its key and tries again too.
 */
const RESEND_DEADLINE_S = 180;

export type KillSignal = 'SIGKILL' | 'SIGTERM';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSoak(options: SoakOptions): Promise<SoakVerdict> {
  const log = options.log ?? (() => {});
  const killSignal: KillSignal = options.killSignal ?? 'SIGTERM';
  /** What ended DynamoDB Local in the end: the signal asked for, or SIGKILL after a SIGTERM's grace ran out. */
  let endedBy: KillSignal = killSignal;
  const termGraceMs = (options.termGraceSeconds ?? 10) * 1000;
  const { startDynamoLocal, localClient, freePort } = await import('../dev/dynamo-local');
  const { startLocalStack } = await import('../dev/local-stack');
  const { startStreamPoller } = await import('../dev/stream-poller');
  const { readOutboxMail, listOutbox } = await import('../dev/outbox');
  const { useTransport, transport } = await import('../functions/notifier/transport');
  const { handler: notifier } = await import('../functions/notifier/handler');
  const { applyWishAction } = await import('../functions/usecases/wishes');
  const { retryFailedMails } = await import('../functions/notifier/retry');
  const { settledScan } = await import('./settled-scan');

  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'leserpost-soak-'));
  const dbDir = join(dataDir, 'dynamodb');
  const failureDir = join(dataDir, 'failed');
  mkdirSync(dbDir, { recursive: true });
  const port = await freePort();
  let dynamo = await startDynamoLocal({ port, dataDir: dbDir, readyWithinMs: 300_000 });
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    dynamoEndpoint: dynamo.endpoint,
    tableName: `soak-${run}`,
    env: { BROWSER_GUARDS: 'off', RATE_LIMIT_SCALE: '0', MODERATION: 'none' },
  });
  const poller = await startStreamPoller({
    endpoint: dynamo.endpoint,
    tableName: stack.tableName,
    startAt: 'TRIM_HORIZON',
    failureDir,
    onError: (error) => log(`soak: notifier (stream poller): ${error.name}: ${error.message}`),
  });
  const base = `http://127.0.0.1:${new URL(stack.url).port}/api`;
  const origin = stack.url;
  const headers = { 'content-type': 'application/json', origin };

  // The wish readers vote for, accepted by the author.
  const wishAnswer = await fetch(`${base}/wishes`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      topic: `Dauertest ${run}: was bleibt, wenn alles wackelt`,
      displayName: 'Dauertest',
      showName: true,
      email: 'dauertest@example.org',
      consent: true,
    }),
  });
  const wishId = ((await wishAnswer.json()) as { wish: { id: string } }).wish.id;
  await applyWishAction(wishId, 'accept', {}, new Date());

  const comments: Comment[] = [];
  const votes = new Map<string, { status: number; at: number }>();
  const statuses: Record<string, number> = {};
  let unexpected5xx = 0;
  let retriesAnsweredDifferently = 0;
  let requests = 0;
  let down = false;
  /** When DynamoDB Local last came back (0: it has not been away yet). */
  let lastUp = 0;
  let outage503 = 0;
  const happened: SoakVerdict['outages'] = [];
  if (options.warmupSeconds) {
    log(`soak: warming up for ${options.warmupSeconds} s`);
    const until = Date.now() + options.warmupSeconds * 1000;
    let n = 0;
    const warm = async () => {
      while (Date.now() < until) {
        await fetch(`${base}/comments?page=/warmup`, { headers: { origin } }).then(
          (r) => r.text(),
          () => '',
        );
        await fetch(`${base}/comments`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            page: '/warmup',
            name: 'Aufwärmen',
            email: 'warm@example.org',
            text: `Aufwärmen ${n++}`,
            consent: true,
          }),
        }).then(
          (r) => r.text(),
          () => '',
        );
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.connections / 8) }, warm));
  }
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;

  const send = async (
    path: string,
    init: RequestInit,
  ): Promise<{ status: number; text: string; replayed?: boolean }> => {
    requests++;
    const sent = Date.now();
    try {
      const response = await fetch(base + path, { ...init, signal: AbortSignal.timeout(15_000) });
      const text = await response.text();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      // A 503 is the documented answer while the database is away: for a request sent while it was
      // down or starting, or answered within 15 s of its return (a fresh JVM is slow at first).
      const outage = down || sent < lastUp || Date.now() - lastUp < 15_000;
      if (response.status === 503 && outage) outage503++;
      else if (response.status >= 500) unexpected5xx++;
      // As the widget does: a 503 says when to come again (Retry-After), and this reader waits.
      if (response.status === 503) await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      return {
        status: response.status,
        text,
        replayed: response.headers.get('idempotent-replayed') === 'true',
      };
    } catch {
      statuses.network = (statuses.network ?? 0) + 1;
      await sleep(1000);
      return { status: 0, text: '' };
    }
  };

  const postComment = async (comment: Comment) => {
    const answer = await send('/comments', {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': comment.key },
      body: comment.body,
    });
    const id =
      answer.status === 201 ? (JSON.parse(answer.text) as { comment: { id: string } }).comment.id : undefined;
    return { status: answer.status, id, replayed: answer.replayed };
  };
  /** Sends a comment and notes when its 201 arrived. */
  const submitComment = async (comment: Comment) => {
    comment.answer = await postComment(comment);
    if (comment.answer.status === 201) comment.acknowledgedAt = elapsed();
  };

  let faultsDone = false;
  let faultsDoneAt = 0;
  /** The load goes on until the time is up and at least 5 s past the last fault's end. */
  const going = () => elapsed() < options.seconds || !faultsDone || Date.now() - faultsDoneAt < 5000;
  /** One connection: a loop of reads, comments, votes and retries until the time is up. */
  const worker = async (n: number) => {
    for (let i = 0; going(); i++) {
      const pick = (i + n) % 10;
      if (pick < 5) {
        const page = PAGES[(i + n) % PAGES.length]!;
        await send(`/comments?page=${encodeURIComponent(page)}&order=newest&limit=20`, {
          headers: { origin },
        });
      } else if (pick < 8) {
        const index = comments.length;
        const marker = `soak ${run} ${index}`;
        const page = PAGES[index % PAGES.length]!;
        const comment: Comment = {
          key: `soak-${run}-${index}`,
          marker,
          page,
          body: JSON.stringify({
            page,
            name: 'Dauertest',
            email: `dauer.${index}@example.org`,
            text: `${marker}: ein Kommentar im Dauertest.`,
            consent: true,
          }),
        };
        comments.push(comment);
        await submitComment(comment);
      } else if (pick === 8) {
        // A retry of an answered comment with its key: must give the very same answer.
        const answered = comments.filter((c) => c.answer?.status === 201);
        const again = answered[(i * 7 + n) % Math.max(1, answered.length)];
        if (!again) continue;
        const retry = await postComment(again);
        if (
          retry.status !== 503 &&
          retry.status !== 0 &&
          (retry.status !== 201 || retry.id !== again.answer?.id)
        ) {
          retriesAnsweredDifferently++;
          again.retriedDifferently = true;
        }
      } else {
        const voterId = `soak-voter-${run}-${n}-${i}`;
        const answer = await send(`/wishes/${wishId}/vote`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ voterId }),
        });
        votes.set(voterId, { status: answer.status, at: elapsed() });
      }
    }
  };

  /** The faults, on their schedule (an outage starts no sooner than 5 s after the last ended). */
  const failing = {
    send: async () => {
      throw new Error('Injected mail failure (soak).');
    },
  };
  const mail = (async () => {
    await sleep(options.mailFailure.from * 1000);
    log(`soak: ${elapsed().toFixed(0)} s: the mail transport fails from now on`);
    useTransport(failing);
    await sleep((options.mailFailure.to - options.mailFailure.from) * 1000);
    useTransport(undefined);
    log(`soak: ${elapsed().toFixed(0)} s: the mail transport works again`);
  })();
  const faults = (async () => {
    for (const outage of options.outages) {
      await sleep(Math.max(outage.at * 1000 - (Date.now() - started), Date.now() - lastUp < 5000 ? 5000 : 0));
      log(
        `soak: ${elapsed().toFixed(0)} s: ending DynamoDB Local (${killSignal}) for ${outage.downSeconds} s`,
      );
      // DynamoDB (and DynamoDB Local after SIGTERM, bench/durability.ts) keeps what it acknowledged;
      // DynamoDB Local answers a transaction before its COMMIT ran. A process manager's stop is
      // modelled as a stop that keeps acknowledged writes: one read, which queues behind any such
      // COMMIT, goes first. A crash (SIGKILL) gets no such read.
      if (killSignal === 'SIGTERM') await commitBarrier(dynamo.endpoint, stack.tableName);
      down = true;
      const at = elapsed();
      if (dynamo.pid) process.kill(dynamo.pid, killSignal);
      const forced = setTimeout(() => {
        if (!dynamo.pid) return;
        log(`soak: DynamoDB Local did not stop within ${termGraceMs / 1000} s of SIGTERM: SIGKILL`);
        endedBy = 'SIGKILL';
        process.kill(dynamo.pid, 'SIGKILL');
      }, termGraceMs);
      await dynamo.exited;
      clearTimeout(forced);
      await sleep(outage.downSeconds * 1000);
      const restarting = Date.now();
      dynamo = await startDynamoLocal({ port, dataDir: dbDir, readyWithinMs: 300_000, quickStart: true });
      const restartSeconds = (Date.now() - restarting) / 1000;
      happened.push({
        at: Math.round(at),
        downSeconds: outage.downSeconds,
        restartSeconds,
        killedAt: Number(at.toFixed(2)),
        backAt: Number(elapsed().toFixed(2)),
      });
      lastUp = Date.now();
      down = false;
      log(
        `soak: ${elapsed().toFixed(0)} s: DynamoDB Local is back (its start took ${restartSeconds.toFixed(1)} s)`,
      );
    }
    await mail;
    faultsDone = true;
    faultsDoneAt = Date.now();
  })();

  const ticker = setInterval(
    () => log(`soak: ${elapsed().toFixed(0)} s: ${requests} requests, ${JSON.stringify(statuses)}`),
    5000,
  );
  await Promise.all([...Array.from({ length: options.connections }, (_, n) => worker(n)), faults]);
  clearInterval(ticker);
  useTransport(undefined);
  transport();
  const loadEnded = Date.now();
  const loadSeconds = elapsed();
  /** A client that gave up does not end the server's work: wait for every request to finish. */
  const drained = async () => {
    while (stack.inFlight() > 0) await sleep(200);
  };
  await drained();

  // Settle: every comment without a 201 (503, cut off, network) once more with its key, a few at once.
  const unanswered = comments.filter((c) => c.answer?.status !== 201);
  log(
    `soak: load over after ${loadSeconds.toFixed(0)} s; re-sending ${unanswered.length} unanswered comments`,
  );
  const resendUntil = Date.now() + RESEND_DEADLINE_S * 1000;
  const resend = async (comment: Comment) => {
    comment.resent = true;
    do {
      await submitComment(comment);
      const status = comment.answer?.status ?? 0;
      // 201: stored; another 4xx than 409 (its first write still running) is an answer that stands.
      if (status === 201 || (status >= 400 && status < 500 && status !== 409)) break;
      await sleep(1000);
    } while (Date.now() < resendUntil);
  };
  for (let i = 0; i < unanswered.length; i += 8) await Promise.all(unanswered.slice(i, i + 8).map(resend));
  await drained();
  log('soak: waiting for the stream, mail-retry and the redrive');
  // Stream records whose retries ran out (the on-failure destination): handed to the notifier again.
  let redriven = 0;
  const redrive = async () => {
    if (!existsSync(failureDir)) return;
    for (const name of readdirSync(failureDir)) {
      const file = join(failureDir, name);
      const { record } = JSON.parse(readFileSync(file, 'utf8')) as { record: DynamoDBRecord };
      const result = await notifier({ Records: [record] } as never);
      if ((result?.batchItemFailures ?? []).length === 0) {
        rmSync(file);
        redriven++;
      }
    }
  };
  // Until the outbox stops growing (the poller has read the stream to its end) and nothing is left
  // to send: `mail-retry` and the redrive run each round. A mail whose send failed while the
  // database was away can keep its claim (its release could not be written) until the claim's
  // lease runs out; then a retry takes it over. So the rounds go on past that lease if need be.
  const { claimLeaseSeconds } = (await import('../functions/core/limits')).LIMITS.notifier;
  const settleUntil = Date.now() + (claimLeaseSeconds + 120) * 1000;
  const failureRecords = () => (existsSync(failureDir) ? readdirSync(failureDir).length : 0);
  let last = -1;
  let mailRetried = 0;
  let stillKept = 0;
  for (let stable = 0; stable < 3 && Date.now() < settleUntil; ) {
    await sleep(2000);
    const retried = await retryFailedMails(notifier);
    mailRetried += retried.retried.length - retried.failed.length;
    await redrive();
    stillKept = retried.failed.length;
    const count = listOutbox(stack.outboxDir).length;
    const waiting = stillKept > 0 || failureRecords() > 0;
    stable = count === last && !waiting ? stable + 1 : 0;
    last = count;
  }
  const settleSeconds = (Date.now() - loadEnded) / 1000;

  // The verdict, from the table once it has settled.
  await drained();
  const client = localClient(dynamo.endpoint);
  const items = await settledScan(client, stack.tableName);
  client.destroy();
  const stored = new Map<string, string[]>();
  for (const item of items) {
    if (item.kind !== 'comment') continue;
    const marker = /^(soak \S+ \d+):/.exec(String(item.text))?.[1];
    if (marker) stored.set(marker, [...(stored.get(marker) ?? []), String(item.id)]);
  }
  const acknowledged = comments.filter((c) => c.answer?.status === 201);
  const lostComments = comments.filter((c) => !stored.has(c.marker));
  const lost = lostComments.length;
  const duplicated = [...stored.values()].filter((ids) => ids.length > 1).length;
  const wrongIdComments = acknowledged.filter((c) => {
    const ids = stored.get(c.marker);
    return ids?.length === 1 && ids[0] !== c.answer?.id;
  });
  const wrongId = wrongIdComments.length;
  const misses = {
    lost: lostComments.map((c) => describeMiss(c, happened)),
    wrongId: wrongIdComments.map((c) => ({
      ...describeMiss(c, happened),
      storedId: stored.get(c.marker)?.[0],
    })),
  };
  for (const miss of [...misses.lost, ...misses.wrongId])
    log(`soak: not stored as answered: ${JSON.stringify(miss)}`);
  const atKill = [...misses.lost, ...misses.wrongId].filter((miss) => miss.atKill).length;
  const known = new Set(comments.map((c) => c.marker));
  const strangers = [...stored.keys()].filter((marker) => !known.has(marker)).length;
  const storedCount = [...stored.values()].reduce((sum, ids) => sum + ids.length, 0);
  const counted = items
    .filter((item) => String(item.pk).startsWith('PAGE#/soak/') && item.sk === 'COUNT')
    .reduce((sum, item) => sum + Number(item.count ?? 0), 0);
  const wish = items.find((item) => item.kind === 'wish' && item.id === wishId);
  const voteItems = items.filter(
    (item) => item.kind === 'vote' && String(item.wishId ?? '') === wishId,
  ).length;
  const votesAcknowledged = [...votes.values()].filter((vote) => vote.status === 200);

  // The outbox: every stored comment's mail exactly once.
  const mailsPerMarker = new Map<string, number>();
  for (const name of listOutbox(stack.outboxDir)) {
    const mail = readOutboxMail(stack.outboxDir, name);
    const marker = /soak \S+ \d+/.exec(mail?.text ?? '')?.[0];
    if (marker) mailsPerMarker.set(marker, (mailsPerMarker.get(marker) ?? 0) + 1);
  }
  const missing = [...stored.keys()].filter((marker) => !mailsPerMarker.has(marker)).length;
  const mailDuplicated = [...mailsPerMarker.values()].filter((n) => n > 1).length;
  const sentMails = [...mailsPerMarker.values()].reduce((a, b) => a + b, 0);

  const stillFailed = failureRecords();
  await poller.stop();
  await stack.stop();
  await dynamo.stop();
  rmSync(dataDir, { recursive: true, force: true });

  const verdict: SoakVerdict = {
    ok: false,
    requests,
    statuses,
    unexpected5xx,
    comments: {
      sent: comments.length,
      acknowledged: acknowledged.length,
      resent: unanswered.length,
      stored: storedCount,
      lost,
      duplicated,
      wrongId,
      strangers,
      atKill,
      neverAnswered: comments
        .filter((c) => c.answer?.status !== 201)
        .map((c) => ({ marker: c.marker, status: c.answer?.status ?? 0 })),
    },
    misses,
    retriesAnsweredDifferently,
    pageCounterDrift: counted - storedCount,
    votes: {
      acknowledged: votesAcknowledged.length,
      stored: voteItems,
      counter: Number(wish?.votes ?? -1),
      atKill: votesAcknowledged.filter((vote) => inKillWindow(vote.at, happened)).length,
    },
    mails: {
      expected: stored.size,
      sent: sentMails,
      missing,
      duplicated: mailDuplicated,
      mailRetried,
      redriven,
      stillKept,
      stillFailed,
    },
    outages: happened,
    killSignal: endedBy,
    outage503,
    loadSeconds,
    settleSeconds,
  };
  // Retries are only sent for comments answered 201, so each of these has its 201's time.
  const retriedDifferently = comments
    .filter((c) => c.retriedDifferently)
    .map((c) => describeMiss(c, happened));
  verdict.ok =
    unexpected5xx === 0 &&
    acknowledged.length === comments.length &&
    duplicated === 0 &&
    strangers === 0 &&
    lossesExplained({
      killSignal: endedBy,
      kills: happened.length,
      misses: [...misses.lost, ...misses.wrongId],
      retriedDifferently,
      votesMissing: Math.max(0, votesAcknowledged.length - voteItems),
      votesAtKill: verdict.votes.atKill,
    }) &&
    counted === storedCount &&
    verdict.votes.counter === voteItems &&
    missing === 0 &&
    mailDuplicated === 0;
  return verdict;
}

/** Answered once every transaction DynamoDB Local acknowledged before it has committed. */
async function commitBarrier(endpoint: string, tableName: string): Promise<void> {
  const { localClient } = await import('../dev/dynamo-local');
  const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
  const client = localClient(endpoint, { maxAttempts: 1 });
  await client
    .send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'SOAK#barrier' }, sk: { S: '-' } } }))
    .catch(() => undefined)
    .finally(() => client.destroy());
}

/**
 * What is known about a comment answered 201 that is not stored as answered: when the 201 came,
 * how far from the nearest kill, and whether it fell into the window in which DynamoDB Local can
 * lose a transaction it has acknowledged (from KILL_COMMIT_WINDOW_S before a kill until the
 * restarted database answered).
 */
export function describeMiss(
  comment: Pick<Comment, 'marker' | 'page' | 'answer' | 'acknowledgedAt' | 'resent'>,
  outages: readonly { killedAt: number; backAt: number }[],
): CommentMiss {
  const at = comment.acknowledgedAt;
  const nearest =
    at === undefined
      ? undefined
      : outages.reduce<{ killedAt: number; backAt: number } | undefined>(
          (best, outage) =>
            !best || Math.abs(at - outage.killedAt) < Math.abs(at - best.killedAt) ? outage : best,
          undefined,
        );
  return {
    marker: comment.marker,
    page: comment.page,
    id: comment.answer?.id,
    acknowledgedAt: at,
    fromNearestKill: at === undefined || !nearest ? undefined : Number((at - nearest.killedAt).toFixed(2)),
    resent: comment.resent === true,
    replayed: comment.answer?.replayed === true,
    atKill: at !== undefined && inKillWindow(at, outages),
  };
}

/** An answer at `at` (seconds into the run) that may stand for a write DynamoDB Local had not committed at a kill. */
export function inKillWindow(at: number, outages: readonly { killedAt: number; backAt: number }[]): boolean {
  return outages.some((outage) => at >= outage.killedAt - KILL_COMMIT_WINDOW_S && at <= outage.backAt);
}

/**
 * Whether every write answered but not stored as answered is DynamoDB Local's own loss: only after
 * SIGKILL, only one whose answer met a kill, and at most one per kill (it runs transactions one at a
 * time). Votes are stored under a keyed hash, so only their number can be held against the votes
 * answered in a kill window. After SIGTERM nothing is excused.
 */
export function lossesExplained(losses: {
  killSignal: KillSignal;
  kills: number;
  misses: readonly CommentMiss[];
  /** Comments whose retry with their key was answered otherwise than their 201. */
  retriedDifferently: readonly CommentMiss[];
  votesMissing: number;
  votesAtKill: number;
}): boolean {
  const excused = (miss: CommentMiss) => losses.killSignal === 'SIGKILL' && miss.atKill;
  if (!losses.misses.every(excused) || !losses.retriedDifferently.every(excused)) return false;
  if (losses.votesMissing > (losses.killSignal === 'SIGKILL' ? losses.votesAtKill : 0)) return false;
  return losses.misses.length + losses.votesMissing <= losses.kills;
}
