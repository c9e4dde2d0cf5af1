// The SQL and file stores without any peer: their formats (SQLite datetimes, cachelib file names and
// headers), expiry on read, the SQL clean-up job and the file store's threshold pruning, on in-memory
// stand-ins of a database and a directory. (flask_session_stores_live.test.ts checks them against Python.)
import { describe, expect, it } from 'vitest';
import { Flask } from '../../../src/engine/flask/app.ts';
import {
  cacheFileExpiry,
  cacheFileName,
  COUNT_KEY,
  encodeCacheFile,
  FileSystemSessionInterface,
  parseSqliteDatetime,
  pickleLoads,
  SqlAlchemySessionInterface,
  sqliteDatetime,
} from '../../../src/engine/flask_session/index.ts';
import { addDemoRoutes } from '../../../src/server/demo-apps.ts';
import { openSqlite } from '../../../src/server/sql-store.ts';
import { MemoryDirectory } from '../../../src/components/redis-view/memory-stores.ts';
import { reasonText } from '../../../src/engine/flask/reasons.ts';


describe('formats', () => {
  it('SQLite datetimes as SQLAlchemy writes them, and back', () => {
    expect(sqliteDatetime(0)).toBe('1970-01-01 00:00:00.000000');
    expect(sqliteDatetime(1704067200.25)).toBe('2024-01-01 00:00:00.250000');
    expect(parseSqliteDatetime('2024-01-01 00:00:00.250000')).toBe(1704067200.25);
    expect(parseSqliteDatetime('2024-01-01 00:00:00')).toBe(1704067200);
    expect(parseSqliteDatetime('yesterday')).toBeNaN();
  });

  it("cachelib's file name is the MD5 of the key, the header a little-endian expiry", () => {
    expect(cacheFileName('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(cacheFileName(COUNT_KEY)).toMatch(/^[0-9a-f]{32}$/);
    const file = encodeCacheFile(0x01020304, 7);
    expect([...file.subarray(0, 4)]).toEqual([4, 3, 2, 1]);
    expect(cacheFileExpiry(file)).toBe(0x01020304);
    expect(pickleLoads(file.subarray(4))).toBe(7);
    expect(cacheFileExpiry(new Uint8Array(3))).toBeNull();
    expect(() => encodeCacheFile(2 ** 32, 1)).toThrow(/does not fit struct "I"/);
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => new SqlAlchemySessionInterface({ client: openSqlite(':memory:'), table: 'x; DROP TABLE y' })).toThrow(/Unsupported table name/);
  });
});

function appOn(si: SqlAlchemySessionInterface | FileSystemSessionInterface, clock: { t: number }, lifetime = 60) {
  const app = new Flask({ config: { SECRET_KEY: 'k', PERMANENT_SESSION_LIFETIME: lifetime }, sessionInterface: si, now: () => clock.t });
  addDemoRoutes(app);
  return async (url: string, cookie?: string) => {
    const ex = await app.handle({ method: 'GET', url, headers: cookie ? [['Cookie', cookie]] : [] });
    const sc = ex.response.headers.find(([k]) => k === 'Set-Cookie')?.[1];
    const b = ex.response.body;
    return { cookie: sc?.split(';')[0], body: typeof b === 'string' ? b : new TextDecoder().decode(b), trace: ex.trace };
  };
}

describe('SqlAlchemySessionInterface on SQLite', () => {
  it('creates the table, expires rows on read, and the clean-up job deletes the rest', async () => {
    const db = openSqlite(':memory:');
    const clock = { t: 1_700_000_000 };
    const si = new SqlAlchemySessionInterface({ client: db, now: () => clock.t });
    const get = appOn(si, clock);
    const a = await get('/set?key=u&value=a');
    const b = await get('/set?key=u&value=b');
    expect(await db.get('SELECT COUNT(*) AS n FROM sessions', [])).toEqual({ n: 2 });
    expect((await db.get('SELECT expiry FROM sessions WHERE id = 1', []))!.expiry).toBe(sqliteDatetime(clock.t + 60));
    clock.t += 61;
    // Reading an expired row deletes it and starts a new session.
    const read = await get('/get?key=u', a.cookie);
    expect(read.body).not.toContain("'a'");
    expect(read.trace.some((e) => e.type === 'store-op' && e.command === 'DELETE')).toBe(true);
    expect(await db.get('SELECT COUNT(*) AS n FROM sessions', [])).toEqual({ n: 1 });
    expect(await si.deleteExpired()).toBe(1);
    expect(await db.get('SELECT COUNT(*) AS n FROM sessions', [])).toEqual({ n: 0 });
    expect(b.cookie).toBeDefined();
    db.close();
  });
});

describe('FileSystemSessionInterface', () => {
  it('keeps a count like cachelib, skips expired files on read, and prunes past the threshold', async () => {
    const dir = new MemoryDirectory();
    const clock = { t: 1_700_000_000 };
    const si = new FileSystemSessionInterface({ dir, threshold: 3, now: () => clock.t });
    const get = appOn(si, clock);
    const cookies = [];
    for (let i = 0; i < 3; i++) cookies.push((await get(`/set?key=n&value=${i}`)).cookie);
    const count = async () => pickleLoads((await dir.read(cacheFileName(COUNT_KEY)))!.subarray(4));
    expect(await count()).toBe(3);
    clock.t += 61;
    expect((await get('/get?key=n', cookies[0])).body).not.toContain("'0'");
    // Expired files stay until the directory is over its threshold; the fourth new session goes over it.
    expect(dir.files.size).toBe(4);
    await get('/set?key=n&value=late');
    await get('/set?key=n&value=later');
    expect(dir.files.size).toBe(3);
    expect(await count()).toBe(2);
    // An unreadable file is a new session, as cachelib's serializer turns pickle errors into None.
    const live = (await get('/set?key=n&value=kept')).cookie!;
    dir.files.set(cacheFileName(`session:${live.slice('session='.length)}`), new Uint8Array([0, 0, 0, 0, 0x80, 0x05, 0xff]));
    const broken = await get('/get?key=n', live);
    expect(broken.body).not.toContain('kept');
    expect(broken.cookie).not.toBe(live);
    expect(broken.trace.some((e) => e.type === 'error' && /not a readable pickle/.test(reasonText(e.why)))).toBe(true);
  });
});
