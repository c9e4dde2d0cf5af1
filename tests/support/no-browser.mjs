// Preloaded with `node --import` on the `npm start` path (tests/tools/start.test.ts, and the build step of
// scripts/test-all.sh): fails the process the moment anything loads a browser-driving library or starts a
// process that names a browser, so "starting the site needs no browser" is checked, not assumed.
import childProcess from 'node:child_process';
import * as nodeModule from 'node:module';

const BROWSER_LIBRARIES = /^(?:playwright|playwright-core|@playwright\/test|puppeteer|puppeteer-core|chrome-launcher|lighthouse|@vitest\/browser(?:-playwright)?)(?:\/|$)/;
const BROWSER_COMMAND = /chrom|firefox|webkit|msedge/i;

function refuse(what) {
  const message = `no-browser: the start path tried to ${what}`;
  process.stderr.write(`${message}\n`);
  throw new Error(message);
}

if (nodeModule.registerHooks) {
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (BROWSER_LIBRARIES.test(specifier)) refuse(`load ${specifier}`);
      return nextResolve(specifier, context);
    },
  });
} else {
  // Node before 22.15 (an npm run by an older system Node): the same check as an asynchronous loader hook.
  const hook = `export async function resolve(specifier, context, next) {
    if (${BROWSER_LIBRARIES}.test(specifier)) {
      process.stderr.write('no-browser: the start path tried to load ' + specifier + '\\n');
      throw new Error('no-browser: the start path tried to load ' + specifier);
    }
    return next(specifier, context);
  }`;
  nodeModule.register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const original = childProcess[name];
  childProcess[name] = function guarded(command, ...rest) {
    const argv = Array.isArray(rest[0]) ? rest[0] : [];
    if (BROWSER_COMMAND.test([command, ...argv].join(' '))) refuse(`run ${command}`);
    return original.call(this, command, ...rest);
  };
}
nodeModule.syncBuiltinESMExports();
