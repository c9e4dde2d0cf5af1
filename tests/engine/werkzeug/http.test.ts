// Werkzeug's Cookie / Set-Cookie helpers against what the real ones answered: tests/vectors/werkzeug_cookies.json,
// written by tests/peers/make_werkzeug_cookie_vectors.py under both judges (Werkzeug 2.2.2 and 3.1.3), and
// checked against both judges live by tests/conformance/werkzeug_cookies_live.test.ts. The engine follows 3.1;
// where 2.2 answered differently, the difference is listed by name below and asserted, never ignored.
import { describe, expect, it } from 'vitest';
import { dumpCookie, parseCookie, quoteCookieValue, unquoteCookieValue, type CookieOptions } from '../../../src/engine/werkzeug/http.ts';
import vectors from '../../vectors/werkzeug_cookies.json' with { type: 'json' };

type Pairs = [string, string][];
type PyErr = { error: { cls: string; msg: string } };
type Dumped = { header: string; warnings: string[] } | PyErr;
interface DumpCase {
  key: string;
  value?: string;
  kwargs?: Record<string, unknown>;
}

const request = vectors.request as { parse: string[]; dump: DumpCase[] };
const answers = {
  'flask-2.2': vectors['flask-2.2'] as unknown as { werkzeug: string; parse: (Pairs | PyErr)[]; dump: Dumped[] },
  'flask-3.1': vectors['flask-3.1'] as unknown as { werkzeug: string; parse: (Pairs | PyErr)[]; dump: Dumped[] },
};

/** Werkzeug's keyword arguments as the engine's options. */
function options(kwargs: Record<string, unknown> = {}): CookieOptions {
  const names: Record<string, keyof CookieOptions> = { max_age: 'maxAge', max_size: 'maxSize', sync_expires: 'syncExpires' };
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [names[k] ?? k, v])) as CookieOptions;
}

function engineDump(c: DumpCase): Dumped {
  try {
    const d = dumpCookie(c.key, c.value ?? '', options(c.kwargs), () => 1700000000);
    return { header: d.header, warnings: d.warning ? [d.warning] : [] };
  } catch (e) {
    return { error: { cls: (e as Error).name === 'Error' ? 'ValueError' : (e as Error).name, msg: (e as Error).message } };
  }
}

