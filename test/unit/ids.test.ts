import { decodeTime, isValid } from 'ulid';
import { newId } from '../../functions/core/ids';

describe('newId', () => {
  it('makes ULIDs whose time part is the creation time', () => {
    const id = newId(Date.UTC(2026, 10, 26, 12, 0, 0, 5));
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isValid(id)).toBe(true);
    expect(decodeTime(id)).toBe(Date.UTC(2026, 10, 26, 12, 0, 0, 5));
    expect(decodeTime(newId())).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1));
  });

  it('sorts by creation, also within one millisecond and when the clock steps back', () => {
    const time = Date.UTC(2030, 0, 1);
    const ids = [newId(time), newId(time), newId(time), newId(time - 1_000), newId(time + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(decodeTime(ids[3]!)).toBe(time); // a step back keeps the last time
  });

  it('does not repeat its random part across milliseconds', () => {
    const randoms = new Set(Array.from({ length: 200 }, (_, i) => newId(Date.UTC(2031, 0, 1) + i).slice(10)));
    expect(randoms.size).toBe(200);
  });
});
