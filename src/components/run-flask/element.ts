// <run-flask>: moves itself under the lesson listing it runs (the code block titled with its file) and shows
// itself; the runtime and the rendering load on the first press of its button.
class RunFlask extends HTMLElement {
  private placed = false;

  connectedCallback(): void {
    // Moving the element connects it again: place and wire it once.
    if (this.placed) return;
    this.placed = true;
    const file = this.dataset.file;
    const block = [...document.querySelectorAll<HTMLElement>('.expressive-code')].find((b) => b.querySelector('.title')?.textContent?.trim() === file);
    if (block) block.after(this);
    this.hidden = false;
    const button = this.querySelector<HTMLButtonElement>('[data-run]');
    button?.addEventListener('click', () => {
      void import('./run.ts').then((m) => m.runListing(this));
    });
  }
}

if (!customElements.get('run-flask')) customElements.define('run-flask', RunFlask);

export {};
