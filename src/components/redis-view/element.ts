// <redis-view>: the only code a page with the Redis view loads up front. It waits for the reader to touch the
// view, then imports the controller (the engine, and ioredis-mock when a Redis mode is used) and hands over the
// click or change that woke it.

type Controller = typeof import('./controller.ts');

const WAKE_EVENTS = ['focusin', 'pointerdown', 'click', 'change', 'keydown'] as const;

class RedisViewElement extends HTMLElement {
  private controller: Promise<Controller> | null = null;
  private readonly wake = (event: Event) => {
    this.controller ??= import('./controller.ts').then((c) => {
      for (const type of WAKE_EVENTS) this.removeEventListener(type, this.wake, true);
      c.attach(this);
      return c;
    });
    // A click or a mode change made before the controller arrived is replayed once it is attached.
    if (event.type === 'click' || event.type === 'change') {
      void this.controller.then((c) => c.replay(this, event));
    }
  };

  connectedCallback(): void {
    for (const type of WAKE_EVENTS) this.addEventListener(type, this.wake, true);
  }

  disconnectedCallback(): void {
    for (const type of WAKE_EVENTS) this.removeEventListener(type, this.wake, true);
  }
}

if (!customElements.get('redis-view')) customElements.define('redis-view', RedisViewElement);
