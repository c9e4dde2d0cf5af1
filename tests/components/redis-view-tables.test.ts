// The Redis view's SQL-table and file modes (lesson 9): the in-page table answers the SQL store's statements as
// SQLite does (the same requests on node:sqlite leave the same rows), rows and files outlive their expiry until
// something deletes them, and the log shows SQL statements and file operations.
import { describe, expect, it } from 'vitest';
import { Flask } from '../../src/engine/flask/app.ts';
import { SqlAlchemySessionInterface } from '../../src/engine/flask_session/index.ts';
import { MemorySqlTable } from '../../src/components/redis-view/memory-stores.ts';
import { SessionLab, memoryLabStore, prerender } from '../../src/components/redis-view/model.ts';
import { storeHtml, logHtml } from '../../src/components/redis-view/render.ts';
import { redisViewStrings } from '../../src/components/redis-view/i18n.ts';
import { addDemoRoutes } from '../../src/server/demo-apps.ts';
import { openSqlite } from '../../src/server/sql-store.ts';
import { seededBytes } from '../../src/lessons/demo-common.ts';

const T = 1_700_000_000;

describe('the in-page session table', () => {
  it('leaves the same rows as SQLite for the same requests, expiry and deletion included', async () => {
    const run = async (client: MemorySqlTable | ReturnType<typeof openSqlite>) => {
      const clock = { t: T };
      const si = new SqlAlchemySessionInterface({ client, now: () => clock.t, randomBytes: seededBytes(7) });
      await si.ensureTable();
      const app = addDemoRoutes(new Flask({ config: { SECRET_KEY: 'k', PERMANENT_SESSION_LIFETIME: 60 }, now: () => clock.t, sessionInterface: si }));
      const a = app.testClient();
      const b = app.testClient();
      await a.get('/set?key=x&value=1');
      await b.get('/set?key=y&value=2');
      await a.get('/set?key=x&value=3');
      await b.get('/clear');
      await a.get('/set?key=z&value=4');
      clock.t += 61;
      await si.deleteExpired();
      await a.get('/set?key=w&value=5');
      return (await client.get('SELECT COUNT(*) AS n FROM sessions', []))!.n;
    };
    const sqlite = openSqlite(':memory:');
    const table = new MemorySqlTable();
    expect(await run(table)).toBe(await run(sqlite));
    const rows = sqlite.all('SELECT id, session_id, hex(data) AS data, expiry FROM sessions ORDER BY id');
    expect(table.rows.map((r) => ({ id: r.id, session_id: r.session_id, data: Buffer.from(r.data).toString('hex').toUpperCase(), expiry: r.expiry }))).toEqual(rows);
    sqlite.close();
  });

  it('refuses any statement the session store does not send', async () => {
    const table = new MemorySqlTable();
    await expect(table.exec('DROP TABLE sessions')).rejects.toThrow(/only the session store's statements/);
    await expect(table.get('SELECT 1', [])).rejects.toThrow(/no such table/);
  });
});

for (const mode of ['sql', 'files'] as const) {
  describe(`Redis view, ${mode} mode`, () => {
    it('shows the stored session, keeps it past its expiry, and logs what the store did, in both languages', async () => {
      const { snapshot, state } = await prerender(mode, 1, ['/login'], T);
      const en = redisViewStrings('en');
      const zh = redisViewStrings('zh-CN');
      const session = snapshot.rows.find((r) => r.repr.includes("'username': 'alex'"));
      expect(session, JSON.stringify(snapshot.rows)).toBeDefined();
      expect(session!.format).toBe(mode === 'sql' ? 'msgpack' : 'pickle');
      if (mode === 'sql') expect(session!.key).toMatch(/^session:/);
      else expect(session!.key).toMatch(/^[0-9a-f]{32}$/);
      expect(logHtml(snapshot.log, 1, en)).toContain(mode === 'sql' ? 'INSERT INTO sessions' : 'write(md5(');
      // A month later nothing has deleted it: it is still listed, as expired.
      const lab = await SessionLab.create({ mode, clock: () => T, makeStore: memoryLabStore });
      await lab.restore(state);
      await lab.advance(32 * 86400);
      const later = await lab.snapshot();
      const row = later.rows.find((r) => r.key === session!.key);
      expect(row?.expired).toBe(true);
      expect(storeHtml(later.rows, mode, 1, en)).toContain(en.expiredStored);
      expect(storeHtml(later.rows, mode, 1, zh)).toContain(zh.expiredStored);
    });
  });
}
