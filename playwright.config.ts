import { execFileSync } from 'node:child_process';
import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/support/chromium.ts';

// A free port for this run's site server, asked of the system once and shared with the workers (which load
// this file again) through the environment.
process.env.E2E_PORT ??= execFileSync(
  process.execPath,
  ['-e', "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); })"],
  { encoding: 'utf8' },
);
const PORT = Number(process.env.E2E_PORT);

// Timeouts are guards against a hang, not measures of speed: every wait in the specs is for a condition, so a
// slow machine only takes longer. Animations are off (reduced motion) so no check lands mid-transition.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  // Tests share nothing but the site server, so they run side by side. Four workers on two cores: most of an
  // end-to-end test's time is waiting (for the network to go quiet, for a Python Worker to start, for a page to
  // settle), not computing; with two, the run used about 40% of the two cores.
  fullyParallel: true,
  workers: 4,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: chromiumLaunchOptions(),
    reducedMotion: 'reduce',
    trace: 'off',
  },
  // A test tagged @wide-only or @phone-only runs in that project alone (a11y.spec.ts splits its audits this way).
  projects: [
    { name: 'wide', grepInvert: /@phone-only/, use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 900 }, launchOptions: chromiumLaunchOptions() } },
    { name: 'phone', grepInvert: /@wide-only/, use: { ...devices['Pixel 7'], launchOptions: chromiumLaunchOptions() } },
  ],
  // The site server of npm start (src/server/site.ts), so every page is tested under the headers it is served with
  // (Content-Security-Policy included); the Node running Playwright runs it.
  webServer: {
    command: `${JSON.stringify(process.execPath)} --experimental-strip-types --no-warnings src/server/site.ts`,
    env: { PORT: String(PORT) },
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
