/**
 * The checks a passkey answer passes before anything is looked up, and the relying party the desk
 * derives from its own address (never an IP address, which WebAuthn refuses as an RP ID).
 */
import {
  parseLoginAnswer,
  parseRegistrationAnswer,
  relyingParty,
} from '../../functions/core/desk/passkey-response';
import { SoftAuthenticator } from '../support/soft-authenticator';

const CHALLENGE = 'c'.repeat(43);
const authenticator = new SoftAuthenticator('localhost', 'http://localhost:3000');

describe('relyingParty', () => {
  it('is the desk host and origin; on an IP address passkeys are not offered', () => {
    expect(relyingParty('https://abc.execute-api.eu-central-1.amazonaws.com/desk')).toEqual({
      rpID: 'abc.execute-api.eu-central-1.amazonaws.com',
      origin: 'https://abc.execute-api.eu-central-1.amazonaws.com',
      possible: true,
    });
    expect(relyingParty('http://localhost:3000/desk')).toMatchObject({
      rpID: 'localhost',
      origin: 'http://localhost:3000',
      possible: true,
    });
    expect(relyingParty('http://127.0.0.1:3000/desk').possible).toBe(false);
    expect(relyingParty('http://[::1]:3000/desk').possible).toBe(false);
  });
});

describe('parsing an answer', () => {
  it('rebuilds a registration answer from its checked fields only', () => {
    const answer = authenticator.register({ challenge: CHALLENGE, user: { id: 'AAAA' } });
    const parsed = parseRegistrationAnswer(
      JSON.stringify({
        ...answer,
        extra: 'x',
        response: { ...answer.response, transports: ['internal', 'telepathy'] },
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.clientData).toEqual({ challenge: CHALLENGE, origin: 'http://localhost:3000' });
    expect(parsed.answer.response.transports).toEqual(['internal']);
    expect(Object.keys(parsed.answer).sort()).toEqual([
      'clientExtensionResults',
      'id',
      'rawId',
      'response',
      'type',
    ]);
  });

  it('names the field that is wrong', () => {
    const registered = authenticator.register({ challenge: CHALLENGE, user: { id: 'AAAA' } });
    const login = authenticator.assert({ challenge: CHALLENGE });
    const cases: [string, ReturnType<typeof parseLoginAnswer>, string, string][] = [
      ['empty', parseLoginAnswer(''), 'credential', 'required'],
      ['not JSON', parseLoginAnswer('{'), 'credential', 'invalid_json'],
      ['an array', parseLoginAnswer('[]'), 'credential', 'wrong_type'],
      ['too long', parseLoginAnswer(`"${'a'.repeat(8001)}"`), 'credential', 'too_long'],
      [
        'rawId differs',
        parseLoginAnswer(JSON.stringify({ ...login, rawId: 'AAAA' })),
        'credential.rawId',
        'mismatch',
      ],
      [
        'create answer at sign-in',
        parseLoginAnswer(JSON.stringify(registered)),
        'credential.response.clientDataJSON.type',
        'wrong_ceremony',
      ],
      [
        'no user handle',
        parseLoginAnswer(
          JSON.stringify({ ...login, response: { ...login.response, userHandle: undefined } }),
        ),
        'credential.response.userHandle',
        'required',
      ],
      [
        'signature not base64url',
        parseLoginAnswer(JSON.stringify({ ...login, response: { ...login.response, signature: 'a+b/' } })),
        'credential.response.signature',
        'invalid_base64url',
      ],
    ];
    for (const [name, result, field, code] of cases)
      expect([name, result]).toEqual([name, { ok: false, field, code }]);
  });
});
