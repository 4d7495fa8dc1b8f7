/**
 * The text a map holds under a key that came from outside (a query string, a stored code): only
 * the map's own entries, so `constructor` or `__proto__` never reach a page as a function.
 */
export function ownText<T>(texts: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(texts, key) ? texts[key] : undefined;
}
