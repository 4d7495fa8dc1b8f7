/**
 * The soak's account of a comment answered 201 but not stored as answered (bench/soak.ts): when the
 * 201 came relative to the kills, and whether it fell into the window in which DynamoDB Local can
 * lose a transaction it has just acknowledged (bench/durability.ts).
 */
import { describeMiss, inKillWindow, KILL_COMMIT_WINDOW_S, lossesExplained } from '../../bench/soak';

const outages = [
  { killedAt: 60, backAt: 76.5 },
  { killedAt: 144, backAt: 160 },
];
const comment = (acknowledgedAt: number | undefined, extra: object = {}) => ({
  marker: 'soak ab12cd34 17',
  page: '/soak/zwei',
  answer: { status: 201, id: 'c-17' },
  acknowledgedAt,
  ...extra,
});

describe('a comment answered 201 but not stored', () => {
  it('names its id, page, when its 201 came and how far from the nearest kill', () => {
    expect(describeMiss(comment(59.7), outages)).toEqual({
      marker: 'soak ab12cd34 17',
      page: '/soak/zwei',
      id: 'c-17',
      acknowledgedAt: 59.7,
      fromNearestKill: -0.3,
      resent: false,
      replayed: false,
      atKill: true,
    });
    expect(describeMiss(comment(150), outages).fromNearestKill).toBe(6);
  });

  it('is put down to a kill only when its 201 came just before one or while the database was down', () => {
    expect(describeMiss(comment(60 - KILL_COMMIT_WINDOW_S), outages).atKill).toBe(true);
    expect(describeMiss(comment(70), outages).atKill).toBe(true);
    expect(describeMiss(comment(76.5), outages).atKill).toBe(true);
    expect(describeMiss(comment(60 - KILL_COMMIT_WINDOW_S - 0.1), outages).atKill).toBe(false);
    expect(describeMiss(comment(77), outages).atKill).toBe(false);
    expect(describeMiss(comment(200), outages).atKill).toBe(false);
    expect(describeMiss(comment(undefined), outages)).toMatchObject({
      atKill: false,
      fromNearestKill: undefined,
    });
    expect(describeMiss(comment(59.9), []).atKill).toBe(false);
  });

  it('says whether the 201 came from the resend after the load and whether it was a replay', () => {
    const resent = comment(300, { resent: true, answer: { status: 201, id: 'c-17', replayed: true } });
    expect(describeMiss(resent, outages)).toMatchObject({ resent: true, replayed: true, atKill: false });
  });

  it('treats a vote’s answer by the same window', () => {
    expect(inKillWindow(143.5, outages)).toBe(true);
    expect(inKillWindow(100, outages)).toBe(false);
  });
});

describe('the verdict on comments and votes answered but not stored', () => {
  const atKill = describeMiss(comment(59.9), outages);
  const early = describeMiss(comment(40), outages);
  const clean = {
    killSignal: 'SIGKILL' as const,
    kills: 2,
    misses: [],
    retriedDifferently: [],
    votesMissing: 0,
    votesAtKill: 0,
  };

  it('holds with nothing lost, whatever the signal', () => {
    expect(lossesExplained(clean)).toBe(true);
    expect(lossesExplained({ ...clean, killSignal: 'SIGTERM' })).toBe(true);
  });

  it('puts a loss whose 201 met a SIGKILL down to DynamoDB Local, one per kill at most', () => {
    expect(lossesExplained({ ...clean, misses: [atKill] })).toBe(true);
    expect(lossesExplained({ ...clean, misses: [atKill], retriedDifferently: [atKill] })).toBe(true);
    expect(lossesExplained({ ...clean, misses: [atKill, atKill], kills: 1 })).toBe(false);
    expect(lossesExplained({ ...clean, misses: [atKill], votesMissing: 1, votesAtKill: 3, kills: 1 })).toBe(
      false,
    );
  });

  it('fails on any loss whose 201 came away from a kill, and on every loss after SIGTERM', () => {
    expect(lossesExplained({ ...clean, misses: [early] })).toBe(false);
    expect(lossesExplained({ ...clean, retriedDifferently: [early] })).toBe(false);
    expect(lossesExplained({ ...clean, killSignal: 'SIGTERM', misses: [atKill] })).toBe(false);
    expect(lossesExplained({ ...clean, killSignal: 'SIGTERM', votesMissing: 1, votesAtKill: 1 })).toBe(false);
  });

  it('holds missing votes only against the votes answered in a kill window', () => {
    expect(lossesExplained({ ...clean, votesMissing: 1, votesAtKill: 1 })).toBe(true);
    expect(lossesExplained({ ...clean, votesMissing: 1, votesAtKill: 0 })).toBe(false);
  });
});
