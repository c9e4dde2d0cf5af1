// The inspector's result panels as HTML strings, built the same way at build time and in the browser.
import { pyRepr } from '../../engine/python/repr.ts';
import { durationText, format, type InspectorStrings } from '../../i18n/inspector.ts';
import type { CookieParts, Decoded, ErrorInfo, JwtChecked, Verified } from './inspect.ts';
import { describe, escapeHtml as esc, treeHtml } from './tree.ts';

/** The cookie with its three parts coloured, and a legend naming them (its colour squares are not read aloud). */
export function partsHtml(parts: CookieParts, t: InspectorStrings): string {
  return (
    `<p class="ci-parts"><code><span class="ci-part-payload">${esc(parts.payload)}</span>.` +
    `<span class="ci-part-timestamp">${esc(parts.timestamp)}</span>.` +
    `<span class="ci-part-signature">${esc(parts.signature)}</span></code></p>` +
    `<p class="ci-legend"><span class="ci-part-payload"><span aria-hidden="true">■</span> ${esc(t.partsLabel.payload)}</span> ` +
    `<span class="ci-part-timestamp"><span aria-hidden="true">■</span> ${esc(t.partsLabel.timestamp)}</span> ` +
    `<span class="ci-part-signature"><span aria-hidden="true">■</span> ${esc(t.partsLabel.signature)}</span></p>`
  );
}

function errorHtml(label: string, e: ErrorInfo, t: InspectorStrings): string {
  const cause = e.cause ? `<br><span class="ci-cause">${esc(t.cause)} <code>${esc(e.cause.errorClass)}: ${esc(e.cause.message)}</code></span>` : '';
  return `<p class="ci-error">${esc(label)} <code class="ci-exc">${esc(e.errorClass)}: ${esc(e.message)}</code>${cause}</p>`;
}

/** The "what the cookie says" panel: parts, compression, timestamp, Python repr, typed tree, JSON. */
export function decodedHtml(d: Decoded, t: InspectorStrings): string {
  const out: string[] = [];
  if (d.parts) out.push(partsHtml(d.parts, t));
  if (d.parts) out.push(`<p class="ci-compressed">${esc(d.compressed ? t.compressed : t.notCompressed)}</p>`);
  if (d.timestamp) {
    out.push(
      `<dl class="ci-facts"><div><dt>${esc(t.signedAt)} · ${esc(t.unix)}</dt><dd><code data-field="unix">${d.timestamp.unix}</code></dd></div>` +
        `<div><dt>${esc(t.signedAt)} · ${esc(t.iso)}</dt><dd><code data-field="iso">${esc(d.timestamp.iso ?? '—')}</code></dd></div>` +
        (d.ok ? `<div><dt>${esc(t.sizes)}</dt><dd>cookie ${d.sizes.cookie} B · JSON ${d.sizes.json} B</dd></div>` : '') +
        `</dl>`,
    );
  }
  if (!d.ok) {
    out.push(`<p class="ci-bad">${esc(t.decodeFailed)} ${esc(t.stage[d.stage])}</p>`);
    out.push(errorHtml(t.errorRaised, d, t));
    return out.join('');
  }
  out.push(`<h3>${esc(t.pythonRepr)}</h3><pre class="ci-pre"><code data-field="repr">${esc(pyRepr(d.data))}</code></pre>`);
  out.push(`<h3>${esc(t.tree)}</h3>${treeHtml(describe(d.data), t.empty)}`);
  out.push(`<h3>${esc(t.jsonInside)}</h3><pre class="ci-pre"><code data-field="json">${esc(d.json)}</code></pre>`);
  return out.join('');
}

/** The clock a verdict was reached with: the moment checked (Unix seconds), max_age (null: none), and whether it is the real time. */
export interface CheckContext {
  now: number;
  maxAge: number | null;
  real: boolean;
}

function isoOf(unix: number): string {
  const ms = unix * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().replace('.000Z', 'Z') : String(unix);
}

/**
 * The signature panel: the verdict, why, the exception raised, until when Flask accepts the cookie, and (with
 * `check`) the moment and max_age the verdict was reached with.
 */
