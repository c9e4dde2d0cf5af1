// Renders the changing parts of the visualizer to HTML strings. The same functions run at build time
// (server-rendered first state) and in the browser after each action, so both show identical markup.
import { duration, fill, reasonOf, summary, type Strings } from './i18n.ts';
import type { CookieAnatomy } from './cookie.ts';
import { formatTime, type ExchangeView, type JarEntry, type LabState, type ResponseState, type StepView } from './types.ts';
import { describeAttributes } from './jar.ts';

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The exchange on show, or null. */
function shownExchange(state: LabState): ExchangeView | null {
  return state.history[state.selected] ?? null;
}

/** The title of a step in the current language. */
export function stepTitle(t: Strings, step: StepView): string {
  return t.titles[step.key] ?? t.titles[step.type] ?? step.type;
}

/** The text the live region announces for the active step. */
export function statusText(t: Strings, state: LabState): string {
  const x = shownExchange(state);
  const step = x?.steps[state.step];
  if (!x || !step) return t.noSteps;
  return `${fill(t.stepOf, { n: String(state.step + 1), total: String(x.steps.length), title: stepTitle(t, step) })}${t.sentenceBreak}${summary(t, step.key, step.vars)}`;
}

/** The notes line: what the browser just did (tampered, dropped a cookie…). */
export function renderNotes(t: Strings, state: LabState): string {
  return state.notes.map((n) => `<p class="viz-note" data-note="${esc(n.key)}">${esc(fill(t.notes[n.key] ?? n.key, n.vars))}</p>`).join('');
}

/** A jar as a table: name, value, expiry, the attributes the browser keeps. */
function jarTable(t: Strings, jar: JarEntry[], now: number, live: boolean): string {
  if (!jar.length) return `<p class="viz-muted"${live ? ' data-jar-empty' : ''}>${esc(t.jarEmpty)}</p>`;
  const rows = jar
    .map(
      (c) =>
        `<tr${live ? ` data-cookie="${esc(c.name)}"` : ''}><th scope="row"><code>${esc(c.name)}</code></th><td><code class="viz-break"${live ? ' data-cookie-value' : ''}>${esc(c.value)}</code></td><td>${esc(c.expires === null ? t.untilClose : formatTime(c.expires))}${c.expires !== null && c.expires <= now ? `<strong class="viz-expired"${live ? ' data-expired' : ''}>${esc(fill(t.paren, { text: t.expiredMark }))}</strong>` : ''}</td><td><code>${esc(describeAttributes(c))}</code></td></tr>`,
    )
    .join('');
  return `<table class="viz-jar"><thead><tr><th scope="col">${esc(t.jarName)}</th><th scope="col">${esc(t.jarValue)}</th><th scope="col">${esc(t.jarExpires)}</th><th scope="col">${esc(t.jarAttributes)}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The cookie jar table, and what a script on the site would see of it. */
export function renderJar(t: Strings, state: LabState): string {
  const doc = state.jar.length ? `<p class="viz-small"><span>${esc(t.documentCookie)}</span> <code data-document-cookie>${esc(JSON.stringify(state.documentCookie))}</code></p>` : '';
  return jarTable(t, state.jar, state.now, true) + doc;
}

/** The virtual clock readout. */
export function renderClock(t: Strings, state: LabState): string {
  const offset = state.offset ? `<span class="viz-muted">${esc(fill(t.paren, { text: `${t.clockOffset} ${duration(t, state.offset)}` }))}</span>` : '';
  return `<span>${esc(t.clockNow)}${esc(t.colon)}<time data-clock datetime="${new Date(state.now * 1000).toISOString()}">${esc(formatTime(state.now))}</time></span>${offset}`;
}

/** The request history: one button per request sent. */
export function renderHistory(t: Strings, state: LabState): string {
  if (!state.history.length) return `<p class="viz-muted">${esc(t.historyEmpty)}</p>`;
  const items = state.history
    .map((x, i) => {
      const current = i === state.selected ? ' aria-current="true"' : '';
      const bad = x.status >= 400 ? ' data-bad' : '';
      return `<li><button type="button" class="viz-hist" data-exchange="${i}" data-focus-key="exchange-${i}"${current}>#${x.n} ${esc(x.method)} <code>${esc(x.url)}</code> <span class="viz-status"${bad}>${x.status}</span></button></li>`;
    })
    .join('');
  return `<ol class="viz-history">${items}</ol>`;
}

