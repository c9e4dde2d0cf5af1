// The lifecycle trace of one request as terminal text for a person: a heading line, then one aligned line
// per step (number, stage, event, what happened, and the why), coloured only when asked to.
import type { Exchange } from '../engine/flask/app.ts';
import type { TraceEvent } from '../engine/flask/trace.ts';
import { reasonText } from '../engine/flask/reasons.ts';
import { traceJson, traceRepr } from '../engine/flask/trace-render.ts';

/** Options of {@link formatExchange}. */
export interface TraceTextOptions {
  /** Use ANSI colours (only for a terminal). Default false. */
  color?: boolean;
  /** Longest value shown before it is cut with `…`. Default 100 characters. */
  maxValue?: number;
}

const ANSI = { dim: '\x1b[2m', bold: '\x1b[1m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', blue: '\x1b[34m', magenta: '\x1b[35m', cyan: '\x1b[36m', reset: '\x1b[0m' };

const STAGE_COLOR: Record<string, string> = {
  request: ANSI.blue,
  context: ANSI.dim,
  open: ANSI.cyan,
  view: ANSI.green,
  after: ANSI.dim,
  save: ANSI.magenta,
  store: ANSI.yellow,
  response: ANSI.blue,
};

/** Python's repr of a traced value, or a placeholder past the render budget. */
const repr = (v: Parameters<typeof traceRepr>[0]): string => traceRepr(v) ?? '<too large to show>';

function cut(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** What the step did, in a few words, without the why. */
function summary(e: TraceEvent, max: number): string {
  switch (e.type) {
    case 'request-received':
      return `${e.method} ${e.url}`;
    case 'context-pushed':
      return `session interface ${e.interface}`;
    case 'cookie-read':
      return e.value === null ? `no "${e.name}" cookie` : `${e.name}=${cut(e.value, max)}`;
    case 'signature-checked':
      return e.ok ? 'signature ok' : `bad signature: ${e.errorClass ?? 'error'}: ${cut(e.message ?? '', max)}`;
    case 'payload-decoded':
      return `${cut(traceJson(e.data) ?? traceRepr(e.data) ?? '<too large to show>', max)}${e.compressed ? ' (was zlib-compressed)' : ''}`;
    case 'session-opened':
      return `${e.kind} session ${cut(repr(e.data), max)}`;
    case 'session-op': {
      const arg = e.key === undefined ? '' : repr(e.key) + (e.value === undefined ? '' : `, ${repr(e.value)}`);
      return cut(`session.${e.op}(${arg})${e.result === undefined ? '' : ` → ${repr(e.result)}`}${e.modifies ? '  [modifies]' : ''}`, max);
    }
    case 'view-returned':
      if (e.noView === 'no-route') return `no route for ${e.endpoint}: ${e.status}, no view ran`;
      if (e.noView === 'method-not-allowed') return `${e.endpoint} does not allow the method: ${e.status}, no view ran`;
      if (e.noView === 'automatic-options') return `OPTIONS answered by Flask itself (Allow: the methods of ${e.endpoint}): ${e.status}, no view ran`;
      if (e.noView === 'before-request') return `before_request answered ${e.status}, no view ran`;
      return `${e.endpoint} returned ${e.status}`;
    case 'view-error':
      return `${e.endpoint} raised ${cut(e.error, max)}`;
    case 'after-request':
      return e.name;
    case 'save-decision':
      return e.action;
    case 'set-cookie-built':
      return `Set-Cookie: ${cut(e.header, max)}${e.warning ? `  (warning: ${e.warning})` : ''}`;
    case 'vary-added':
      return `Vary: ${e.value}`;
    case 'store-op': {
      const parts = [e.command, e.key];
      if (e.ttl !== undefined) parts.push(`EX ${e.ttl}`);
      if (e.bytes !== undefined) parts.push(`${e.bytes} B`);
      if (e.hit !== undefined) parts.push(e.hit ? 'hit' : 'miss');
      return cut(parts.join(' '), max);
    }
    case 'error':
      return cut(e.error, max * 3);
    case 'response-sent':
      return `${e.status}`;
  }
}

function whyOf(e: TraceEvent): string | null {
  return 'why' in e ? reasonText(e.why) : null;
}

/**
 * The trace of one exchange as lines of text: a heading `METHOD url → status`, then one line per step,
 * columns aligned: step number, stage, event type, what happened, and `— why` when the event gives one.
 * @param exchange what `app.handle` returned.
 * @param options colour and value width.
 */
export function formatExchange(exchange: Exchange, options: TraceTextOptions = {}): string {
  const color = options.color ?? false;
  const max = options.maxValue ?? 100;
  const paint = (code: string, text: string): string => (color ? `${code}${text}${ANSI.reset}` : text);
  const { request, response, trace } = exchange;
  const status = response.status;
  const statusColor = status >= 500 ? ANSI.red : status >= 400 ? ANSI.yellow : ANSI.green;
  const lines = [`${paint(ANSI.bold, `${request.method} ${request.url}`)} → ${paint(statusColor, String(status))}`];
  const typeWidth = Math.max(0, ...trace.map((e) => e.type.length));
  for (const e of trace) {
    const n = String(e.step).padStart(2, '0');
    const stage = paint(STAGE_COLOR[e.stage] ?? '', e.stage.padEnd(8));
    const type = e.type === 'error' ? paint(ANSI.red, e.type.padEnd(typeWidth)) : e.type.padEnd(typeWidth);
    const why = whyOf(e);
    lines.push(`  ${paint(ANSI.dim, n)} ${stage} ${type}  ${summary(e, max)}${why ? paint(ANSI.dim, ` — ${why}`) : ''}`);
  }
  return lines.join('\n');
}
