import { randomBytes } from 'node:crypto';

/**
 * ULIDs: sortable by creation time, so a key ordered by id is ordered by date. Monotonic as the
 * `ulid` package's monotonicFactory: within one millisecond (or if the clock steps back) the
 * random part of the previous id is incremented, so ids made by one process never go backwards.
 * Written out here (a few lines) because the package's node build cost every Lambda 2.4 KB.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(time: number): string {
  let out = '';
  for (let i = 0, rest = time; i < 10; i++, rest = Math.floor(rest / 32)) out = CROCKFORD[rest % 32] + out;
  return out;
}

/** 80 random bits as 16 base-32 digits (a byte's low 5 bits are uniform: 256 is a multiple of 32). */
function randomDigits(): number[] {
  return [...randomBytes(16)].map((byte) => byte & 31);
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]!++;
      return next;
    }
    next[i] = 0;
  }
  throw new Error('ULID random part exhausted within one millisecond.');
}

export function newId(now: number = Date.now()): string {
  if (now <= lastTime) lastRandom = increment(lastRandom);
  else {
    lastTime = now;
    lastRandom = randomDigits();
  }
  return encodeTime(lastTime) + lastRandom.map((digit) => CROCKFORD[digit]).join('');
}