/** The active step's code, the library's own text (an exception line) and the engine's reason; shown in the card on wide screens and under the step on narrow ones. */
function stepExtra(t: Strings, step: StepView, attrs: boolean): string {
  // Under the step itself a session operation's code is already on show.
  const code = step.code && (attrs || step.type !== 'session-op') ? `<pre class="viz-code-extra"><code>${esc(step.code)}</code></pre>` : '';
  const literal = step.literal ? `<pre class="viz-code-extra"><code lang="en">${esc(step.literal)}</code></pre>` : '';
  const why = step.reason ? `<p class="viz-engine"><span class="viz-engine-label">${esc(t.engineSays)}${esc(t.colon)}</span><span${attrs ? ' data-current-detail' : ''}>${esc(reasonOf(t, step.reason))}</span></p>` : '';
  return code + literal + why;
}

function renderStepItem(t: Strings, step: StepView, active: boolean): string {
  const current = active ? ' aria-current="step"' : '';
  const extra = active && (step.code || step.literal || step.reason) ? `<div class="viz-step-extra">${stepExtra(t, step, false)}</div>` : '';
  return `<li data-stage="${esc(step.stage)}" data-type="${esc(step.type)}" data-tone="${step.tone}"${current}><button type="button" data-step="${step.index}" data-focus-key="step-${step.index}" tabindex="${active ? 0 : -1}"><span class="viz-step-title">${esc(stepTitle(t, step))}</span> <span class="viz-step-summary">${esc(summary(t, step.key, step.vars))}</span>${step.code && step.type === 'session-op' ? ` <code class="viz-step-code">${esc(step.code)}</code>` : ''}</button>${extra}</li>`;
}

function headerBlock(first: string, headers: [string, string][]): string {
  return `<pre class="viz-http"><code>${esc([first, ...headers.map(([k, v]) => `${k}: ${v}`)].join('\n'))}</code></pre>`;
}

/** A cookie value in three coloured parts, then what each part decodes to. */
export function renderAnatomy(t: Strings, a: CookieAnatomy): string {
  const dot = '<span class="viz-dot">.</span>';
  const parts = `<code class="viz-cookie viz-break">${a.compressed ? dot : ''}<span class="viz-part viz-payload" title="${esc(t.payload)}">${esc(a.payload)}</span>${a.timestamp ? dot : ''}<span class="viz-part viz-timestamp" title="${esc(t.timestamp)}">${esc(a.timestamp)}</span>${a.signature ? dot : ''}<span class="viz-part viz-signature" title="${esc(t.signature)}">${esc(a.signature)}</span></code>`;
  const legend = [
    `<dt><span aria-hidden="true" class="viz-swatch viz-payload"></span>${esc(t.payload)}</dt><dd>${a.json === null ? `<span class="viz-muted">${esc(t.notDecodable)}</span>` : `<code class="viz-break" data-decoded-json>${esc(a.json)}</code>`}${a.compressed ? ` <span class="viz-muted">${esc(t.compressed)}</span>` : ''}</dd>`,
    `<dt><span aria-hidden="true" class="viz-swatch viz-timestamp"></span>${esc(t.timestamp)}</dt><dd>${a.signedAt === null ? `<span class="viz-muted">${esc(t.notDecodable)}</span>` : `<code>${a.signedAt}</code> = <time data-signed-at datetime="${new Date(a.signedAt * 1000).toISOString()}">${esc(formatTime(a.signedAt))}</time>`}</dd>`,
    `<dt><span aria-hidden="true" class="viz-swatch viz-signature"></span>${esc(t.signature)}</dt><dd>${a.signatureBytes === null ? `<span class="viz-muted">${esc(t.notDecodable)}</span>` : esc(fill(t.signatureSize, { n: String(a.signatureBytes) }))}</dd>`,
  ].join('');
  return `${parts}<dl class="viz-legend">${legend}</dl>`;
}

/** Marks a panel as the one the active step is about. */
function focusAttr(on: boolean): string {
  return on ? ' data-focus' : '';
}

