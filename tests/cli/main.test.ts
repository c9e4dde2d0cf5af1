import { describe, expect, it } from 'vitest';
import { cli, cliProcess, lines } from './run.ts';

const COMMANDS = ['sign', 'verify', 'decode', 'crack'];
const TOKEN = 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk';

/** A usage error: status 2, nothing on stdout, exactly one line on stderr. */
async function expectUsageError(args: string[], pattern: RegExp): Promise<void> {
  const r = await cli(args);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(lines(r.stderr)).toHaveLength(1);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr).toMatch(pattern);
}

describe('session-lab', () => {
  it('--help lists every command and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\s+\\S`, 'm'));
    expect((await cli(['help'])).stdout).toBe(r.stdout);
  });

  it('each command has --help', async () => {
    for (const c of COMMANDS) {
      const r = await cli([c, '--help']);
      expect(r.status, c).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: session-lab ${c} `));
      expect((await cli(['help', c])).stdout).toBe(r.stdout);
      expect((await cli([c, '-h'])).stdout).toBe(r.stdout);
    }
  });

  it('no command, an unknown command or an unknown top-level option: one line, exit 2', async () => {
    await expectUsageError([], /^session-lab: missing command \(see session-lab --help\)$/m);
    await expectUsageError(['frobnicate'], /^session-lab: unknown command 'frobnicate'/);
    await expectUsageError(['--verbose'], /^session-lab: unknown option --verbose/);
  });

  it('an unknown option is a one-line error for every command', async () => {
    for (const c of COMMANDS) await expectUsageError([c, '--bogus', 'x'], new RegExp(`^session-lab ${c}: unknown option --bogus \\(see session-lab ${c} --help\\)$`, 'm'));
  });

  it('a missing option value, a bad choice, a bad number, an extra argument: one line each, exit 2', async () => {
    await expectUsageError(['sign', '--secret'], /^session-lab sign: --secret needs a value/);
    await expectUsageError(['sign', '--secret', 'k', '--digest', 'md5', '--data', '{}'], /--digest must be one of sha1, sha256, sha512, not 'md5'/);
    await expectUsageError(['sign', '--secret', 'k', '--key-derivation', 'pbkdf2', '--data', '{}'], /--key-derivation must be one of hmac, concat, django-concat, none/);
    await expectUsageError(['sign', '--secret', 'k', '--timestamp', '-5', '--data', '{}'], /--timestamp needs a value|--timestamp must be a whole number/);
    await expectUsageError(['sign', '--secret', 'k', '--timestamp', '1.5', '--data', '{}'], /--timestamp must be a whole number, not '1.5'/);
    await expectUsageError(['verify', '--secret', 'k', '--max-age', 'soon', TOKEN], /--max-age must be a whole number/);
    await expectUsageError(['verify', '--secret', 'k', TOKEN, 'extra'], /unexpected argument 'extra'/);
    await expectUsageError(['decode', TOKEN, 'extra'], /^session-lab decode: unexpected argument 'extra'/);
    await expectUsageError(['crack', '-w', '/dev/null', '--threads', '0', TOKEN], /--threads must be a whole number of at least 1/);
    await expectUsageError(['sign', '--data', '{}'], /--secret is required/);
    await expectUsageError(['verify', '--secret', 'k'], /missing COOKIE/);
    await expectUsageError(['decode'], /missing COOKIE/);
  });
});

// The tests above run the CLI in-process. These few start it as its own process, once per command family, to
// check what only a real process shows: exit statuses, stdout and stderr kept apart, stdin, worker threads.
describe('session-lab as a process', () => {
  it('help and a usage error', () => {
    const help = cliProcess(['--help']);
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: session-lab <command>/);
    const bad = cliProcess(['frobnicate']);
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    expect(lines(bad.stderr)).toEqual(["session-lab: unknown command 'frobnicate' (see session-lab --help)"]);
  });

  it('sign, verify and decode', () => {
    const signed = cliProcess(['sign', '--secret', 'dev', '--timestamp', '1700000000', '--data', '{"a":1}']);
    expect([signed.status, signed.stdout, signed.stderr]).toEqual([0, `${TOKEN}\n`, '']);
    expect(cliProcess(['verify', '--secret', 'dev', '--now', '1700000000', TOKEN])).toEqual({ status: 0, stdout: '{"a":1}\n', stderr: '' });
    const wrong = cliProcess(['verify', '--secret', 'other', '--now', '1700000000', TOKEN]);
    expect([wrong.status, wrong.stdout, wrong.stderr]).toEqual([1, '', "BadTimeSignature: Signature b'D3QXMI0ZQYNZDxORB__kVZyT7hk' does not match\n"]);
    const decoded = cliProcess(['decode', '--json', TOKEN]);
    expect([decoded.status, JSON.parse(decoded.stdout).payload]).toEqual([0, '{"a":1}']);
  });

  it('crack, from stdin, on two worker threads', () => {
    const r = cliProcess(['crack', '--threads', '2', '-w', '-', TOKEN], 'admin\nsecret\ndev\n');
    expect([r.status, r.stdout]).toEqual([0, 'dev\n']);
    expect(r.stderr).toMatch(/^crack: found after 3 guesses in [\d.]+ s \([\d,]+\/s, 2 threads\)$/m);
  });
});
