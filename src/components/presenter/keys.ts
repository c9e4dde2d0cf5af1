// What a key press means in presenter mode, and where the mode's state lives (localStorage and the address), as
// pure functions the page script and the tests share.

/** localStorage key holding '1' while presenter mode is on. */
export const STORAGE_KEY = 'flask-session-lab:present';
/** The address parameter that turns presenter mode on (`?present`) or off (`?present=0`), for bookmarks. */
export const PARAM = 'present';

export type PresenterMove = 'toggle' | 'next' | 'prev' | 'exit';

interface KeyLike {
  key: string;
  code: string;
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/**
 * The move a key press asks for, or null. Alt+Shift+P toggles (read by its physical key: on a Mac, Option+Shift+P
 * types "∏"); the arrows, Page Down / Page Up (what presentation clickers send) and Escape act only while
 * presenting, and never with a modifier (Shift+arrow selects text).
 */
export function moveFor(event: KeyLike, presenting: boolean): PresenterMove | null {
  if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyP') return 'toggle';
  if (!presenting || event.altKey || event.shiftKey || event.ctrlKey || event.metaKey) return null;
  switch (event.key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
      return 'next';
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
      return 'prev';
    case 'Escape':
      return 'exit';
    default:
      return null;
  }
}

/** What the address says: true for `?present` (any value but 0/false/off), false for `?present=0`, null when silent. */
export function paramState(search: string): boolean | null {
  const params = new URLSearchParams(search);
  if (!params.has(PARAM)) return null;
  return !['0', 'false', 'off'].includes((params.get(PARAM) ?? '').toLowerCase());
}

/** The address with `?present` added (on) or removed (off), everything else (other parameters, the fragment) kept. */
export function withParam(href: string, on: boolean): string {
  const url = new URL(href);
  url.searchParams.delete(PARAM);
  const rest = url.searchParams.toString();
  url.search = on ? (rest ? `${rest}&${PARAM}` : PARAM) : rest;
  return url.href;
}
