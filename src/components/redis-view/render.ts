// HTML for the Redis view's panels, from a lab snapshot. Pure string functions: the Astro component uses
// them to server-render the first state and the browser controller to redraw, so both always agree.
import { commandText, resultText } from './commands.ts';
import type { JarRow, LabMode, LogEntry, StoreRow } from './model.ts';
import type { RedisViewStrings } from './i18n.ts';
import { formatTime } from '../visualizer/types.ts';

/** Escapes text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A TTL as the table shows it: the duration, or "never expires" for the tutorial's dict. */
export function ttlText(ttl: number | null, t: RedisViewStrings): string {
  if (ttl === null || ttl === -1) return t.noExpiry;
  const left = Math.max(0, ttl);
  return left < 60 ? t.seconds(left) : `${t.seconds(left)} · ${t.duration(left)}`;
}

/** The store table: key, TTL, value; one table per process for the tutorial's dicts. */
export function storeHtml(rows: StoreRow[], mode: LabMode, workers: number, t: RedisViewStrings): string {
  if (rows.length === 0) return `<p class="rv-empty">${esc(t.storeEmpty)}</p>`;
  const perWorker = mode === 'custom' && workers > 1;
  const head = `<thead><tr>${perWorker ? `<th scope="col">${esc(t.colWorker)}</th>` : ''}<th scope="col">${esc(t.colKey)}</th><th scope="col">${esc(t.colTtl)}</th><th scope="col">${esc(t.colValue)}</th></tr></thead>`;
  const body = rows
    .map(
      (r) =>
        `<tr>${perWorker ? `<td data-label="${esc(t.colWorker)}">${r.worker}</td>` : ''}` +
        `<td data-label="${esc(t.colKey)}"><code class="rv-key">${esc(r.key)}</code></td>` +
        `<td data-label="${esc(t.colTtl)}" data-ttl="${r.ttl ?? ''}" data-key="${esc(r.key)}"${r.expired ? ' data-expired="true"' : ''}>${esc(r.expired ? t.expiredStored : ttlText(r.ttl, t))}</td>` +
        `<td data-label="${esc(t.colValue)}"><code class="rv-value">${esc(r.repr)}</code> <span class="rv-meta">${esc(r.format)}${esc(t.comma)}${esc(t.bytes(r.bytes))}</span></td></tr>`,
    )
    .join('');
  return `<table class="rv-table">${head}<tbody>${body}</tbody></table>`;
}

/** One log entry: the request line, the status, the cookie sent back and the store commands. */
export function logEntryHtml(e: LogEntry, workers: number, t: RedisViewStrings): string {
  const labels = { bytes: (n: number) => `"<${t.bytes(n)}>"`, kept: t.kept, inserted: t.inserted, found: t.found };
  const commands = e.commands.length
    ? `<ul class="rv-commands">${e.commands
        .map((c) => `<li><code class="rv-cmd rv-cmd-${c.kind}">${esc(commandText(c, t))}</code> <span class="rv-result">→ ${esc(resultText(c.result, labels))}</span></li>`)
        .join('')}</ul>`
    : `<p class="rv-muted">${esc(t.noCommands)}</p>`;
  const who = workers > 1 ? `<span class="rv-worker">${esc(t.paren(t.onWorker(e.worker)))}</span>` : '';
  const cookies = e.setCookie.map((h) => `<li><code>Set-Cookie: ${esc(h)}</code></li>`).join('');
  const location = e.location ? `<li><code>Location: ${esc(e.location)}</code></li>` : '';
  const error = e.error ? `<p class="rv-error">${esc(e.error)}</p>` : '';
  return (
    `<li class="rv-entry" data-n="${e.n}"><p class="rv-request"><code>GET ${esc(e.url)}</code>${who}${who.endsWith('）</span>') ? '' : ' '}→ <strong>${e.status}</strong> ` +
    `<span class="rv-body">${esc(e.body.trim())}</span></p>${commands}${cookies || location ? `<ul class="rv-headers">${location}${cookies}</ul>` : ''}${error}</li>`
  );
}

/** The whole log, oldest first. */
export function logHtml(log: LogEntry[], workers: number, t: RedisViewStrings): string {
  return log.map((e) => logEntryHtml(e, workers, t)).join('');
}

/** The browser's cookie jar. */
export function jarHtml(jar: JarRow[], t: RedisViewStrings): string {
  if (jar.length === 0) return `<p class="rv-empty">${esc(t.jarEmpty)}</p>`;
  return `<ul class="rv-jar">${jar
    .map((c) => `<li><code class="rv-key">${esc(c.name)}=${esc(c.value)}</code> <span class="rv-meta">${esc(c.expiresIn === null ? t.browserSession : t.expiresIn(t.duration(c.expiresIn)))}</span></li>`)
    .join('')}</ul>`;
}

/** The clock line: the page's virtual time, and how far it was moved. */
export function clockText(t: RedisViewStrings, now: number, offset: number): string {
  return `${formatTime(now)} · ${t.clockNow(t.duration(offset))}`;
}
