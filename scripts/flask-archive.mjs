#!/usr/bin/env node
// The Flask archive the exercises run on: Debian 13 (trixie)'s own pure-Python packages of Flask and the
// libraries it imports, plus fakeredis for the server-side store exercises, packed into one zip that Pyodide
// unpacks into its site-packages (in the browser Worker and in Node alike).
//
// How it is made, with nothing but apt-get and dpkg-deb from the machine:
// - a private apt configuration (its own sources, lists and cache under CACHE/apt) points at the trixie suite of
//   the Debian mirror this machine's apt already uses (read from /etc/apt/sources.list.d/*.sources or
//   /etc/apt/sources.list at run time, never written down), so the host's apt state is not touched;
// - `apt-get download` fetches the .deb files, `dpkg-deb -x` unpacks them;
// - from each package's dist-packages folder we keep the Python package folders and their *.dist-info /
//   *.egg-info metadata (Werkzeug's test client asks for its own version), minus compiled extensions (.so):
//   MarkupSafe then uses its pure-Python fallback; each package's Debian copyright file goes along;
// - two deterministic zips (sorted names, fixed dates): flask-<version>.zip, unpacked when Python starts, and
//   fakeredis-<version>.zip, unpacked only when a check's code imports fakeredis, redis or sortedcontainers;
//   their versions and sizes go to CACHE/archive.json.
//
// Usage: node scripts/flask-archive.mjs [--refresh] [--quiet]
//   --refresh   fetch again even when the cached archive matches this package list
// Exit code 0 when the archive is ready, 1 with a message saying what is missing otherwise.
// Imported by scripts/build.mjs (makeArchive / archiveStatus), which never fails because of it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const { deflateRawSync, gzipSync } = zlib;

// zlib.crc32 is in Node 20.15 and later; peers.sh may run this with an older system Node.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(data);
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const root = fileURLToPath(new URL('..', import.meta.url));
export const CACHE_DIR = join(root, 'node_modules', '.cache', 'flask-session-lab', 'runtime');
export const ARCHIVE_INFO = join(CACHE_DIR, 'archive.json');
export const HOWTO = 'npm run runtime:archive';

/**
 * Debian packages in the archives; `dist` names the folders and metadata kept from each, `group` the zip it goes
 * into: `flask` is loaded with Python, `fakeredis` only when a check's code imports one of its modules.
 */
export const PACKAGES = [
  { deb: 'python3-flask', dist: ['flask'], group: 'flask' },
  { deb: 'python3-werkzeug', dist: ['werkzeug'], group: 'flask' },
  { deb: 'python3-itsdangerous', dist: ['itsdangerous'], group: 'flask' },
  { deb: 'python3-jinja2', dist: ['jinja2'], group: 'flask' },
  { deb: 'python3-markupsafe', dist: ['markupsafe'], group: 'flask' },
  { deb: 'python3-blinker', dist: ['blinker'], group: 'flask' },
  { deb: 'python3-click', dist: ['click'], group: 'flask' },
  // For server-side stores: fakeredis keeps a Redis server's data in the Python process; it needs redis-py (its
  // client classes) and sortedcontainers (sorted sets). All pure Python in Debian 13. About 40 % of the bytes,
  // so a separate zip that only code importing them loads.
  { deb: 'python3-fakeredis', dist: ['fakeredis'], group: 'fakeredis' },
  { deb: 'python3-redis', dist: ['redis'], group: 'fakeredis' },
  { deb: 'python3-sortedcontainers', dist: ['sortedcontainers'], group: 'fakeredis' },
];
const SUITE = 'trixie';
// Bumped when what goes into the zip changes, so a cached archive of an older layout is made again.
const LAYOUT = 2;
const inputKey = createHash('sha256').update(JSON.stringify({ LAYOUT, SUITE, PACKAGES })).digest('hex').slice(0, 16);