export function verdictHtml(v: Verified, t: InspectorStrings, check?: CheckContext): string {
  const tone = v.accepted ? 'ci-good' : v.verdict === 'no-secret' ? 'ci-neutral' : 'ci-bad';
  const out = [`<p class="ci-verdict ${tone}" data-verdict="${v.verdict}"><strong>${esc(t.verdict[v.verdict])}</strong></p>`, `<p>${esc(t.why[v.verdict])}</p>`];
  if (v.error) out.push(errorHtml(t.errorRaised, v.error, t));
  if (v.signatureOk && v.expiresAt?.iso) out.push(`<p class="ci-expiry">${esc(t.expiresAt)}: <code data-field="expires">${esc(v.expiresAt.iso)}</code></p>`);
  if (check) {
    const now = `${isoOf(check.now)}${check.real ? t.realTime : ''}`;
    const line = check.maxAge === null ? format(t.checkedAtNoMaxAge, { now }) : format(t.checkedAt, { now, maxAge: durationText(check.maxAge, t) });
    out.push(`<p class="ci-checked" data-field="checked">${esc(line)}</p>`);
  }
  return out.join('');
}

/** The re-sign result: the new cookie, or why it could not be made. */
export function signedHtml(result: { ok: true; cookie: string } | ({ ok: false } & ErrorInfo), t: InspectorStrings): string {
  if (!result.ok) return errorHtml('', result, t);
  return (
    `<p><strong>${esc(t.resignedLabel)}</strong></p><pre class="ci-pre ci-wrap"><code data-field="resigned">${esc(result.cookie)}</code></pre>` +
    `<button type="button" class="ci-button" data-action="use-resigned">${esc(t.useCookie)}</button>`
  );
}

/** Fills `{name}` placeholders and escapes the result for HTML. */
export function text(template: string, values: Record<string, string | number> = {}): string {
  return esc(format(template, values));
}

/** The decoded panel for a JWT: a notice that it is another format, its three parts, header and payload. */
export function jwtDecodedHtml(value: string, c: JwtChecked, t: InspectorStrings): string {
  const j = t.jwt;
  const [h = '', p = '', sig = ''] = value.trim().split('.');
  const out = [
    `<p class="ci-notice" data-field="jwt-notice"><strong>${esc(j.notice)}</strong></p>`,
    `<p class="ci-parts"><code><span class="ci-part-payload">${esc(h)}</span>.<span class="ci-part-timestamp">${esc(p)}</span>.<span class="ci-part-signature">${esc(sig)}</span></code></p>`,
    `<p class="ci-legend"><span class="ci-part-payload"><span aria-hidden="true">■ </span>${esc(j.parts.header)}</span> ` +
      `<span class="ci-part-timestamp"><span aria-hidden="true">■ </span>${esc(j.parts.payload)}</span> ` +
      `<span class="ci-part-signature"><span aria-hidden="true">■ </span>${esc(j.parts.signature)}</span></p>`,
  ];
  if (!c.decoded) {
    out.push(`<p class="ci-bad">${esc(j.verdict[c.verdict])}</p><p class="ci-error"><code class="ci-exc">${esc(c.message ?? '')}</code></p>`);
    return out.join('');
  }
  out.push(`<h3>${esc(j.header)}</h3><pre class="ci-pre"><code data-field="jwt-header">${esc(c.decoded.headerJson)}</code></pre>`);
  out.push(`<h3>${esc(j.payload)}</h3><pre class="ci-pre"><code data-field="jwt-payload">${esc(c.decoded.payloadJson)}</code></pre>`);
  return out.join('');
}

/** The signature panel for a JWT: the verdict and why. */
export function jwtVerdictHtml(c: JwtChecked, t: InspectorStrings): string {
  const tone = c.verdict === 'valid' ? 'ci-good' : c.verdict === 'no-secret' ? 'ci-neutral' : 'ci-bad';
  return `<p class="ci-verdict ${tone}" data-verdict="jwt-${c.verdict}"><strong>${esc(t.jwt.verdict[c.verdict])}</strong></p><p>${esc(t.jwt.why[c.verdict])}</p>`;
}
