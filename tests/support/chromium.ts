import { existsSync } from 'node:fs';

/** Debian's Chromium when it is installed, else whatever browser Playwright has of its own. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumLaunchOptions(): { executablePath?: string; args: string[]; headless: true } {
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: chromiumArgs, headless: true };
  return { args: chromiumArgs, headless: true };
}
