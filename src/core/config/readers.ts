import { redactSecrets } from '../anthropic/redact';
import { configMessages } from './messages';

/**
 * Typed readers over raw setting values. Each returns a safe value and records
 * a problem when the raw value was unusable. `undefined` and `null` mean
 * "not set" and yield the default silently.
 */
export class SettingsReader {
  private readonly found: string[] = [];

  constructor(private readonly raw: (key: string) => unknown) {}

  /** Problems recorded so far, secrets redacted. */
  get problems(): string[] {
    return [...this.found];
  }

  report(problem: string): void {
    // A user may paste a key into the wrong setting; problems end up in logs.
    this.found.push(redactSecrets(problem));
  }

  /** The raw value, with a throwing getter treated as "not set". */
  value(key: string, fallbackForReport: unknown): unknown {
    try {
      return this.raw(key);
    } catch {
      this.report(configMessages.unreadable(key, fallbackForReport));
      return undefined;
    }
  }

  int(key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.value(key, fallback);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || (v <= 0 && min > 0)) {
      this.report(configMessages.notInteger(key, min, fallback));
      return fallback;
    }
    if (v < min) {
      this.report(configMessages.clampedMin(key, v, min));
      return min;
    }
    if (v > max) {
      this.report(configMessages.clampedMax(key, v, max));
      return max;
    }
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T;
  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: null, nullable: true): T | null;
  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | null, nullable = false): T | null {
    const v = this.value(key, fallback);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    this.report(configMessages.notOneOf(key, nullable ? [...allowed, null] : allowed, fallback));
    return fallback;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.value(key, fallback);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    this.report(configMessages.notBoolean(key, fallback));
    return fallback;
  }

  string(key: string, fallback: string): string {
    const v = this.value(key, fallback);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string') return v;
    this.report(configMessages.notString(key, fallback));
    return fallback;
  }

  /** A list of non-blank strings; bad entries are dropped one by one. */
  stringList(key: string, options: { acceptSingle?: boolean } = {}): string[] {
    const v = this.value(key, []);
    if (v === undefined || v === null) return [];
    if (options.acceptSingle && typeof v === 'string') return v.trim() === '' ? [] : [v];
    if (!Array.isArray(v)) {
      this.report(configMessages.notStringList(key));
      return [];
    }
    const out: string[] = [];
    for (const entry of v as unknown[]) {
      if (typeof entry === 'string' && entry.trim() !== '') out.push(entry);
      else if (!(options.acceptSingle && entry === '')) this.report(configMessages.droppedEntry(key, entry));
    }
    return out;
  }
}