/**
 * The trace: steps with Prev/Next, the active step's card, headers, the decoded cookie, the save decision and Vary.
 * `level` is the heading level of the trace's own heading (the widget's top headings, see Visualizer.astro): its
 * panels are one level below and their parts two, so the page's outline never skips a level.
 */
export function renderTrace(t: Strings, state: LabState, id: string, level = 3): string {
  const [h, hPanel, hPart] = [level, level + 1, level + 2];
  const x = shownExchange(state);
  if (!x) return `<p class="viz-muted">${esc(t.noSteps)}</p>`;
  const step = x.steps[state.step] ?? x.steps[0]!;
  const type = step.type;
  const steps = `<ol class="viz-steps" aria-labelledby="${id}-steps-h" data-steps>${x.steps.map((s) => renderStepItem(t, s, s.index === step.index)).join('')}</ol>`;
  const atStart = state.step <= 0;
  const atEnd = state.step >= x.steps.length - 1;
  const stepper = `<div class="viz-stepper"><button type="button" data-prev data-focus-key="prev"${atStart ? ' aria-disabled="true"' : ''}>← ${esc(t.prev)}</button><span class="viz-counter" aria-hidden="true">${state.step + 1} / ${x.steps.length}</span><button type="button" data-next data-focus-key="next"${atEnd ? ' aria-disabled="true"' : ''}>${esc(t.next)} →</button></div>`;

  const card = `<section role="group" class="viz-card viz-current" data-tone="${step.tone}" aria-labelledby="${id}-current-h"><h${hPanel} id="${id}-current-h">${esc(t.currentStep)}${esc(t.colon)}${esc(fill(t.stepNumbered, { n: String(state.step + 1), title: stepTitle(t, step) }))}</h${hPanel}><p data-current-summary>${esc(summary(t, step.key, step.vars))}</p>${stepExtra(t, step, true)}</section>`;

  const reached = (types: StepView['type'][]) => x.steps.some((s) => s.index <= step.index && types.includes(s.type));
  const last = step.index === x.steps[x.steps.length - 1]!.index;

  const requestFocus = type === 'request-received' || type === 'cookie-read';
  const origin = `<p class="viz-small viz-muted" data-request-kind>${esc(`${x.scheme}://${x.host}`)} · ${esc(t.initiators[x.initiator])}</p>`;
  const request = `<section role="group" class="viz-card"${focusAttr(requestFocus)} aria-labelledby="${id}-req-h"><h${hPanel} id="${id}-req-h">${esc(t.request)}</h${hPanel}>${origin}${headerBlock(`${x.method} ${x.url} HTTP/1.1`, x.requestHeaders)}${renderChecks(t, x, hPart)}</section>`;

  const res: ResponseState | null = step.response && step.response !== 'pending' ? step.response : null;
  const responseFocus = type === 'response-sent' || type === 'view-returned' || type === 'view-error' || type === 'after-request';
  const responseBody = res
    ? `${headerBlock(`HTTP/1.1 ${statusLineOf(x, res)}`, res.headers)}<p class="viz-body-label">${esc(t.body)}</p><pre class="viz-http"><code data-body>${esc(x.body)}</code></pre>${last ? '' : `<p class="viz-muted viz-small">${esc(t.responseSoFar)}</p>`}`
    : `<p class="viz-muted" data-no-response>${esc(t.noResponseYet)}</p>`;
  const response = `<section role="group" class="viz-card"${focusAttr(responseFocus)} aria-labelledby="${id}-res-h"><h${hPanel} id="${id}-res-h">${esc(t.response)}</h${hPanel}>${responseBody}</section>`;

  const anatomyFocus = type === 'signature-checked' || type === 'payload-decoded' || type === 'set-cookie-built';
  const sent = x.sentCookie ? renderAnatomy(t, x.sentCookie) : `<p class="viz-muted">${esc(t.noSentCookie)}</p>`;
  const setBuilt = reached(['set-cookie-built']);
  const set = !setBuilt
    ? `<p class="viz-muted">${esc(x.setCookie && !last ? t.notYet : t.noSetCookie)}</p>`
    : x.setCookie
      ? x.setCookie.anatomy
        ? renderAnatomy(t, x.setCookie.anatomy)
        : `<p>${esc(t.deletesCookie)}</p>`
      : `<p class="viz-muted">${esc(t.noSetCookie)}</p>`;
  const anatomy = `<section role="group" class="viz-card"${focusAttr(anatomyFocus)} aria-labelledby="${id}-anat-h"><h${hPanel} id="${id}-anat-h">${esc(t.anatomy)}</h${hPanel}><h${hPart}>${esc(t.sentCookie)}</h${hPart}><div data-sent-cookie>${sent}</div><h${hPart}>${esc(t.setCookie)}</h${hPart}><div data-set-cookie>${set}</div></section>`;

  const d = reached(['save-decision']) ? x.decision : null;
  const decisionBody = d
    ? `<p data-decision="${d.action}">${esc(summary(t, d.key, {}))}</p><p class="viz-engine"><span class="viz-engine-label">${esc(t.engineSays)}${esc(t.colon)}</span><span data-decision-why>${esc(reasonOf(t, d.why))}</span></p>`
    : `<p class="viz-muted">${esc(x.decision ? t.notYet : t.noDecision)}</p>`;
  const decision = `<section role="group" class="viz-card"${focusAttr(type === 'save-decision')} aria-labelledby="${id}-dec-h"><h${hPanel} id="${id}-dec-h">${esc(t.decision)}</h${hPanel}>${decisionBody}</section>`;
  const varies = x.vary.filter((_, i) => x.steps.filter((s) => s.type === 'vary-added')[i]!.index <= step.index);
  const varyBody = varies.length
    ? varies.map((v) => `<p><code data-vary>Vary: ${esc(v.value)}</code></p><p class="viz-engine"><span class="viz-engine-label">${esc(t.engineSays)}${esc(t.colon)}</span><span>${esc(reasonOf(t, v.why))}</span></p>`).join('')
    : `<p class="viz-muted">${esc(x.vary.length ? t.notYet : t.noVary)}</p>`;
  const vary = `<section role="group" class="viz-card"${focusAttr(type === 'vary-added')} aria-labelledby="${id}-vary-h"><h${hPanel} id="${id}-vary-h">${esc(t.vary)}</h${hPanel}>${varyBody}</section>`;

  const jar = `<section role="group" class="viz-card"${focusAttr(last)} aria-labelledby="${id}-jar-h" data-jar-at-step><h${hPanel} id="${id}-jar-h">${esc(last ? t.jarAfter : t.jarBefore)}</h${hPanel}>${last ? renderStored(t, x) : ''}${jarTable(t, last ? x.jarAfter : x.jarBefore, x.at, false)}</section>`;

  return `<div class="viz-trace-cols"><div class="viz-steps-col"><h${h} id="${id}-steps-h">${esc(t.steps)} <span class="viz-muted">#${x.n} ${esc(x.method)} ${esc(x.url)}</span></h${h}>${stepper}${steps}</div><div class="viz-detail-col">${card}${request}${response}${decision}${anatomy}${vary}${jar}</div></div>`;
}

