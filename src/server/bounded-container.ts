// The live demo of the flawed MySessionInterface keeps its flaws, but not its unbounded memory: the container
// (the tutorial's class-level dict) holds at most so many sessions and so many bytes, and drops the oldest first.
// Pure TypeScript (no node: imports), so a page can show the same numbers.

/** The caps of the live `/live/custom/` demo (and `serve --interface custom`). */
export const CUSTOM_DEMO_LIMITS = {
  /** Sessions held at once. */
  maxSessions: 10_000,
  /** UTF-16 code units of ids and JSON values held at once (about 16 MB of text). */
  maxChars: 16 * 1024 * 1024,
} as const;

/**
 * A `Map` of session id → JSON text that never holds more than `maxSessions` entries or `maxChars` characters
 * (ids and values together): adding past either cap first drops the oldest entries, in insertion order.
 */
export class BoundedContainer extends Map<string, string> {
  readonly maxSessions: number;
  readonly maxChars: number;
  /** Entries dropped to make room since the container was made. */
  dropped = 0;
  private chars = 0;

  constructor(limits: { maxSessions?: number; maxChars?: number } = {}) {
    super();
    this.maxSessions = limits.maxSessions ?? CUSTOM_DEMO_LIMITS.maxSessions;
    this.maxChars = limits.maxChars ?? CUSTOM_DEMO_LIMITS.maxChars;
  }

  /** Characters held now. */
  get heldChars(): number {
    return this.chars;
  }

  override set(key: string, value: string): this {
    // The Map constructor calls set before the fields exist; nothing is stored then.
    if (this.maxSessions === undefined) return super.set(key, value);
    const old = super.get(key);
    if (old !== undefined) {
      super.delete(key);
      this.chars -= key.length + old.length;
    }
    const cost = key.length + value.length;
    if (cost > this.maxChars) return this; // a value larger than the whole container is not kept at all
    for (const [k, v] of super.entries()) {
      if (this.size < this.maxSessions && this.chars + cost <= this.maxChars) break;
      super.delete(k);
      this.chars -= k.length + v.length;
      this.dropped += 1;
    }
    this.chars += cost;
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    const old = super.get(key);
    if (old === undefined) return false;
    this.chars -= key.length + old.length;
    return super.delete(key);
  }

  override clear(): void {
    this.chars = 0;
    super.clear();
  }
}
