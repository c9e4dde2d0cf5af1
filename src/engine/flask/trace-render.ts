// Values in a trace are kept as they are; text for them is made only when a reader asks, and never for
// more than a bounded amount of data, so a trace costs no more than the request it describes (a 10 KB
// cookie can inflate to megabytes of session) and rendering can never change a request's outcome.
import { sessionJsonSerializer } from './json/tag.ts';
import { pyRepr } from '../python/repr.ts';
import { dictEntries, isDict, PyTuple, type PyValue } from '../python/values.ts';

/** Default budget of {@link traceJson} and {@link traceRepr}: about this many values (a long string counts by its length). */
export const TRACE_RENDER_LIMIT = 20_000;

/**
 * Whether `value` is small enough to render: walks at most `limit` units (one per value, one per 64
 * characters of a string or bytes) and stops as soon as the budget is spent, shared references included.
 */
export function withinRenderLimit(value: PyValue | undefined, limit = TRACE_RENDER_LIMIT): boolean {
  let budget = limit;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    budget -= 1;
    if (typeof v === 'string') budget -= v.length >> 6;
    else if (v instanceof Uint8Array) budget -= v.length >> 6;
    else if (Array.isArray(v)) {
      if (v.length > budget) return false;
      for (const x of v) stack.push(x);
    } else if (v instanceof PyTuple) {
      if (v.items.length > budget) return false;
      for (const x of v.items) stack.push(x);
    } else if (isDict(v)) {
      const entries = dictEntries(v);
      if (entries.length * 2 > budget) return false;
      for (const [k, x] of entries) stack.push(k, x);
    }
    if (budget < 0) return false;
  }
  return true;
}

/**
 * The compact tagged JSON of a value in the trace (what a cookie would carry, keys sorted), or null when the
 * value is over the budget or has no such form (keys of mixed types cannot be sorted, a UUID cannot be a key).
 */
export function traceJson(value: PyValue | undefined, limit = TRACE_RENDER_LIMIT): string | null {
  if (value === undefined || !withinRenderLimit(value, limit)) return null;
  try {
    return sessionJsonSerializer.dumps(value, { sortKeys: true });
  } catch {
    return null;
  }
}

/** Python's `repr` of a value in the trace, or null when the value is over the budget. */
export function traceRepr(value: PyValue | undefined, limit = TRACE_RENDER_LIMIT): string | null {
  if (value === undefined || !withinRenderLimit(value, limit)) return null;
  try {
    return pyRepr(value);
  } catch {
    return null;
  }
}