/** The status line of a response state (Werkzeug's text for its status). */
function statusLineOf(x: ExchangeView, r: ResponseState): string {
  return r.status === x.status ? x.statusLine : `${r.status}`;
}

/** Which stored cookies went with the request, and why the others did not. */
function renderChecks(t: Strings, x: ExchangeView, hPart: number): string {
  if (!x.checks.length) return '';
  const items = x.checks
    .map((c) => `<li data-check="${esc(c.name)}" data-sent="${c.sent}"><code>${esc(c.name)}</code><span class="viz-muted">${esc(fill(t.paren, { text: `Path=${c.path}` }))}</span>${esc(t.colon)}${esc(c.sent ? t.checkSent : t.skip[c.reason!] ?? c.reason!)}</li>`)
    .join('');
  return `<h${hPart}>${esc(t.checksHeading)}</h${hPart}><ul class="viz-checks">${items}</ul>`;
}

/** What the browser did with each Set-Cookie line. */
function renderStored(t: Strings, x: ExchangeView): string {
  if (!x.stored.length) return '';
  const items = x.stored
    .map((o) => `<li data-stored="${esc(o.name)}" data-action="${o.action}"><code>${esc(o.name)}</code>: ${esc(o.action === 'rejected' ? `${t.storeActions.rejected} ${t.reject[o.reason!] ?? o.reason}` : t.storeActions[o.action])}</li>`)
    .join('');
  return `<ul class="viz-checks">${items}</ul>`;
}
