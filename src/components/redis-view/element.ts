// <redis-view>: the only code a page with the Redis view loads up front (components/touch-island.ts). The
// controller (the engine, and ioredis-mock when a Redis mode is used) loads when the reader first touches the view;
// a click or a mode change made meanwhile is replayed to it.
import { defineTouchIsland } from '../touch-island.ts';

defineTouchIsland('redis-view', {
  load: () => import('./controller.ts'),
  wakeOn: ['focusin', 'pointerdown', 'click', 'change', 'keydown'],
  replayed: ['click', 'change'],
});
