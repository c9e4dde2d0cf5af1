// Runs one lesson listing on the real Flask in the page (the shared exercise runtime), then fills in the real
// exchange next to each of the engine's, and whatever the file printed or raised.
import { PANEL_STRINGS, fill, toPanelLang } from '../exercises/i18n.ts';
import { renderExchange } from '../exercises/results.ts';
import { missingHtml, progressText } from '../exercises/controller.ts';
import { RuntimeMissing, onLoadProgress, pageRunner, versionsOf } from '../exercises/runner.ts';
import { esc } from '../visualizer/render.ts';

/** The time one run of a listing may take, once Python is loaded. */
const SNIPPET_TIME_LIMIT_MS = 10_000;

/** Runs the listing of one <run-flask> and shows the result. */
export async function runListing(root: HTMLElement): Promise<void> {
  const lang = toPanelLang(root.dataset.lang);
  const t = PANEL_STRINGS[lang];
  const button = root.querySelector<HTMLButtonElement>('[data-run]')!;
  const status = root.querySelector<HTMLElement>('[data-status]')!;
  const extra = root.querySelector<HTMLElement>('[data-extra]')!;
  if (button.disabled) return;
  button.disabled = true;
  status.textContent = t.runRealRunning;
  const stop = onLoadProgress((p) => {
    if (p.phase !== 'ready') status.textContent = progressText(t, p);
  });
  try {
    const { runner, info } = await pageRunner(lang);
    stop();
    status.textContent = t.runRealRunning;
    const request = JSON.parse(root.querySelector('[data-request]')?.textContent ?? '{}') as { code: string; filename: string };
    const answer = await runner.runSnippet(request, { timeLimitMs: SNIPPET_TIME_LIMIT_MS });
    const flask = versionsOf(info).flask ?? '?';
    for (const label of root.querySelectorAll<HTMLElement>('[data-real-label]')) label.textContent = fill(t.realColumn, { flask });
    root.querySelectorAll<HTMLElement>('[data-pair]').forEach((pair, i) => {
      const real = pair.querySelector<HTMLElement>('[data-real]')!;
      const x = answer.exchanges[i];
      real.querySelector('.run-flask-pending')?.remove();
      real.querySelector('ul')?.remove();
      if (x) real.insertAdjacentHTML('beforeend', `<ul class="ex-exchanges">${renderExchange(t, lang, x, i + 1)}</ul>`);
    });
    const blocks = [
      answer.exception ? `<p class="ex-x-label">${esc(t.exception)}</p><pre class="ex-message">${esc(answer.exception)}</pre>` : '',
      answer.stdout ? `<p class="ex-x-label">${esc(t.stdout)}</p><pre class="ex-output">${esc(answer.stdout)}</pre>` : '',
      answer.stderr ? `<p class="ex-x-label">${esc(t.stderr)}</p><pre class="ex-output">${esc(answer.stderr)}</pre>` : '',
    ];
    extra.innerHTML = blocks.join('');
    root.dataset.ran = answer.exception ? 'exception' : 'ok';
    status.textContent = fill(t.runRealDone, { flask, n: answer.exchanges.length });
  } catch (e) {
    stop();
    if (e instanceof RuntimeMissing) {
      extra.innerHTML = missingHtml(t, { missing: e.what, howto: e.howto });
      status.textContent = t.runtimeMissing;
    } else status.textContent = fill(t.runtimeFailed, { why: e instanceof Error ? e.message : String(e) });
  } finally {
    button.disabled = false;
  }
}
