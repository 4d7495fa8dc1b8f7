import '../support/error-log';
/** The pure guard functions against generated input. */
import fc from 'fast-check';
import {
  checkFormToken,
  contentHoldReasons,
  countLinks,
  findSpamWords,
  isAllCaps,
  issueFormToken,
} from '../../functions/core/guards';
import { LIMITS } from '../../functions/core/limits';
import { createPowChallenge, verifyPow } from '../../functions/core/pow';
import { solvePow } from '../../functions/core/pow-solve';
import { SPAM_WORDS } from '../../functions/core/spam-words';
import { rateWindow } from '../../functions/store/rate-limits';

const formKey = Buffer.alloc(32, 7);
const time = fc
  .integer({ min: 1_600_000_000, max: 2_500_000_000 })
  .map((seconds) => new Date(seconds * 1000));

describe('form token', () => {
  it('is accepted exactly between the minimum fill time and the maximum age', () => {
    fc.assert(
      fc.property(
        time,
        fc.integer({ min: -100, max: LIMITS.guards.formTokenMaxAgeSeconds + 100 }),
        (issued, age) => {
          const token = issueFormToken(formKey, issued);
          const verdict = checkFormToken(token, formKey, new Date(issued.getTime() + age * 1000));
          if (age < LIMITS.guards.minFillSeconds) return verdict === 'too_fast';
          if (age > LIMITS.guards.formTokenMaxAgeSeconds) return verdict === 'expired';
          return verdict === 'ok';
        },
      ),
    );
  });

  it('is never accepted once any character is changed, or under another key', () => {
    fc.assert(
      fc.property(
        time,
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }),
        (issued, position, replacement) => {
          const token = issueFormToken(formKey, issued);
          const index = position % token.length;
          fc.pre(token[index] !== replacement);
          const changed = token.slice(0, index) + replacement + token.slice(index + 1);
          const later = new Date(issued.getTime() + 60_000);
          return (
            checkFormToken(changed, formKey, later) !== 'ok' &&
            checkFormToken(token, Buffer.alloc(32, 8), later) === 'forged'
          );
        },
      ),
    );
  });

  it('refuses a second spelling of its signature (the last character has two spare bits)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const issued = new Date('2049-03-22T03:29:08.000Z');
    const token = issueFormToken(formKey, issued);
    const sibling = alphabet[alphabet.indexOf(token.at(-1)!) ^ 1]!;
    const respelled = token.slice(0, -1) + sibling;
    // The same bytes: a lenient decoder would take it for the real token.
    expect(Buffer.from(respelled.split('.').at(-1)!, 'base64url')).toEqual(
      Buffer.from(token.split('.').at(-1)!, 'base64url'),
    );
    const later = new Date(issued.getTime() + 60_000);
    expect(checkFormToken(token, formKey, later)).toBe('ok');
    expect(checkFormToken(respelled, formKey, later)).toBe('forged');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (token) => typeof checkFormToken(token, formKey, new Date()) === 'string'),
    );
  });
});

describe('proof of work', () => {
  it('verifies what the browser solver finds, and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), async (offset) => {
        const now = new Date();
        const challenge = await createPowChallenge('k'.repeat(64), 1000, now);
        const solution = (await solvePow(challenge))!;
        const solved = await verifyPow(solution, 'k'.repeat(64), now);
        const payload = JSON.parse(atob(solution));
        const wrong = btoa(JSON.stringify({ ...payload, number: payload.number + offset }));
        const refused = await verifyPow(wrong, 'k'.repeat(64), now);
        return solved.ok && !refused.ok;
      }),
      { numRuns: 15 },
    );
  });

  it('never throws on arbitrary submissions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((value) => btoa(JSON.stringify(value) ?? '')),
        ),
        async (pow) => {
          const verdict = await verifyPow(pow, 'k'.repeat(64), new Date());
          return verdict.ok === false;
        },
      ),
    );
  });
});

describe('content heuristics', () => {
  const words = fc.array(fc.stringMatching(/^[a-zäöüß]{1,12}$/), { minLength: 1, maxLength: 30 });

  it('never throws and never holds plain lower-case prose without links', () => {
    fc.assert(
      fc.property(words, (parts) => {
        const text = parts.join(' ');
        fc.pre(findSpamWords(text).length === 0);
        return contentHoldReasons(text).length === 0;
      }),
    );
  });

  it('holds text with more links than allowed', () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 0, max: 8 }), (parts, links) => {
        const text = [
          ...parts,
          ...Array.from({ length: links }, (_, i) => `https://site${i}.example/x`),
        ].join(' ');
        return countLinks(text) === links && contentHoldReasons(text).includes('many_links') === links > 2;
      }),
    );
  });

  it('finds every spam word standing alone, in any case, but not inside another word', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPAM_WORDS), words, (word, parts) => {
        const alone = `${parts.join(' ')} ${word.toUpperCase()}!`;
        const inside = `${parts.join(' ')} x${word.replaceAll(' ', '')}x`;
        fc.pre(findSpamWords(parts.join(' ')).length === 0);
        return findSpamWords(alone).length > 0 && findSpamWords(inside).length === 0;
      }),
    );
  });

  it('calls shouting only what is long enough and nearly all capitals', () => {
    fc.assert(
      fc.property(words, (parts) => {
        const text = parts.join(' ');
        // Counted after upper-casing: ß becomes SS.
        const letters = text.toUpperCase().replace(/[^\p{L}]/gu, '').length;
        return (
          !isAllCaps(text) && isAllCaps(text.toUpperCase()) === letters >= LIMITS.guards.allCapsMinLetters
        );
      }),
    );
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => Array.isArray(contentHoldReasons(text, [text]))),
    );
  });
});

describe('rate windows', () => {
  it('put every moment in exactly one window and say how long it lasts', () => {
    fc.assert(
      fc.property(time, fc.integer({ min: 1, max: 86_400 }), (now, length) => {
        const window = rateWindow(now, length);
        const seconds = Math.floor(now.getTime() / 1000);
        return (
          window.window * length <= seconds &&
          seconds < (window.window + 1) * length &&
          window.secondsLeft >= 1 &&
          window.secondsLeft <= length &&
          seconds + window.secondsLeft === (window.window + 1) * length &&
          window.expiresAt > seconds + window.secondsLeft - 1
        );
      }),
    );
  });
});
