// What the real Flask-Session 0.3.2 and 0.8.0 did with the poisoned pickle of lesson 7, as recorded in
// server-side-security-pickle.json. That file is written only by running the real libraries (tests/lessons/real_demos.py under
// each judge, against a real redis-server: `npm run demos:real`), and tests/lessons/real-demos.test.ts checks it
// against a live run, so the page never shows a hand-typed response under a library's name.
import data from './server-side-security-pickle.json' with { type: 'json' };
import { loads as pickleLoads } from '../engine/flask_session/pickle.ts';
import { MsgSpecSerializer } from '../engine/flask_session/serializers.ts';
import { pyRepr } from '../engine/python/repr.ts';
import type { ExchangeView, HttpExchange } from './exchange.ts';

function fromHex(h: string): Uint8Array {
  return new Uint8Array((h.match(/../g) ?? []).map((x) => parseInt(x, 16)));
}

/** The value left under the key, read with the engine: a plain pickle on 0.3.2, msgpack on 0.8. */
function describeStored(r: RealPickleRun): { format: string; repr: string } | null {
  if (r.storedAfterHex === null) return null;
  const bytes = fromHex(r.storedAfterHex);
  if (r.flaskSession.startsWith('0.3')) return { format: 'pickle', repr: pyRepr(pickleLoads(bytes)) };
  return { format: 'msgpack', repr: pyRepr(new MsgSpecSerializer('msgpack').decode(bytes)) };
}

/** One judge's run, as real-demos.test.ts records it. */
export interface RealPickleRun {
  judge: 'flask-2.2' | 'flask-3.1';
  flask: string;
  flaskSession: string;
  /** The Python version of the server that loaded the value: what the payload's call returned. */
  python: string;
  exchange: HttpExchange;
  /** The value under the session key after the request (hex), or null when the key was gone. */
  storedAfterHex: string | null;
}

export interface RealPickleFile {
  payloadHex: string;
  sid: string;
  runs: RealPickleRun[];
}

/** The recorded runs, each with an ExchangeView the lesson's Exchange component can draw (no engine trace). */
export function realPickle(): { payloadHex: string; sid: string; runs: (RealPickleRun & { view: ExchangeView; stored: { format: string; repr: string } | null })[] } {
  const file = data as RealPickleFile;
  return {
    payloadHex: file.payloadHex,
    sid: file.sid,
    runs: file.runs.map((r) => ({
      ...r,
      view: { ...r.exchange, warnings: [], trace: [] },
      stored: describeStored(r),
    })),
  };
}
