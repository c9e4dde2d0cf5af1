// `npm run classroom [-- --port P] [--host H] …`: the class server for a room (src/classroom/server.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../exercises/runtime/paths.ts';
import { startClassServer } from '../classroom/server.ts';
import { untilStopped } from './common.ts';

const HELP = `Usage: npm run classroom -- [options]

A class server for a room: the site for the students (dist/, built first when missing), and at / a live dashboard of their results
(from this machine only). Students' pages opened from the student link submit each check as they make it;
every submission is kept in a SQLite file, so stopping or crashing loses nothing, and every result is
re-run on this machine (a page's claim is never trusted).

Options:
  --port P          TCP port (default: 4322; 0 picks a free one)
  --host H          address to listen on (default: 127.0.0.1, this machine only); give this machine's
                    address on the room's network, or 0.0.0.0 for every address, so students can connect
  --db FILE         the SQLite file (default: data/classroom.db; created when missing; the same file
                    keeps the same class, link and token across restarts)
  --name TEXT       the class's name (kept in the database; default: Class)
  --exercises IDS   comma-separated exercise ids to assign (default: all)
  --labs SLUGS      comma-separated lab slugs to assign (default: all)
  --due DATE        due date, YYYY-MM-DD
  --site DIR        serve this built site instead of dist/ (never built here)
  --no-recheck      do not re-run students' code (the dashboard then shows what the pages claimed)
  -h, --help        this help`;

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        name: { type: 'string' },
        exercises: { type: 'string' },
        labs: { type: 'string' },
        due: { type: 'string' },
        site: { type: 'string' },
        'no-recheck': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`classroom: ${(e as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const port = values.port === undefined ? 4322 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`classroom: --port must be a port number from 0 to 65535, not '${values.port}'\n`);
    return 2;
  }
  if (values.due !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.due)) {
    process.stderr.write(`classroom: --due must be a date as YYYY-MM-DD, not '${values.due}'\n`);
    return 2;
  }
  const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));
  const db = resolve(values.db ?? join(REPO_ROOT, 'data', 'classroom.db'));
  const root = values.site !== undefined ? resolve(values.site) : fileURLToPath(new URL('../../dist/', import.meta.url));
  // The site is built once (as npm start would) and then reused, so restarting after a crash takes a second, not a build.
  if (values.site !== undefined && !existsSync(join(root, 'index.html'))) process.stderr.write(`classroom: ${root} holds no built site: students get "Not Found"\n`);
  else if (!existsSync(join(root, 'index.html'))) {
    process.stdout.write(`classroom: ${root} holds no built site yet; building it (npm run build) …\n`);
    const built = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: REPO_ROOT });
    if (built.status !== 0) {
      process.stderr.write(`classroom: the build failed (exit ${built.status ?? built.signal}); fix it and run again\n`);
      return 1;
    }
  }
  const assignment = {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.exercises !== undefined ? { exercises: list(values.exercises)! } : {}),
    ...(values.labs !== undefined ? { labs: list(values.labs)! } : {}),
    ...(values.due !== undefined ? { due: values.due } : {}),
  };
  const running = await startClassServer({ db, root, port, host: values.host, assignment, recheck: values['no-recheck'] ? false : undefined });
  process.stdout.write(
    [
      `Class server: ${running.url}`,
      `Dashboard (this machine): ${values.host === '0.0.0.0' || values.host === '::' ? `http://127.0.0.1:${running.port}/` : running.url}`,
      // Another machine (a projector) opens the dashboard with the teacher token; students never see it.
      values.host !== undefined ? `Dashboard from another machine (keep this link to yourself): ${running.url}?teacher=${running.cls.teacherToken}` : '',
      values.host !== undefined ? `Teacher token: ${running.cls.teacherToken}` : '',
      `Class: ${running.cls.name} (id ${running.cls.id})`,
      `Class token: ${running.cls.token}`,
      `Student link: ${running.links.en}`,
      `Student link (简体中文): ${running.links.zh}`,
      `Database: ${db}`,
      existsSync(join(root, 'index.html')) ? `Site: ${root} as built ${statSync(join(root, 'index.html')).mtime.toISOString()} (npm run build to refresh it)` : '',
      values.host === undefined ? 'Listening on 127.0.0.1 only: give --host to let students on the network in.' : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n',
  );
  await untilStopped();
  await running.close();
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`classroom: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
