// Preloaded with `node --import` on the `npm start` path (tests/tools/start.test.ts, and the build step of
// scripts/test-all.sh): fails the process the moment anything loads a browser-driving library or starts a
// process that names a browser, so "starting the site needs no browser" is checked, not assumed.
import childProcess from 'node:child_process';
import { registerHooks, syncBuiltinESMExports } from 'node:module';

const BROWSER_LIBRARIES = /^(?:playwright|playwright-core|@playwright\/test|puppeteer|puppeteer-core|chrome-launcher|lighthouse|@vitest\/browser(?:-playwright)?)(?:\/|$)/;
const BROWSER_COMMAND = /chrom|firefox|webkit|msedge/i;

function refuse(what) {
  const message = `no-browser: the start path tried to ${what}`;
  process.stderr.write(`${message}\n`);
  throw new Error(message);
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (BROWSER_LIBRARIES.test(specifier)) refuse(`load ${specifier}`);
    return nextResolve(specifier, context);
  },
});

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const original = childProcess[name];
  childProcess[name] = function guarded(command, ...rest) {
    const argv = Array.isArray(rest[0]) ? rest[0] : [];
    if (BROWSER_COMMAND.test([command, ...argv].join(' '))) refuse(`run ${command}`);
    return original.call(this, command, ...rest);
  };
}
syncBuiltinESMExports();
