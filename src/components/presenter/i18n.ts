// Every word presenter mode shows or says, in English and 简体中文.
export type PresenterLang = 'en' | 'zh-CN';

export interface PresenterStrings {
  /** The toggle's name, the same whether presenter mode is on or off (aria-pressed tells which). */
  toggle: string;
  /** Beside the toggle while presenter mode is off: the shortcut that turns it on. */
  shortcut: string;
  /** Under the title while presenting: what the keys do. */
  keys: string;
  /** Said by screen readers when the mode changes. */
  on: string;
  off: string;
}

/** The key that turns presenter mode on and off, as written for people and for aria-keyshortcuts. */
export const SHORTCUT = 'Alt+Shift+P';

export const PRESENTER_STRINGS: Record<PresenterLang, PresenterStrings> = {
  en: {
    toggle: 'Presenter mode',
    shortcut: `Shortcut: ${SHORTCUT}`,
    keys: '→ or Page Down: next step of the demo in view, or the next section. ← or Page Up: back. Esc: leave presenter mode.',
    on: 'Presenter mode on: larger text, navigation hidden, demos full width.',
    off: 'Presenter mode off.',
  },
  'zh-CN': {
    toggle: '演示模式',
    shortcut: `快捷键：${SHORTCUT}`,
    keys: '→ 或 Page Down：当前演示的下一步，或下一节。← 或 Page Up：上一步。Esc：退出演示模式。',
    on: '已进入演示模式：文字放大，导航隐藏，演示占满整个宽度。',
    off: '已退出演示模式。',
  },
};

export function presenterLang(lang: string | undefined | null): PresenterLang {
  return lang && lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * The pages that offer presenter mode, by Starlight route id: the lessons, the labs and the playground, in both
 * languages (`lessons/cookies`, `zh-cn/labs/weak-secret`, `playground`).
 */
export function presentable(routeId: string): boolean {
  return /^(?:zh-cn\/)?(?:lessons\/[^/]+|labs(?:\/[^/]+)?|playground)$/.test(routeId);
}
