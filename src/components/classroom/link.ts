// <class-link>: builds the class link from the form and draws its QR code. The QR encoder (uqr) is imported on the
// first link only; its module matrix is drawn here as one SVG path (no markup from elsewhere is parsed).
import { buildClassCode, classLink, ClassCodeError } from '../../classroom/class-code.ts';
import { CLASS_STRINGS, describeClassCodeError, fill, toClassLang } from '../../classroom/i18n.ts';

const SVG = 'http://www.w3.org/2000/svg';

/** The QR code of `text` as an SVG element (dark modules as one path, a quiet zone of 4 modules). */
export async function qrSvg(text: string, label: string): Promise<SVGSVGElement> {
  const { encode } = await import('uqr');
  const qr = encode(text, { ecc: 'M', border: 4 });
  let d = '';
  qr.data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${qr.size} ${qr.size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.dataset.qrSize = String(qr.size);
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', String(qr.size));
  bg.setAttribute('height', String(qr.size));
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

class ClassLink extends HTMLElement {
  connectedCallback(): void {
    const t = CLASS_STRINGS[toClassLang(this.dataset.lang)];
    const q = <T extends HTMLElement>(sel: string) => this.querySelector<T>(sel)!;
    const form = q<HTMLFormElement>('form[data-builder]');
    const status = q<HTMLElement>('[data-link-status]');
    const out = q<HTMLElement>('[data-link-out]');
    const linkField = q<HTMLInputElement>('[data-link]');
    const nameInput = q<HTMLInputElement>('[data-class-name]');
    const qrBox = q<HTMLElement>('[data-qr]');

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = nameInput.value.trim();
      const exercises = [...form.querySelectorAll<HTMLInputElement>('input[name="exercise"]:checked')].map((i) => i.value);
      const labs = [...form.querySelectorAll<HTMLInputElement>('input[name="lab"]:checked')].map((i) => i.value);
      nameInput.removeAttribute('aria-invalid');
      if (!name) {
        nameInput.setAttribute('aria-invalid', 'true');
        status.textContent = t.needName;
        nameInput.focus();
        return;
      }
      if (exercises.length + labs.length === 0) {
        status.textContent = t.needTask;
        form.querySelector<HTMLInputElement>('input[type="checkbox"]')?.focus();
        return;
      }
      const due = q<HTMLInputElement>('[data-class-due]').value || null;
      const studentLang = q<HTMLSelectElement>('[data-class-lang]').value === 'zh-CN' ? 'zh-cn/' : '';
      let link: string;
      try {
        const code = buildClassCode({ name, exercises, labs, due });
        link = classLink(new URL(`/${studentLang}exercises/`, location.href).href, code);
      } catch (e) {
        status.textContent = e instanceof ClassCodeError ? describeClassCodeError(t, e) : String(e);
        return;
      }
      linkField.value = link;
      out.hidden = false;
      this.dataset.link = link;
      status.textContent = fill(t.linkMade, { name, n: exercises.length + labs.length });
      try {
        qrBox.replaceChildren(await qrSvg(link, fill(t.qrLabel, { name })));
      } catch (e) {
        qrBox.textContent = fill(t.qrFailed, { why: e instanceof Error ? e.message : String(e) });
      }
    });

    q<HTMLButtonElement>('[data-copy]').addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(linkField.value);
        status.textContent = t.copied;
      } catch {
        linkField.focus();
        linkField.select();
        status.textContent = t.copyFailed;
      }
    });
  }
}

if (!customElements.get('class-link')) customElements.define('class-link', ClassLink);
