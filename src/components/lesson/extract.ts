// Cuts one declaration out of a TypeScript source file at build time, so a lesson can show a single
// function or method of the engine exactly as it is written, without pasting it.

/** Finds the end of the block that opens at `open` (a `{`), skipping strings, templates, comments and regexes. */
function matchBrace(src: string, open: number): number {
  let depth = 0;
  // Each entry is the brace depth at which a template literal's `${` was opened.
  const templates: number[] = [];
  let prev = '';
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i === -1) return -1;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i + 2) + 1;
      if (i === 0) return -1;
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipQuoted(src, i, c);
      prev = c;
      continue;
    }
    if (c === '`' || (c === '}' && templates.length && templates[templates.length - 1] === depth)) {
      if (c === '}') templates.pop();
      i = skipTemplate(src, i + 1, templates, depth);
      prev = '`';
      continue;
    }
    if (c === '/' && (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev) || /\b(return|typeof)\s*$/.test(src.slice(Math.max(0, i - 8), i)))) {
      i = skipRegex(src, i);
      prev = '/';
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
    if (!/\s/.test(c)) prev = c;
  }
  return -1;
}

function skipQuoted(src: string, i: number, q: string): number {
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === q) return j;
  }
  return src.length;
}

/** Skips template text from `i` up to its closing backtick, or up to a `${` (recording the depth to return to). */
function skipTemplate(src: string, i: number, templates: number[], depth: number): number {
  for (let j = i; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === '`') return j;
    else if (src[j] === '$' && src[j + 1] === '{') {
      templates.push(depth);
      return j + 1; // the `{` is skipped: the expression inside is scanned at the same depth
    }
  }
  return src.length;
}

function skipRegex(src: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return j;
    else if (c === '\n') return j;
  }
  return src.length;
}

const MODIFIERS = '(?:(?:export|default|declare|abstract|async|static|override|public|private|protected|readonly|get|set)\\s+)*';

/** Start offset of the line declaring `name` inside `src[from, to)`, or -1. */
function findDeclaration(src: string, name: string, from: number, to: number): number {
  const esc = name.replace(/[$]/g, '\\$');
  const re = new RegExp(
    `^[ \\t]*${MODIFIERS}(?:function\\*?\\s+${esc}\\b|class\\s+${esc}\\b|interface\\s+${esc}\\b|type\\s+${esc}\\b|(?:const|let|var)\\s+${esc}\\b|${esc}\\s*[(<])`,
    'gm',
  );
  re.lastIndex = from;
  const m = re.exec(src);
  return m && m.index < to ? m.index : -1;
}

/** Extends a declaration's start upwards over the doc comment or line comments right above it. */
function withLeadingComments(src: string, start: number): number {
  const lines = src.slice(0, start).split('\n');
  lines.pop(); // the (empty) text before the declaration on its own line
  let keep = 0;
  let inBlock = false;
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i].trim();
    if (inBlock) {
      keep++;
      if (t.startsWith('/*')) inBlock = false;
    } else if (t.endsWith('*/')) {
      keep++;
      inBlock = !t.startsWith('/*');
    } else if (t.startsWith('//') || t.startsWith('@')) keep++;
    else break;
  }
  const removed = lines.slice(lines.length - keep).join('\n');
  return start - removed.length - (keep ? 1 : 0);
}

/** Ends a declaration: the matching `}` of its body, or the `;` of a body-less one. */
function declarationEnd(src: string, start: number): number {
  let parens = 0;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '(') parens++;
    else if (c === ')') parens--;
    else if (c === '"' || c === "'") i = skipQuoted(src, i, c);
    else if (parens === 0 && c === ';') return i;
    else if (parens === 0 && c === '{') {
      // an object type in a signature (`): { a: 1 } {`) is not a body when a `{` follows before a newline
      const end = matchBrace(src, i);
      if (end === -1) return -1;
      const after = src.slice(end + 1).match(/^\s*(;)?/);
      return after?.[1] ? end + after[0].length : end;
    }
  }
  return -1;
}

function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/**
 * The source of one declaration, with the comment above it and common indentation removed.
 * `name` is a top-level name (`dumpCookie`, `Signer`, `DEFAULT_CONFIG`) or `Class.member`
 * (`SecureCookieSessionInterface.openSession`).
 * @throws {Error} when the declaration cannot be found, so a renamed engine function fails the build.
 */
export function extract(source: string, name: string, options: { comments?: boolean } = {}): string {
  const { comments = true } = options;
  let from = 0;
  let to = source.length;
  let member = name;
  const dot = name.indexOf('.');
  if (dot !== -1) {
    const cls = name.slice(0, dot);
    member = name.slice(dot + 1);
    const cstart = findDeclaration(source, cls, 0, source.length);
    if (cstart === -1) throw new Error(`extract: no class ${cls}`);
    const cend = declarationEnd(source, cstart);
    from = source.indexOf('{', cstart) + 1;
    to = cend;
  }
  const start = findDeclaration(source, member, from, to);
  if (start === -1) throw new Error(`extract: no declaration of ${name}`);
  const end = declarationEnd(source, start);
  if (end === -1) throw new Error(`extract: unbalanced braces after ${name}`);
  const begin = comments ? withLeadingComments(source, start) : start;
  return dedent(source.slice(begin, end + 1));
}

/** Several declarations from one file, separated by a blank line. */
export function extractAll(source: string, names: string[], options: { comments?: boolean } = {}): string {
  return names.map((n) => extract(source, n, options)).join('\n\n');
}
