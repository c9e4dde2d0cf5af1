// Preloaded by bin/session-lab.mjs: lets Node run this package's .ts files even when the package sits
// under node_modules, where Node's built-in type stripping refuses to work.
import { readFileSync } from 'node:fs';
import module from 'node:module';

const root = new URL('../../', import.meta.url).href;

// Older Node without these APIs still runs the CLI from a checkout, just not from node_modules.
if (typeof module.registerHooks === 'function' && typeof module.stripTypeScriptTypes === 'function' && root.includes('/node_modules/')) {
  module.registerHooks({
    load(url, context, nextLoad) {
      if (url.startsWith(root + 'src/') && url.endsWith('.ts')) {
        const source = module.stripTypeScriptTypes(readFileSync(new URL(url), 'utf8'));
        return { format: 'module', source, shortCircuit: true };
      }
      return nextLoad(url, context);
    },
  });
}
