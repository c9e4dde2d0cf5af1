// Hydrates each <viz-lab> when it comes near the viewport (or the learner reaches into it first).
// The island's code is one dynamic import; the engine is a second one, made on first use.
class VizLab extends HTMLElement {
  private started = false;

  connectedCallback(): void {
    const start = () => {
      if (this.started) return;
      this.started = true;
      observer.disconnect();
      import('./controller.ts')
        .then((m) => m.hydrate(this))
        .catch(() => {
          this.dataset.state = 'failed';
        });
    };
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && start(), { rootMargin: '200px' });
    observer.observe(this);
    this.addEventListener('focusin', start, { once: true });
    this.addEventListener('pointerdown', start, { once: true });
    // Until hydration, the address form must not reload the page.
    this.addEventListener('submit', (event) => this.dataset.state !== 'ready' && event.preventDefault());
  }
}
if (!customElements.get('viz-lab')) customElements.define('viz-lab', VizLab);

export {};
