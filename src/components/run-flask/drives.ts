// Build time only: the lesson listings that get a "Run on real Flask" button, and the requests each one is driven
// with. The engine's answers to those requests are the ones the lesson already computes (src/lessons/), so the page
// can put the engine's exchange and the real Flask's exchange for the same request side by side.
import type { ExchangeView } from '../../lessons/exchange.ts';
import { cookieRoundTrip } from '../../lessons/cookies.ts';
import { lifecycle } from '../../lessons/inside-cookie.ts';

export interface Drive {
  /** The engine's exchanges, in order, from one test client (one cookie jar); the real Flask is sent the same requests. */
  engine(): Promise<ExchangeView[]>;
}

/** By the file's path as lessons title it (`examples/python/…`). */
export const DRIVES: Record<string, Drive> = {
  'examples/python/cookies.py': { engine: cookieRoundTrip },
  'examples/python/inside_cookie.py': {
    engine: async () => {
      const { login, whoami } = await lifecycle();
      return [login, whoami];
    },
  },
};

/** The path and query of an exchange's URL (the engine may record it absolute). */
export function pathOf(url: string): string {
  const u = new URL(url, 'http://localhost');
  return `${u.pathname}${u.search}`;
}

/**
 * The Python that runs in the page: the file as the lesson shows it, then the same requests through Flask's own
 * test client. `app` is the Flask app the file defines.
 */
export function drivenSnippet(code: string, urls: string[]): string {
  return `${code.trimEnd()}\n\n\n# Sent by the page: the same requests the engine answered, through one test client (one cookie jar).\n_page_client = app.test_client()\nfor _page_url in ${JSON.stringify(urls)}:\n    _page_client.get(_page_url)\n`;
}

/** The listings of examples/python/ a lesson's MDX source shows with <Code … title="examples/python/…">. */
export function listingsIn(mdx: string): string[] {
  return [...new Set([...mdx.matchAll(/title="(examples\/python\/[\w/.-]+\.py)"/g)].map((m) => m[1]!))];
}
