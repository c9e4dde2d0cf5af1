// <cookie-inspector>: the only code the inspector page loads up front. It waits for the reader to touch the
// inspector, then imports the controller (and with it the engine) and hands over the event that woke it.

type Controller = typeof import('./controller.ts');

const WAKE_EVENTS = ['focusin', 'pointerdown', 'input', 'change', 'click', 'keydown'] as const;

class CookieInspector extends HTMLElement {
  private controller: Promise<Controller> | null = null;
  private readonly wake = (event: Event) => {
    this.controller ??= import('./controller.ts').then((c) => {
      for (const type of WAKE_EVENTS) this.removeEventListener(type, this.wake, true);
      c.attach(this);
      return c;
    });
    // A click or edit made before the controller arrived is replayed once it is attached.
    if (event.type !== 'focusin' && event.type !== 'pointerdown' && event.type !== 'keydown') {
      void this.controller.then((c) => c.replay(this, event));
    }
  };

  connectedCallback(): void {
    for (const type of WAKE_EVENTS) this.addEventListener(type, this.wake, true);
    // `#cookie=<value>` (the exercise results link here) opens that cookie, as if the reader had pasted it.
    const hash = /^#cookie=(.+)$/.exec(window.location.hash);
    const field = this.querySelector<HTMLTextAreaElement>('textarea[name="cookie"]');
    if (hash && field) {
      try {
        field.value = decodeURIComponent(hash[1]!);
      } catch {
        return;
      }
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }

  disconnectedCallback(): void {
    for (const type of WAKE_EVENTS) this.removeEventListener(type, this.wake, true);
  }
}

if (!customElements.get('cookie-inspector')) customElements.define('cookie-inspector', CookieInspector);

export {};
