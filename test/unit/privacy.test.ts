import {
  clientIpHash,
  decryptEmail,
  deriveKeys,
  emailLookupHash,
  encryptEmail,
} from '../../functions/core/privacy';

const keys = deriveKeys('a-master-secret-of-at-least-32-characters!!');
const otherKeys = deriveKeys('another-master-secret-with-32-characters-too');

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
    expect(emailLookupHash(' Erika@Example.DE ', keys)).toBe(emailLookupHash('erika@example.de', keys));
  });

  it('differ between installations (keyed, not a plain hash)', () => {
    expect(emailLookupHash('erika@example.de', keys)).not.toBe(
      emailLookupHash('erika@example.de', otherKeys),
    );
  });

  it('cannot link one IP across days', () => {
    const monday = clientIpHash('203.0.113.7', keys, new Date('2026-11-23T10:00:00Z'));
    expect(clientIpHash('203.0.113.7', keys, new Date('2026-11-23T23:00:00Z'))).toBe(monday);
    expect(clientIpHash('203.0.113.7', keys, new Date('2026-11-24T10:00:00Z'))).not.toBe(monday);
  });

  it('refuses a master secret that is too short', () => {
    expect(() => deriveKeys('short')).toThrow(/32/);
  });
});