class Missing extends Error {}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new Missing(`${cmd} could not be run: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-6).join('\n');
    throw new Missing(`${cmd} ${args.slice(0, 2).join(' ')} failed (exit ${r.status}):\n${tail}`);
  }
  return r.stdout;
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));
}

/** The first non-security Debian mirror of this machine's apt sources (deb822 first, then one-line format). */
function aptMirror() {
  const uris = [];
  const sourcesDir = '/etc/apt/sources.list.d';
  const files = existsSync(sourcesDir) ? readdirSync(sourcesDir).sort().map((n) => join(sourcesDir, n)) : [];
  for (const file of files.filter((f) => f.endsWith('.sources'))) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^URIs:\s*(.+)$/.exec(line.trim());
      if (m) uris.push(...m[1].split(/\s+/));
    }
  }
  for (const file of ['/etc/apt/sources.list', ...files.filter((f) => f.endsWith('.list'))]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const words = line.trim().split(/\s+/);
      if (words[0] !== 'deb') continue;
      const uri = words.slice(1).find((w) => !w.startsWith('['));
      if (uri) uris.push(uri);
    }
  }
  return uris.find((u) => /^https?:\/\//.test(u) && !/security/.test(u)) ?? null;
}

function keyring() {
  for (const k of ['/usr/share/keyrings/debian-archive-keyring.gpg', '/usr/share/keyrings/debian-archive-trixie-stable.gpg']) {
    if (existsSync(k)) return k;
  }
  throw new Missing('the Debian archive keyring is missing (/usr/share/keyrings/debian-archive-keyring.gpg): apt-get install debian-archive-keyring');
}

/** A private apt for the trixie suite: its own config, sources, lists, cache and an empty dpkg status. */
function privateApt(aptDir) {
  const mirror = aptMirror();
  if (!mirror) throw new Missing('no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list');
  for (const d of ['etc/sources.list.d', 'etc/preferences.d', 'etc/apt.conf.d', 'lists/partial', 'cache/archives/partial']) {
    mkdirSync(join(aptDir, d), { recursive: true });
  }
  writeFileSync(
    join(aptDir, 'etc/sources.list.d/trixie.sources'),
    `Types: deb\nURIs: ${mirror}\nSuites: ${SUITE}\nComponents: main\nSigned-By: ${keyring()}\n`,
  );
  writeFileSync(join(aptDir, 'status'), '');
  const conf = [
    `Dir::Etc "${join(aptDir, 'etc')}";`,
    'Dir::Etc::main "/dev/null";',
    'Dir::Etc::SourceList "/dev/null";',
    `Dir::Etc::SourceParts "${join(aptDir, 'etc/sources.list.d')}";`,
    `Dir::Etc::Parts "${join(aptDir, 'etc/apt.conf.d')}";`,
    `Dir::Etc::PreferencesParts "${join(aptDir, 'etc/preferences.d')}";`,
    `Dir::State "${aptDir}";`,
    `Dir::State::Lists "${join(aptDir, 'lists')}";`,
    `Dir::State::status "${join(aptDir, 'status')}";`,
    `Dir::Cache "${join(aptDir, 'cache')}";`,
    'Acquire::Languages "none";',
    // As root apt would hand the downloads to its _apt user, which cannot write into this folder.
    ...(process.getuid?.() === 0 ? ['APT::Sandbox::User "root";'] : []),
    // Not root: the locks are in this private folder, but apt still asks for root to take them.
    ...(process.getuid?.() === 0 ? [] : ['Debug::NoLocking "true";']),
  ].join('\n');
  writeFileSync(join(aptDir, 'apt.conf'), `${conf}\n`);
  return { ...process.env, APT_CONFIG: join(aptDir, 'apt.conf'), DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' };
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

// A zip writer (deflate, no extras): DOS date 1980-01-01 for every entry, so the same inputs give the same bytes.
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const useDeflate = packed.length < data.length;
    const body = useDeflate ? packed : data;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(useDeflate ? 8 : 0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(useDeflate ? 8 : 0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, body);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Python distribution name and version from a *.dist-info / *.egg-info folder's METADATA or PKG-INFO. */
function distMetadata(metaDir) {
  const file = ['METADATA', 'PKG-INFO'].map((n) => join(metaDir, n)).find((f) => existsSync(f));
  const text = file ? readFileSync(file, 'utf8') : '';
  return {
    name: /^Name:\s*(.+)$/m.exec(text)?.[1].trim() ?? null,
    version: /^Version:\s*(.+)$/m.exec(text)?.[1].trim() ?? null,
  };
}

/** The cached archive's description when it is there and matches this package list, else null. */
export function archiveStatus() {
  if (!existsSync(ARCHIVE_INFO)) return null;
  try {
    const info = JSON.parse(readFileSync(ARCHIVE_INFO, 'utf8'));
    if (info.inputKey !== inputKey) return null;
    const zipPath = join(CACHE_DIR, info.file);
    if (!existsSync(zipPath) || statSync(zipPath).size !== info.size) return null;
    for (const extra of info.extras ?? []) {
      const p = join(CACHE_DIR, extra.file);
      if (!existsSync(p) || statSync(p).size !== extra.size) return null;
    }
    return { ...info, path: zipPath, extras: (info.extras ?? []).map((e) => ({ ...e, path: join(CACHE_DIR, e.file) })) };
  } catch {
    return null;
  }
}

/**
 * Makes the archive (or reuses the cached one). Returns { ok: true, info } or { ok: false, missing, howto };
 * never throws for a machine that lacks apt, a mirror or the network.
 */
export function makeArchive({ refresh = false, log = () => {} } = {}) {
  if (!refresh) {
    const cached = archiveStatus();
    if (cached) return { ok: true, info: cached, cached: true };
  }
  try {
    for (const cmd of ['apt-get', 'dpkg-deb']) {
      if (!onPath(cmd)) throw new Missing(`${cmd} is not on this machine: the Flask archive is made from Debian 13 packages with apt-get and dpkg-deb (Debian, Ubuntu)`);
    }
    mkdirSync(CACHE_DIR, { recursive: true });
    const env = privateApt(join(CACHE_DIR, 'apt'));
    log(`Fetching Debian ${SUITE} package lists …`);
    run('apt-get', ['update', '-qq'], { env });
    const debDir = join(CACHE_DIR, 'debs');
    rmSync(debDir, { recursive: true, force: true });
    mkdirSync(debDir, { recursive: true });
    log(`Downloading ${PACKAGES.length} packages …`);
    run('apt-get', ['download', '-qq', ...PACKAGES.map((p) => p.deb)], { env, cwd: debDir });
    const unpack = join(CACHE_DIR, 'unpacked');
    const groups = { flask: [], fakeredis: [] };
    const packages = [];
    for (const pkg of PACKAGES) {
      const entries = groups[pkg.group];
      const debFile = readdirSync(debDir).find((n) => n.startsWith(`${pkg.deb}_`) && n.endsWith('.deb'));
      if (!debFile) throw new Missing(`apt-get download gave no ${pkg.deb}`);
      const debPath = join(debDir, debFile);
      const version = run('dpkg-deb', ['-f', debPath, 'Version']).trim();
      const dir = join(unpack, pkg.deb);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      run('dpkg-deb', ['-x', debPath, dir]);
      const site = join(dir, 'usr/lib/python3/dist-packages');
      if (!existsSync(site)) throw new Missing(`${pkg.deb} has no usr/lib/python3/dist-packages`);
      const keep = readdirSync(site).filter((n) => {
        const base = n.replace(/-[^-]+\.(?:dist|egg)-info$/, '').toLowerCase();
        return pkg.dist.includes(n) || ((n.endsWith('.dist-info') || n.endsWith('.egg-info')) && pkg.dist.includes(base));
      });
      const metaDir = keep.find((n) => /\.(?:dist|egg)-info$/.test(n));
      if (!metaDir || !keep.some((n) => pkg.dist.includes(n))) {
        throw new Missing(`${pkg.deb} ${version}: expected ${pkg.dist.join(', ')} and its metadata, found ${readdirSync(site).join(', ')}`);
      }
      let bytes = 0;
      let files = 0;
      const dropped = [];
      for (const top of keep) {
        for (const file of walk(join(site, top))) {
          const name = relative(site, file).split(sep).join('/');
          if (/\.so(?:\.|$)/.test(name) || name.includes('__pycache__/') || name.endsWith('.pyc')) {
            dropped.push(name);
            continue;
          }
          const data = readFileSync(file);
          entries.push({ name, data });
          bytes += data.length;
          files += 1;
        }
      }
      const copyright = join(dir, 'usr/share/doc', pkg.deb, 'copyright');
      if (existsSync(copyright)) entries.push({ name: `debian-copyright/${pkg.deb}`, data: readFileSync(copyright) });
      const meta = distMetadata(join(site, metaDir));
      packages.push({
        deb: pkg.deb,
        group: pkg.group,
        debVersion: version,
        debFile,
        debSize: statSync(debPath).size,
        distribution: meta.name,
        version: meta.version,
        metadata: metaDir,
        files,
        bytes,
        dropped,
      });
    }
    mkdirSync(CACHE_DIR, { recursive: true });
    /** Writes one group's zip and describes it. */
    const pack = (group, lead) => {
      const entries = groups[group].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const version = packages.find((p) => p.deb === lead).version;
      const file = `${group}-${version}.zip`;
      const data = zip(entries);
      const tmp = join(CACHE_DIR, `${file}.tmp`);
      writeFileSync(tmp, data);
      renameSync(tmp, join(CACHE_DIR, file));
      return {
        file,
        size: data.length,
        gzipSize: gzipSync(data, { level: 9 }).length,
        sha256: createHash('sha256').update(data).digest('hex'),
        unpackedSize: entries.reduce((n, e) => n + e.data.length, 0),
        entries: entries.length,
      };
    };
    const core = pack('flask', 'python3-flask');
    const fakeredis = pack('fakeredis', 'python3-fakeredis');
    const info = {
      inputKey,
      suite: SUITE,
      ...core,
      extractTo: 'site-packages',
      // Loaded on demand: the top-level modules whose import (in a check's code) needs the zip.
      extras: [{ name: 'fakeredis', ...fakeredis, imports: PACKAGES.filter((p) => p.group === 'fakeredis').flatMap((p) => p.dist) }],
      packages,
    };
    writeFileSync(ARCHIVE_INFO, `${JSON.stringify(info, null, 2)}\n`);
    rmSync(unpack, { recursive: true, force: true });
    return { ok: true, info: { ...info, path: join(CACHE_DIR, info.file), extras: info.extras.map((e) => ({ ...e, path: join(CACHE_DIR, e.file) })) }, cached: false };
  } catch (err) {
    if (!(err instanceof Missing)) throw err;
    return { ok: false, missing: err.message, howto: HOWTO };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const quiet = args.includes('--quiet');
  const started = performance.now();
  const r = makeArchive({ refresh: args.includes('--refresh'), log: quiet ? () => {} : (m) => console.log(m) });
  if (!r.ok) {
    console.error(`Flask archive: not made: ${r.missing}\nTo make it: ${r.howto}`);
    process.exit(1);
  }
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  const what = (group) => r.info.packages.filter((p) => p.group === group).map((p) => `${p.distribution} ${p.version}`).join(', ');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const extras = r.info.extras.map((e) => `; on demand ${e.file}: ${kb(e.size)} (${kb(e.gzipSize)} gzip), ${what(e.name)}`).join('');
  console.log(
    `Flask archive ${r.cached ? '(cached) ' : ''}${relative(process.cwd(), r.info.path)}: ${kb(r.info.size)} (${kb(r.info.gzipSize)} gzip), ${what('flask')}${extras} [${seconds} s]`,
  );
}

