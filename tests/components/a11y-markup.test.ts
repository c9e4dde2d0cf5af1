import { describe, expect, it } from 'vitest';
import { splitCookie } from '../../src/components/inspector/inspect.ts';
import { partsHtml } from '../../src/components/inspector/view.ts';
import { inspectorStrings } from '../../src/i18n/inspector.ts';
import { STRINGS } from '../../src/components/visualizer/i18n.ts';
import { Lab } from '../../src/components/visualizer/model.ts';
import { renderAnatomy, renderTrace } from '../../src/components/visualizer/render.ts';

// What the widgets' markup says to a screen reader, beyond what axe can judge: colour keys are not read aloud, and
// the visualizer's headings follow the page's outline at the level it is placed on.

const COOKIE = 'eyJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.EMJOpgH63SvAAgrjv24dP-yX7g8';

/** The text a screen reader reads from an HTML fragment: everything outside aria-hidden elements. */
function spoken(html: string): string {
  let out = html;
  // Innermost hidden elements first, so nested ones go too.
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/<(\w+)[^>]*aria-hidden="true"[^>]*>[^<]*<\/\1>/g, '');
  }
  return out.replace(/<[^>]+>/g, '');
}

describe('colour keys are not read aloud', () => {
  for (const lang of ['en', 'zh-cn'] as const) {
    it(`the inspector's legend reads its three names without the ■ squares (${lang})`, () => {
      const t = inspectorStrings[lang];
      const html = partsHtml(splitCookie(COOKIE)!, t);
      const legend = html.slice(html.indexOf('ci-legend'));
      expect(legend).toContain('■');
      expect(spoken(legend)).not.toContain('■');
      for (const name of Object.values(t.partsLabel)) expect(spoken(legend)).toContain(name);
    });
  }

  it("the visualizer's cookie legend hides its swatches and keeps the part names", async () => {
    const lab = await Lab.open('login');
    const state = lab.snapshot();
    const set = state.history.at(-1)!.setCookie!.anatomy!;
    for (const t of [STRINGS.en, STRINGS['zh-CN']]) {
      const html = renderAnatomy(t, set);
      const swatches = html.match(/<span[^>]*class="viz-swatch[^"]*"[^>]*>/g) ?? [];
      expect(swatches).toHaveLength(3);
      for (const s of swatches) expect(s).toContain('aria-hidden="true"');
      for (const name of [t.payload, t.timestamp, t.signature]) expect(spoken(html)).toContain(name);
    }
  });
});

describe("the visualizer's trace follows the page's outline", () => {
  it('at level 3 (in a lesson) and at level 2 (on the playground), with panels one level below and no landmarks', async () => {
    const state = (await Lab.open('login')).snapshot();
    for (const level of [3, 2]) {
      const html = renderTrace(STRINGS.en, state, 'v', level);
      const levels = [...html.matchAll(/<h(\d)/g)].map((m) => Number(m[1]));
      expect(levels[0]).toBe(level);
      expect(Math.min(...levels)).toBe(level);
      // Each heading is at most one level below the one before it.
      for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!, `heading ${i}`).toBeLessThanOrEqual(1);
      // A <section> with a name would be a landmark; two visualizers on one page would repeat them.
      const sections = html.match(/<section[^>]*>/g) ?? [];
      expect(sections.length).toBeGreaterThan(0);
      for (const s of sections) expect(s).toContain('role="group"');
    }
  });
});
