/**
 * The bytes of a base64url text, only if the text is their one canonical spelling. The last
 * character of most lengths has spare bits, so without this check a second spelling of the same
 * signature would pass as another token (a second, unused link; a changed form token).
 */
export function canonicalBase64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
