// Status lines as Werkzeug writes them. A leaf module with no imports, so a widget can name a status before (or
// without) loading the rest of the engine.

/**
 * The reason phrases of the status codes the course's apps answer with, as a Werkzeug `Response` writes them in
 * its status line (upper case; Werkzeug 2.2 and 3.1 agree on each). From `werkzeug.http.HTTP_STATUS_CODES`:
 * https://github.com/pallets/werkzeug/blob/3.1.3/src/werkzeug/http.py#L56
 */
const STATUS_PHRASES: Readonly<Record<number, string>> = {
  200: 'OK',
  302: 'FOUND',
  400: 'BAD REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT FOUND',
  405: 'METHOD NOT ALLOWED',
  413: 'REQUEST ENTITY TOO LARGE',
  500: 'INTERNAL SERVER ERROR',
};

/** The codes STATUS_PHRASES names (what the conformance test asks each judge about). */
export const KNOWN_STATUSES: readonly number[] = Object.keys(STATUS_PHRASES).map(Number);

/**
 * A Werkzeug response's `status` for a code, e.g. `302 FOUND`. A code outside the table reads `UNKNOWN`, which is
 * what Werkzeug writes for a code it does not know (for one it knows, add the code here).
 */
export function statusLine(status: number): string {
  return `${status} ${STATUS_PHRASES[status] ?? 'UNKNOWN'}`;
}
