/**
 * Use cases refuse with domain errors; the API maps them to the statuses and codes clients have
 * always seen, and the author's command line says them in plain words.
 */
import { asHttpError, HttpError } from '../../functions/http/errors';
import { DomainError, describeDomainError, invalidField } from '../../functions/usecases/errors';

describe('a domain error', () => {
  it.each([
    [new DomainError('spam_suspected'), 400, 'spam_suspected', {}],
    [new DomainError('rate_limited', [], 120), 429, 'rate_limited', { 'retry-after': '120' }],
    [new DomainError('wish_not_found'), 404, 'wish_not_found', {}],
    [new DomainError('already_voted'), 409, 'already_voted', {}],
    [new DomainError('not_voted'), 409, 'not_voted', {}],
    [new DomainError('busy', [], 1), 503, 'service_unavailable', { 'retry-after': '1' }],
    [invalidField('parentId', 'parent_not_found'), 400, 'invalid_input', {}],
  ])('%s becomes HTTP %i %s', (error, status, code, headers) => {
    const http = asHttpError(error);
    expect(http).toBeInstanceOf(HttpError);
    expect(http).toMatchObject({ status, code, headers, fields: error.fields });
  });

  it('leaves HTTP errors as they are and other errors to the endpoint (503 or 500)', () => {
    const http = new HttpError(415, 'unsupported_media_type');
    expect(asHttpError(http)).toBe(http);
    expect(asHttpError(new Error('boom'))).toBeUndefined();
  });

  it('reads as plain words at the terminal, in German and English', () => {
    expect(describeDomainError(invalidField('pageUrl', 'origin_not_allowed'), 'de')).toBe(
      'Bitte prüfe die markierten Felder.\n  pageUrl: Diese Adresse gehört nicht zum Blog.',
    );
    expect(describeDomainError(new DomainError('rate_limited', [], 30), 'en')).toBe(
      'Too many requests. Please try again a little later. (Try again after 30 s.)',
    );
    expect(describeDomainError(new DomainError('busy'), 'de')).toBe(
      'Der Dienst ist gerade überlastet. Bitte versuche es gleich noch einmal.',
    );
  });
});
