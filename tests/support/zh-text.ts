// What a Chinese reader would flag in a page's text: stray spaces, ASCII punctuation after Chinese, English words.
import { CJK_LETTER, dropsBreak } from '../../src/markdown/cjk-soft-breaks.mjs';

export interface Finding {
  /** the matched text with a few characters either side */
  context: string;
}

function around(text: string, start: number, end: number): string {
  return text.slice(Math.max(0, start - 8), end + 8).replace(/[\u0001\u0002]/g, '¦').replace(/\s+/g, ' ');
}

/** Spaces (a line break included) between two Chinese characters or beside full-width punctuation. */
export function straySpaces(text: string): Finding[] {
  const found: Finding[] = [];
  for (const m of text.matchAll(/(\S)[ \t\r\n]+(?=(\S))/g)) {
    if (dropsBreak(m[1], m[2])) found.push({ context: around(text, m.index, m.index + m[0].length + 1) });
  }
  return found;
}

/** ASCII punctuation written right after a Chinese character ("当前时间: ", "收到请求. "). */
export function asciiPunctuation(text: string): Finding[] {
  const found: Finding[] = [];
  // A title in 《》 is quoted as it was published.
  text = text.replace(/《[^》]*》/g, (t) => '\u0001'.repeat(t.length));
  for (const m of text.matchAll(/(\S)([,.:;!?])(?=[\s\u0001]|$)|(\S)\(|\)(?=(\S))/g)) {
    const han = m[1] ?? m[3] ?? m[4];
    if (han && CJK_LETTER.test(han)) found.push({ context: around(text, m.index, m.index + m[0].length) });
  }
  return found;
}
