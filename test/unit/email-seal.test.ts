import {
  emailKeyPair,
  emailPublicKeyOf,
  envelopeVersion,
  openEmailWith,
  sealEmailTo,
} from '../../functions/core/email-seal';

const seed = 'a-seed-of-the-email-key-pair-with-64-characters-0123456789abcdef';
const otherSeed = 'another-seed-of-an-email-key-pair-of-another-blog-0123456789abc';

describe('addresses sealed to a public key (HPKE, RFC 9180)', () => {
  it('seal with the public key alone, open only with the key pair of the seed', async () => {
    const sealed = await sealEmailTo('Erika@Example.de', await emailPublicKeyOf(seed));
    expect(sealed).toMatch(/^v2\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('Erika');
    expect(envelopeVersion(sealed)).toBe('v2');
    expect(await openEmailWith(sealed, await emailKeyPair(seed))).toBe('Erika@Example.de');
  });

  it('derive the same key pair from the same seed (a deploy can recompute the public key)', async () => {
    expect(await emailPublicKeyOf(seed)).toBe(await emailPublicKeyOf(seed));
    expect(await emailPublicKeyOf(seed)).not.toBe(await emailPublicKeyOf(otherSeed));
    expect(Buffer.from(await emailPublicKeyOf(seed), 'base64url')).toHaveLength(32);
  });

  it('use a fresh ephemeral key: the same address seals differently each time', async () => {
    const publicKey = await emailPublicKeyOf(seed);
    expect(await sealEmailTo('a@b.de', publicKey)).not.toBe(await sealEmailTo('a@b.de', publicKey));
  });

  it('refuse another seed, a tampered ciphertext or envelope, and a legacy v1 value', async () => {
    const sealed = await sealEmailTo('a@b.de', await emailPublicKeyOf(seed));
    await expect(openEmailWith(sealed, await emailKeyPair(otherSeed))).rejects.toThrow();
    const [version, enc, ct] = sealed.split('.') as [string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0]! ^= 1;
    const pair = await emailKeyPair(seed);
    await expect(
      openEmailWith([version, enc, flipped.toString('base64url')].join('.'), pair),
    ).rejects.toThrow();
    await expect(openEmailWith(`${sealed}.extra`, pair)).rejects.toThrow(/envelope/);
    await expect(openEmailWith(`v1.${enc}.${ct}`, pair)).rejects.toThrow(/envelope/);
  });

  it('refuse a seed shorter than the private key', async () => {
    expect(() => emailKeyPair('short')).toThrow(/32/);
  });
});
