// A widget that ships as server-rendered HTML plus this small custom element, and loads its controller (and with it
// the engine) only when the reader first touches it: the first focus, press, click, key or edit inside the element
// starts the import. Events that change something (a click, an edit) and happen before the controller has arrived
// are handed to it once it is attached, so nothing the reader did is lost. The cookie inspector and the Redis view
// are both made this way.

/** What a widget's controller module offers the element. */
export interface IslandController {
  /** Wires the widget's server-rendered markup; called once. */
  attach(root: HTMLElement): void;
  /** Acts on one event that arrived while the controller was loading. */
  replay(root: HTMLElement, event: Event): void;
}

export interface TouchIsland {
  /** The controller's dynamic import (written at the call site, so the bundler splits it off). */
  load: () => Promise<IslandController>;
  /** The events that wake the element (listened for in the capture phase). */
  wakeOn: readonly string[];
  /** Those of them replayed to the controller once it is attached. */
  replayed: readonly string[];
  /** Runs each time the element is connected, after the listeners are in place. */
  connected?: (root: HTMLElement) => void;
}

/** Defines `<tag>` once per document as a touch-to-load element. */
export function defineTouchIsland(tag: string, island: TouchIsland): void {
  if (customElements.get(tag)) return;
  class Island extends HTMLElement {
    private controller: Promise<IslandController> | null = null;
    private readonly wake = (event: Event) => {
      this.controller ??= island.load().then((c) => {
        this.listen(false);
        c.attach(this);
        return c;
      });
      if (island.replayed.includes(event.type)) void this.controller.then((c) => c.replay(this, event));
    };

    private listen(on: boolean): void {
      for (const type of island.wakeOn) (on ? this.addEventListener : this.removeEventListener).call(this, type, this.wake, true);
    }

    connectedCallback(): void {
      this.listen(true);
      island.connected?.(this);
    }

    disconnectedCallback(): void {
      this.listen(false);
    }
  }
  customElements.define(tag, Island);
}