const label = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…(${s.length})` : s);

it('the vectors come from Werkzeug 2.2.2 and 3.1.3', () => {
  expect([answers['flask-2.2'].werkzeug, answers['flask-3.1'].werkzeug]).toEqual(['2.2.2', '3.1.3']);
  expect(answers['flask-2.2'].parse).toHaveLength(request.parse.length);
  expect(answers['flask-3.1'].dump).toHaveLength(request.dump.length);
});

describe('parseCookie: what Request.cookies holds, first value of each name', () => {
  request.parse.forEach((header, i) => {
    it(`Werkzeug 3.1 ${label(header)}`, () => {
      expect([...parseCookie(header)]).toEqual(answers['flask-3.1'].parse[i]);
    });
    it(`Werkzeug 2.2 (werkzeug22 option) ${label(header)}`, () => {
      expect([...parseCookie(header, { werkzeug22: true })]).toEqual(answers['flask-2.2'].parse[i]);
    });
  });

  it('keeps unquoted values holding a space or a quote, in both versions', () => {
    // The engine once dropped them; both Werkzeug versions keep them as they are.
    const i = request.parse.indexOf('q="a\\073b\\303\\251"; bad=a b; ok=x');
    expect(answers['flask-3.1'].parse[i]).toEqual([['q', 'a;bé'], ['bad', 'a b'], ['ok', 'x']]);
    expect(answers['flask-2.2'].parse[i]).toEqual(answers['flask-3.1'].parse[i]);
    expect([...parseCookie(request.parse[i]!)]).toEqual(answers['flask-3.1'].parse[i]);
  });

  // Where Werkzeug 2.2 read a header differently: it decoded every value (and name) from latin-1 bytes as UTF-8,
  // stripped ASCII space only, and stopped at the first part its pattern could not match (a newline).
  const DIFFERS_IN_22 = [
    'x=Ã©; y=ÿ',
    'x=\u00a0v\u00a0; y=\x85w\x85',
    'x="Ã©"; y="ÿ"',
    'a=b\nc; d=e',
    'x="a\\\nb"; y=1',
    'été=1; Ã©tÃ©=2',
    'x=☃; y=🍪',
    'x=\x1cv\x1f; y=\ufeffw',
  ];
  it('2.2 differs from 3.1 on exactly the known headers (latin-1 → UTF-8 decoding, ASCII strip, stop at a newline)', () => {
    const differs = request.parse.filter((_, i) => JSON.stringify(answers['flask-2.2'].parse[i]) !== JSON.stringify(answers['flask-3.1'].parse[i]));
    expect(differs).toEqual(DIFFERS_IN_22);
  });

  it('gives an empty map for no header', () => {
    expect(parseCookie(null).size).toBe(0);
    expect(parseCookie(undefined).size).toBe(0);
  });
});

describe('dumpCookie: the Set-Cookie header and the oversize warning', () => {
  request.dump.forEach((c, i) => {
    it(`Werkzeug 3.1 ${label(c.key)}=${label(c.value ?? '')} ${JSON.stringify(c.kwargs ?? {})}`, () => {
      expect(engineDump(c)).toEqual(answers['flask-3.1'].dump[i]);
    });
  });

  // Where Werkzeug 2.2 wrote something else. The engine follows 3.1 here; these are version differences.
  const DIFFERS_IN_22: [string, (c: DumpCase) => boolean][] = [
    ['2.2 quoted 0x1a-0x1f too', (c) => c.value === '\x1a'],
    ['2.2 wrote the domain as given (no leading-dot strip) and refused names without a dot', (c) => typeof c.kwargs?.domain === 'string' && /^[\x00-\x7f]*$/.test(c.kwargs.domain as string) && c.kwargs.domain !== 'example.com'],
    ['2.2 left ; unescaped in the path', (c) => typeof c.kwargs?.path === 'string' && (c.kwargs.path as string).includes(';')],
    ['2.2 counted the raw value in UTF-8 bytes, 3.1 counts the quoted value', (c) => !!c.kwargs?.max_size && /[^A-Za-z0-9_!#$%&'()*+\-./:<=>?@[\]^`{|}~]/.test(c.value ?? '')],
    ['2.2 had no partitioned argument', (c) => 'partitioned' in (c.kwargs ?? {})],
    ['2.2 wrote a flag for any truthy value, 3.1 writes Name=value for a non-bool', (c) => typeof c.kwargs?.httponly !== 'undefined' && typeof c.kwargs.httponly !== 'boolean'],
  ];
  it('2.2 differs from 3.1 only on the known cases', () => {
    const unexplained: string[] = [];
    const explained = new Set<string>();
    request.dump.forEach((c, i) => {
      if (JSON.stringify(answers['flask-2.2'].dump[i]) === JSON.stringify(answers['flask-3.1'].dump[i])) return;
      const why = DIFFERS_IN_22.find(([, test]) => test(c));
      if (why) explained.add(why[0]);
      else unexplained.push(`${JSON.stringify(c).slice(0, 120)}: 2.2 ${JSON.stringify(answers['flask-2.2'].dump[i]).slice(0, 160)}`);
    });
    expect(unexplained).toEqual([]);
    expect([...explained].sort()).toEqual(DIFFERS_IN_22.map(([why]) => why).sort());
  });

  it('writes Domain= for a domain of "" or "." (Werkzeug 3.1)', () => {
    for (const domain of ['', '.']) {
      const i = request.dump.findIndex((c) => c.kwargs?.domain === domain);
      expect(answers['flask-3.1'].dump[i]).toEqual({ header: 'k=v; Domain=; Path=/', warnings: [] });
      expect(engineDump(request.dump[i]!)).toEqual(answers['flask-3.1'].dump[i]);
    }
  });

  it('warns from the same size on: one character over max_size', () => {
    const sizes = request.dump.filter((c) => c.key === 'session' && (c.value ?? '').length < 4100 && (c.value ?? '').startsWith('xxx'));
    expect(sizes.length).toBe(3);
    for (const c of sizes) {
      const i = request.dump.indexOf(c);
      const theirs = answers['flask-3.1'].dump[i] as { header: string; warnings: string[] };
      expect(theirs.warnings.length).toBe(theirs.header.length > 4093 ? 1 : 0);
      expect(engineDump(c)).toEqual(theirs);
    }
    expect(sizes.map((c) => (answers['flask-3.1'].dump[request.dump.indexOf(c)] as { warnings: string[] }).warnings.length)).toEqual([0, 0, 1]);
  });
});

describe('quoteCookieValue / unquoteCookieValue', () => {
  it('quote as Werkzeug 3.1 quotes the value part of each Set-Cookie it wrote, and unquote back', () => {
    request.dump.forEach((c, i) => {
      const theirs = answers['flask-3.1'].dump[i]!;
      if ('error' in theirs || c.key !== 'k') return;
      const written = /^k=((?:"(?:[^\\"]|\\.)*")|[^;]*)/.exec(theirs.header)![1]!;
      expect(quoteCookieValue(c.value ?? ''), JSON.stringify(c.value)).toBe(written);
      expect(unquoteCookieValue(written), JSON.stringify(c.value)).toBe(c.value ?? '');
    });
  });
});
