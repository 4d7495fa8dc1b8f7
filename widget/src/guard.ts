import { type PowChallengeData, solvePow } from '../../functions/core/pow-solve';
import type { Api } from './api';

interface Guard {
  formToken: string;
  pow?: PowChallengeData;
  enforced?: { proofOfWork?: boolean; minFillSeconds?: number };
}

/**
 * The spam guards of one form (honeypot, form token and proof of work from `GET /guard`), done
 * so the reader never notices: the guard is fetched on her first focus in the form (the page
 * itself still makes one API call), the proof of work is solved while she types, and a very fast
 * submission simply waits out the minimum fill time. The honeypot is the hidden `hp` input.
 */
export function formGuard(api: Api) {
  let guard: Promise<Guard | undefined> | undefined;
  let issuedAt = 0;
  let solved: Promise<string | null> | undefined;
  const solveFresh = (data: Promise<Guard | undefined>) =>
    data
      .then((g) => (g?.pow && g.enforced?.proofOfWork !== false ? solvePow(g.pow) : null))
      .catch(() => null);
  const start = () => {
    if (guard) return;
    issuedAt = Date.now();
    guard = api<Guard>('/guard').catch(() => undefined);
    solved = solveFresh(guard);
  };
  return {
    start,
    /** `typed`: false for a one-click vote, which has no fill time to wait out. */
    fields: async (typed = true): Promise<Record<string, string>> => {
      start();
      const data = await guard;
      if (!data) return {};
      const wait = (data.enforced?.minFillSeconds ?? 0) * 1000 + 250 - (Date.now() - issuedAt);
      if (wait > 0 && typed) await new Promise((resolve) => setTimeout(resolve, wait));
      const pow = await solved;
      // A challenge is good for one submission: the next one gets a fresh one, the token stays.
      solved = solveFresh(api<Guard>('/guard').catch(() => undefined));
      return { formToken: data.formToken, ...(pow ? { pow } : {}) };
    },
  };
}
