import {
  clientIpHash,
  decryptEmail,
  deriveKeys,
  emailLookupHash,
  encryptEmail,
} from '../../functions/core/privacy';

const derived = deriveKeys('a-master-secret-of-at-least-32-characters!!');
const otherDerived = deriveKeys('another-master-secret-with-32-characters-too');
const keys = derived.emailSeal;
const otherKeys = otherDerived.emailSeal;
const lookup = derived.hash.emailLookup;
const otherLookup = otherDerived.hash.emailLookup;

describe('email encryption', () => {
  it('round-trips and never contains the address', () => {
    const sealed = encryptEmail('Erika@Example.de', keys);
    expect(sealed).not.toContain('Erika');
    expect(decryptEmail(sealed, keys)).toBe('Erika@Example.de');
  });

  it('uses a fresh IV: the same address seals differently each time', () => {
    expect(encryptEmail('a@b.de', keys)).not.toBe(encryptEmail('a@b.de', keys));
  });

  it('refuses a tampered envelope or a wrong key', () => {
    const sealed = encryptEmail('a@b.de', keys);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptEmail(parts.join('.'), keys)).toThrow();
    expect(() => decryptEmail(sealed, otherKeys)).toThrow();
  });
});

describe('keyed hashes', () => {
  it('match an address however it is capitalised or padded', () => {
    expect(emailLookupHash(' Erika@Example.DE ', lookup)).toBe(emailLookupHash('erika@example.de', lookup));
  });

  it('differ between installations (keyed, not a plain hash)', () => {
    expect(emailLookupHash('erika@example.de', lookup)).not.toBe(
      emailLookupHash('erika@example.de', otherLookup),
    );
  });

  it('cannot link one IP across days', () => {
    const monday = clientIpHash('203.0.113.7', derived.hash.clientIp, new Date('2026-11-23T10:00:00Z'));
    expect(clientIpHash('203.0.113.7', derived.hash.clientIp, new Date('2026-11-23T23:00:00Z'))).toBe(monday);
    expect(clientIpHash('203.0.113.7', derived.hash.clientIp, new Date('2026-11-24T10:00:00Z'))).not.toBe(
      monday,
    );
  });

  it('refuses a master secret that is too short', () => {
    expect(() => deriveKeys('short')).toThrow(/32/);
  });
});

describe('keys by purpose', () => {
  it('gives every purpose its own key', () => {
    const all = [
      derived.emailSeal,
      derived.links.author,
      derived.links.reader,
      ...Object.values(derived.hash),
    ];
    expect(new Set(all.map((key) => key.toString('hex'))).size).toBe(all.length);
  });
});
