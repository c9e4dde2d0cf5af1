// <cookie-inspector>: the only code the inspector page loads up front (components/touch-island.ts). The controller,
// and with it the engine, loads when the reader first touches the inspector; a click or edit made meanwhile is
// replayed to it.
import { defineTouchIsland } from '../touch-island.ts';

defineTouchIsland('cookie-inspector', {
  load: () => import('./controller.ts'),
  wakeOn: ['focusin', 'pointerdown', 'input', 'change', 'click', 'keydown'],
  replayed: ['input', 'change', 'click'],
  // `#cookie=<value>` (the exercise results link here) opens that cookie, as if the reader had pasted it.
  connected(root) {
    const hash = /^#cookie=(.+)$/.exec(window.location.hash);
    const field = root.querySelector<HTMLTextAreaElement>('textarea[name="cookie"]');
    if (!hash || !field) return;
    try {
      field.value = decodeURIComponent(hash[1]!);
    } catch {
      return;
    }
    field.dispatchEvent(new Event('input', { bubbles: true }));
  },
});
