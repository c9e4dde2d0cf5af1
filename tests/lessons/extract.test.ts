// The build-time helper that cuts declarations out of engine files for the lessons.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extract, extractAll } from '../../src/components/lesson/extract.ts';
import { describeEvent, stepName } from '../../src/lessons/describe.ts';
import { lifecycle } from '../../src/lessons/inside-the-cookie.ts';
import { expiry, tamper } from '../../src/lessons/attacks.ts';
import { noSecretKey } from '../../src/lessons/session-dict.ts';

const SRC = [
  '// header',
  'import { x } from "./x.ts";',
  '',
  '/** Doc for quoted. */',
  'export function quoted(v: string): string {',
  '  if (/[ "{]/.test(v)) return `a ${v.replace(/}/g, "")} { b`;',
  "  const s = '}' + \"{\";",
  '  /* a } in a comment */',
  '  // and { here',
  '  return s;',
  '}',
  '',
  'export const TABLE: Record<string, number> = {',
  '  a: 1,',
  '};',
  '',
  'export abstract class Base {',
  '  /** Abstract. */',
  '  abstract open(app: App): Thing | null;',
  '  /** Concrete. */',
  '  close(options: { force?: boolean } = {}): void {',
  '    if (options.force) return;',
  '  }',
  '}',
  '',
  'export class Derived extends Base {',
  '  open(app: App): Thing | null {',
  '    return null;',
  '  }',
  '}',
].join('\n');

describe('extract', () => {
  it('cuts a function whose body holds regexes, templates and strings with braces', () => {
    const out = extract(SRC, 'quoted');
    expect(out.startsWith('/** Doc for quoted. */\nexport function quoted(')).toBe(true);
    expect(out.endsWith('  return s;\n}')).toBe(true);
  });

  it('cuts a const with its trailing semicolon', () => {
    expect(extract(SRC, 'TABLE')).toBe('export const TABLE: Record<string, number> = {\n  a: 1,\n};');
  });

  it('finds members inside the named class only, abstract or concrete, and dedents them', () => {
    expect(extract(SRC, 'Base.open')).toBe('/** Abstract. */\nabstract open(app: App): Thing | null;');
    expect(extract(SRC, 'Derived.open')).toBe('open(app: App): Thing | null {\n  return null;\n}');
    expect(extract(SRC, 'Base.close', { comments: false })).toBe('close(options: { force?: boolean } = {}): void {\n  if (options.force) return;\n}');
  });

  it('joins several declarations and throws on a missing one, so a renamed engine function breaks the build', () => {
    expect(extractAll(SRC, ['TABLE', 'Derived.open'], { comments: false }).split('\n\n')).toHaveLength(2);
    expect(() => extract(SRC, 'nope')).toThrow(/no declaration of nope/);
    expect(() => extract(SRC, 'Nope.open')).toThrow(/no class Nope/);
  });

  it('finds every declaration the lessons show in the real engine files', () => {
    const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
    const used: [string, string[]][] = [
      ['src/engine/werkzeug/http.ts', ['parseCookie', 'dumpCookie']],
      ['src/engine/flask/wrappers.ts', ['Response.setCookie', 'Response.deleteCookie']],
      ['src/engine/flask/sessions.ts', ['SessionMixin', 'SessionInterface.getExpirationTime', 'SessionInterface.shouldSetCookie', 'SecureCookieSessionInterface.openSession', 'SecureCookieSessionInterface.saveSession', 'SecureCookieSessionInterface.getSigningSerializer']],
      ['src/engine/flask/globals.ts', ['SessionProxy.run', 'SessionProxy.get']],
      ['src/engine/itsdangerous/signer.ts', ['Signer.deriveKey', 'Signer.getSignature', 'Signer.sign']],
      ['src/engine/itsdangerous/timed.ts', ['TimestampSigner.unsignWithTimestamp']],
      ['src/engine/itsdangerous/url_safe.ts', ['urlSafeDump']],
      ['src/lessons/inside-the-cookie.ts', ['peek']],
      ['src/lessons/attacks.ts', ['crack']],
      ['src/engine/python/errors.ts', ['UnsafePickleError']],
    ];
    for (const [file, names] of used) {
      const src = read(file);
      for (const name of names) {
        const code = extract(src, name, { comments: false });
        const member = name.split('.').pop()!;
        expect(code, `${file} ${name}`).toMatch(new RegExp(`\\b${member}\\b`));
        expect(code.trimEnd().endsWith('}') || code.trimEnd().endsWith(';'), `${file} ${name}`).toBe(true);
      }
    }
  });
});

describe('trace descriptions', () => {
  it('describe every event of real requests in both languages', async () => {
    const { login, whoami } = await lifecycle();
    const e = await expiry();
    const t = await tamper();
    const nk = await noSecretKey();
    const events = [...login.trace, ...whoami.trace, ...e.pastLimit.trace, ...t.exchange.trace, ...nk.exchange.trace];
    const types = new Set(events.map((ev) => ev.type));
    for (const needed of ['request-received', 'context-pushed', 'cookie-read', 'signature-checked', 'payload-decoded', 'session-opened', 'session-op', 'view-returned', 'view-error', 'after-request', 'save-decision', 'set-cookie-built', 'vary-added', 'response-sent']) {
      expect(types, needed).toContain(needed);
    }
    for (const ev of events) {
      const en = describeEvent(ev, 'en');
      const zh = describeEvent(ev, 'zh-cn');
      expect(en.length, ev.type).toBeGreaterThan(3);
      expect(zh.length, ev.type).toBeGreaterThan(3);
      expect(stepName(ev)).toMatch(/^[A-Za-z_.]+$/);
      if (ev.type !== 'set-cookie-built' && ev.type !== 'store-op') expect(zh, ev.type).not.toBe(en);
    }
    const failed = e.pastLimit.trace.find((ev) => ev.type === 'signature-checked')!;
    expect(describeEvent(failed, 'en')).toContain('SignatureExpired: Signature age 7201 > 7200 seconds');
  });
});
