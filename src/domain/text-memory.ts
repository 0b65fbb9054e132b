/**
 * A string-keyed map bounded to `maxEntries` entries and `maxChars` characters (as `chars`
 * counts them), forgetting the oldest first.
 */
export class TextMemory<V> {
  readonly #map = new Map<string, V>();
  #chars = 0;

  constructor(
    private readonly chars: (key: string, value: V) => number,
    private readonly maxEntries = 10_000,
    private readonly maxChars = 8_000_000,
  ) {}

  has(key: string): boolean {
    return this.#map.has(key);
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: V): void {
    const old = this.#map.get(key);
    if (old !== undefined || this.#map.has(key)) this.#chars -= this.chars(key, old as V);
    this.#map.set(key, value);
    this.#chars += this.chars(key, value);
    while (this.#map.size > this.maxEntries || (this.#chars > this.maxChars && this.#map.size > 1)) {
      const [oldest, v] = this.#map.entries().next().value!;
      this.#map.delete(oldest);
      this.#chars -= this.chars(oldest, v);
    }
  }
}
