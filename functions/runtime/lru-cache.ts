/**
 * Stands in for `mnemonist/lru-cache` in the Lambda bundles only (esbuild alias in lib/bundling.ts).
 * The DynamoDB client builds an endpoint-discovery cache from it on every cold start; mnemonist
 * brings about 7 KB (typed-array pools, iterator helpers) for what a Map does in insertion order.
 * Implements exactly the methods @aws-sdk/endpoint-cache calls: get, peek, set, has, clear.
 */
export default class LRUCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key)!;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value, without touching its recency. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Stores the value as the most recently used, evicting the least recently used past capacity. */
  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return this;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
