/**
 * The vote route with an address for the written mail, under generated hostile bodies: every
 * answer is 200 or a 4xx that names a field of the body, never a 5xx; a refused vote stores
 * neither a vote nor an address, and an address is kept (sealed, never in clear) only with the tick.
 */
import '../support/error-log';
import fc from 'fast-check';
import { handler as wishes } from '../../functions/handlers/wishes';
import { call } from '../support/stack';
import { nastyValue, RUNS } from './requests';
import { propertyStack } from './setup';

let context: Awaited<ReturnType<typeof propertyStack>>;
beforeAll(async () => {
  context = await propertyStack();
}, 120_000);

const FIELDS = ['voterId', 'pow', 'email', 'notifyWhenWritten', 'body'];
const addresses = fc.oneof(
  fc.emailAddress(),
  fc.string(),
  fc.constantFrom(
    'a@b',
    '@example.org',
    'x'.repeat(300),
    'mit leer@example.org',
    'ok@example.org\r\nBcc: x@y',
  ),
  nastyValue,
);
const ticks = fc.oneof(fc.boolean(), nastyValue);

const votes = async () =>
  (await context.stack.dump()).filter(
    (item) => item.kind === 'vote' && item.wishId === context.fixtures.wishId,
  );
const withAddress = (items: Record<string, unknown>[]) =>
  items.filter((item) => typeof item.emailEnc === 'string' && item.notifyWhenWritten === true).length;

it('answers 200 or a 4xx naming a field, stores nothing when refused, and keeps an address only sealed', async () => {
  let voters = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.record(
        { email: addresses, notifyWhenWritten: ticks, extra: fc.option(fc.string(), { nil: undefined }) },
        { requiredKeys: [] },
      ),
      async ({ email, notifyWhenWritten, extra }) => {
        const voterId = `propertyvoter${String(++voters).padStart(6, '0')}`;
        const body = {
          voterId,
          ...(email === undefined ? {} : { email }),
          ...(notifyWhenWritten === undefined ? {} : { notifyWhenWritten }),
          ...(extra === undefined ? {} : { [`x${extra}`]: 1 }),
        };
        const before = await votes();
        const response = await call(wishes, {
          method: 'POST',
          path: `/wishes/${context.fixtures.wishId}/vote`,
          json: body,
          sourceIp: `203.0.113.${voters % 250}`,
        });
        expect(response.status).toBeLessThan(500);
        const after = await votes();
        if (typeof email === 'string' && email.length > 3) expect(JSON.stringify(after)).not.toContain(email);
        const counted = response.status === 200 ? 1 : 0;
        // A vote and, only with the tick, its sealed address; nothing at all when refused.
        expect(after.length - before.length).toBe(counted);
        expect(withAddress(after) - withAddress(before)).toBe(notifyWhenWritten === true ? counted : 0);
        if (response.status !== 200) {
          expect(response.status).toBeGreaterThanOrEqual(400);
          const fields = (response.body.error?.fields ?? []) as { field: string }[];
          for (const { field } of fields) expect(FIELDS.includes(field) || field.startsWith('x')).toBe(true);
        }
      },
    ),
    { numRuns: RUNS },
  );
}, 300_000);
