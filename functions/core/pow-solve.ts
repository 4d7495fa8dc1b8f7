/**
 * Solves a proof-of-work challenge from GET /guard in the browser, with Web Crypto only (no
 * dependency, a few hundred bytes minified), so the widget can run it while the reader types.
 * Returns the value for the `pow` field: base64(JSON {algorithm, challenge, number, salt, signature}),
 * the ALTCHA v1 payload that core/pow.ts verifies. Also runs in Node 20 (global crypto).
 */
export interface PowChallengeData {
  algorithm: string;
  challenge: string;
  maxnumber?: number;
  salt: string;
  signature: string;
}

/** Hashes this many candidates at once: Web Crypto runs them off the main thread. */
const BATCH = 64;

export async function solvePow(
  data: PowChallengeData,
  options: { signal?: AbortSignal; maxNumber?: number } = {},
): Promise<string | null> {
  const target = data.challenge.toLowerCase();
  const max = options.maxNumber ?? data.maxnumber ?? 1_000_000;
  const encoder = new TextEncoder();
  for (let start = 0; start <= max; start += BATCH) {
    if (options.signal?.aborted) return null;
    const numbers = Array.from({ length: Math.min(BATCH, max - start + 1) }, (_, i) => start + i);
    const digests = await Promise.all(
      numbers.map((n) => crypto.subtle.digest('SHA-256', encoder.encode(data.salt + n))),
    );
    const found = digests.findIndex((digest) => toHex(digest) === target);
    if (found >= 0) {
      const payload = {
        algorithm: data.algorithm,
        challenge: data.challenge,
        number: numbers[found],
        salt: data.salt,
        signature: data.signature,
      };
      return btoa(JSON.stringify(payload));
    }
  }
  return null;
}

function toHex(buffer: ArrayBuffer): string {
  let hex = '';
  for (const byte of new Uint8Array(buffer)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
