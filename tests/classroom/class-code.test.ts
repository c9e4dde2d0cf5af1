// The class code: what the teacher's page builds reads back the same, in any script, and every damaged or forged
// code is refused with the reason (and, where there is one, the field) named.
import { describe, expect, it } from 'vitest';
import { buildClassCode, classCodeFromHash, ClassCodeError, classLink, isIsoDate, MAX_CODE_LENGTH, parseClassCode } from '../../src/classroom/class-code.ts';
import { CLASS_STRINGS, describeClassCodeError } from '../../src/classroom/i18n.ts';

const b64url = (json: unknown) => Buffer.from(typeof json === 'string' ? json : JSON.stringify(json), 'utf8').toString('base64url');

function problemOf(code: string): { problem: string; field: string } {
  try {
    parseClassCode(code);
  } catch (e) {
    expect(e).toBeInstanceOf(ClassCodeError);
    const err = e as ClassCodeError;
    // Every refusal has words in both languages.
    for (const t of Object.values(CLASS_STRINGS)) expect(describeClassCodeError(t, err)).not.toMatch(/\{\w+\}/);
    return { problem: err.problem, field: err.field };
  }
  throw new Error(`accepted: ${code}`);
}

describe('class code', () => {
  it('round-trips an assignment, Chinese name, server and token included, through a link', () => {
    const assignment = { name: '  周三下午 <b>班</b> & “quotes”  ', exercises: ['01-cookies-theme', '07-attacks-crack-forge', '01-cookies-theme'], labs: ['weak-secret'], due: '2026-12-24' };
    const code = buildClassCode(assignment);
    expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
    const link = classLink('https://class.example/zh-cn/exercises/?x=1', code);
    expect(link.startsWith('https://class.example/zh-cn/exercises/?x=1#class=')).toBe(true);
    const back = parseClassCode(classCodeFromHash(new URL(link).hash)!);
    // Trimmed name, duplicates dropped, order kept.
    expect(back).toEqual({ v: 1, name: '周三下午 <b>班</b> & “quotes”', exercises: ['01-cookies-theme', '07-attacks-crack-forge'], labs: ['weak-secret'], due: '2026-12-24' });
    const withServer = parseClassCode(buildClassCode({ ...back, server: 'http://192.168.1.20:8123', token: 'abcDEF12_-' }));
    expect(withServer.server).toBe('http://192.168.1.20:8123/');
    expect(withServer.token).toBe('abcDEF12_-');
    expect(parseClassCode(buildClassCode({ name: 'x', exercises: [], labs: ['a'], due: null })).due).toBeNull();
  });

  it('finds the code among other fragment parts, and says when there is none', () => {
    expect(classCodeFromHash('#top&class=abc')).toBe('abc');
    expect(classCodeFromHash('#class=')).toBe('');
    expect(classCodeFromHash('#ex-01-title')).toBeNull();
    expect(classCodeFromHash('')).toBeNull();
  });

  it('refuses damaged and forged codes, naming why', () => {
    const good = { v: 1 as const, name: 'A', exercises: ['01-cookies-theme'], labs: [] as string[], due: null };
    expect(problemOf('')).toEqual({ problem: 'empty', field: '' });
    expect(problemOf('x'.repeat(MAX_CODE_LENGTH + 1)).problem).toBe('too-long');
    expect(problemOf('abc$def').problem).toBe('not-base64url');
    expect(problemOf(buildClassCode(good).slice(0, -5) + 'A').problem).toMatch(/not-json|not-utf8|not-base64url/);
    expect(problemOf(Buffer.from([0xff, 0xfe, 0x80]).toString('base64url')).problem).toBe('not-utf8');
    expect(problemOf(b64url('{"v":1,')).problem).toBe('not-json');
    expect(problemOf(b64url([1, 2])).problem).toBe('not-object');
    expect(problemOf(b64url({ ...good, v: 2 }))).toEqual({ problem: 'version', field: 'v' });
    expect(problemOf(b64url({ ...good, v: '1' }))).toEqual({ problem: 'field', field: 'v' });
    expect(problemOf(b64url({ ...good, name: '   ' }))).toEqual({ problem: 'field', field: 'name' });
    expect(problemOf(b64url({ ...good, name: 'n'.repeat(121) }))).toEqual({ problem: 'field', field: 'name' });
    expect(problemOf(b64url({ ...good, exercises: ['../etc/passwd'] }))).toEqual({ problem: 'field', field: 'exercises' });
    expect(problemOf(b64url({ ...good, exercises: 'all' }))).toEqual({ problem: 'field', field: 'exercises' });
    expect(problemOf(b64url({ ...good, labs: ['<script>'] }))).toEqual({ problem: 'field', field: 'labs' });
    expect(problemOf(b64url({ ...good, exercises: [] }))).toEqual({ problem: 'field', field: 'exercises' });
    expect(problemOf(b64url({ ...good, due: '2026-02-30' }))).toEqual({ problem: 'field', field: 'due' });
    expect(problemOf(b64url({ ...good, server: 'javascript:alert(1)' }))).toEqual({ problem: 'field', field: 'server' });
    expect(problemOf(b64url({ ...good, token: 'short' }))).toEqual({ problem: 'field', field: 'token' });
    expect(() => buildClassCode({ name: '', exercises: ['01-a'], labs: [], due: null })).toThrow(ClassCodeError);
  });

  it('knows a calendar date', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });
});

describe('classroom words', () => {
  it('has every string in both languages, with the same placeholders, and the Chinese written natively', async () => {
    const { asciiPunctuation, straySpaces } = await import('../support/zh-text.ts');
    const flat = (o: object, at = ''): [string, string][] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[`${at}${k}`, v] as [string, string]] : flat(v as object, `${at}${k}.`)));
    const en = Object.fromEntries(flat(CLASS_STRINGS.en));
    const zh = Object.fromEntries(flat(CLASS_STRINGS['zh-CN']));
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [k, v] of Object.entries(en)) expect(names(zh[k]!), k).toEqual(names(v));
    for (const [k, v] of Object.entries(zh)) {
      expect(straySpaces(v), k).toEqual([]);
      expect(asciiPunctuation(v), k).toEqual([]);
    }
  });
});
