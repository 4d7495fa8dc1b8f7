/**
 * The local server's API Gateway events: query parameters as API Gateway hands them over, repeated
 * keys joined with commas, and a key every object has treated like any other (it once read
 * Object's own `constructor` and handed the function's source on as the parameter's value).
 */
import { toApiGatewayEvent } from '../../dev/http-adapter';

const parametersOf = (rawQueryString: string) =>
  toApiGatewayEvent({ method: 'GET', path: '/comments', rawQueryString }).queryStringParameters;

describe('queryStringParameters', () => {
  it('joins repeated keys with commas, as API Gateway does', () => {
    expect(parametersOf('page=%2Fposts%2Fx&tag=a&tag=b')).toEqual({ page: '/posts/x', tag: 'a,b' });
  });

  it('keeps keys every object has as plain parameters', () => {
    const parameters = parametersOf('constructor=a&toString=b&__proto__=c&hasOwnProperty=d&constructor=e');
    expect(Object.entries(parameters ?? {})).toEqual([
      ['constructor', 'a,e'],
      ['toString', 'b'],
      ['__proto__', 'c'],
      ['hasOwnProperty', 'd'],
    ]);
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype);
  });
});
