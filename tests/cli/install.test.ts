// bin/session-lab.mjs from an installed copy: the package under node_modules, where Node will not strip types itself.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'session-lab-install-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bin/session-lab.mjs', () => {
  it('runs sign, verify and crack (worker threads included) from a copy inside node_modules', () => {
    const pkg = join(root, 'node_modules', 'flask-session-lab');
    mkdirSync(pkg, { recursive: true });
    for (const part of ['bin', 'src', 'package.json']) cpSync(join(repo, part), join(pkg, part), { recursive: true });
    for (const dep of ['pako', '@noble']) symlinkSync(join(repo, 'node_modules', dep), join(root, 'node_modules', dep));
    const bin = join(pkg, 'bin', 'session-lab.mjs');
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });

    const signed = run('sign', '--secret', 'dev', '--timestamp', '1700000000', '--data', '{"a":1}');
    expect([signed.status, signed.stdout, signed.stderr]).toEqual([0, 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk\n', '']);
    expect(run('verify', '--secret', 'dev', '--now', '1700000000', signed.stdout.trim()).stdout).toBe('{"a":1}\n');
    writeFileSync(join(root, 'words.txt'), 'admin\nsecret\ndev\n');
    const cracked = run('crack', '-q', '--threads', '2', '-w', join(root, 'words.txt'), signed.stdout.trim());
    expect([cracked.status, cracked.stdout]).toEqual([0, 'dev\n']);
    // Exit statuses pass through the launcher.
    expect(run('verify', '--secret', 'other', signed.stdout.trim()).status).toBe(1);
    expect(run('frobnicate').status).toBe(2);
  });
});
