import { describe, expect, it } from 'vitest';
import { cli, lines } from './run.ts';

const COMMANDS = ['sign', 'verify', 'decode', 'crack'];
const TOKEN = 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk';

/** A usage error: status 2, nothing on stdout, exactly one line on stderr. */
function expectUsageError(args: string[], pattern: RegExp) {
  const r = cli(args);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(lines(r.stderr)).toHaveLength(1);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr).toMatch(pattern);
}

describe('session-lab', () => {
  it('--help lists every command and exits 0', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\s+\\S`, 'm'));
    expect(cli(['help']).stdout).toBe(r.stdout);
  });

  it('each command has --help', () => {
    for (const c of COMMANDS) {
      const r = cli([c, '--help']);
      expect(r.status, c).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: session-lab ${c} `));
      expect(cli(['help', c]).stdout).toBe(r.stdout);
      expect(cli([c, '-h']).stdout).toBe(r.stdout);
    }
  });

  it('no command, an unknown command or an unknown top-level option: one line, exit 2', () => {
    expectUsageError([], /^session-lab: missing command \(see session-lab --help\)$/m);
    expectUsageError(['frobnicate'], /^session-lab: unknown command 'frobnicate'/);
    expectUsageError(['--verbose'], /^session-lab: unknown option --verbose/);
  });

  it('an unknown option is a one-line error for every command', () => {
    for (const c of COMMANDS) expectUsageError([c, '--bogus', 'x'], new RegExp(`^session-lab ${c}: unknown option --bogus \\(see session-lab ${c} --help\\)$`, 'm'));
  });

  it('a missing option value, a bad choice, a bad number, an extra argument: one line each, exit 2', () => {
    expectUsageError(['sign', '--secret'], /^session-lab sign: --secret needs a value/);
    expectUsageError(['sign', '--secret', 'k', '--digest', 'md5', '--data', '{}'], /--digest must be one of sha1, sha256, sha512, not 'md5'/);
    expectUsageError(['sign', '--secret', 'k', '--key-derivation', 'pbkdf2', '--data', '{}'], /--key-derivation must be one of hmac, concat, django-concat, none/);
    expectUsageError(['sign', '--secret', 'k', '--timestamp', '-5', '--data', '{}'], /--timestamp needs a value|--timestamp must be a whole number/);
    expectUsageError(['sign', '--secret', 'k', '--timestamp', '1.5', '--data', '{}'], /--timestamp must be a whole number, not '1.5'/);
    expectUsageError(['verify', '--secret', 'k', '--max-age', 'soon', TOKEN], /--max-age must be a whole number/);
    expectUsageError(['verify', '--secret', 'k', TOKEN, 'extra'], /unexpected argument 'extra'/);
    expectUsageError(['decode', TOKEN, 'extra'], /^session-lab decode: unexpected argument 'extra'/);
    expectUsageError(['crack', '-w', '/dev/null', '--threads', '0', TOKEN], /--threads must be a whole number of at least 1/);
    expectUsageError(['sign', '--data', '{}'], /--secret is required/);
    expectUsageError(['verify', '--secret', 'k'], /missing COOKIE/);
    expectUsageError(['decode'], /missing COOKIE/);
  });
});
