// The exercise editor: CodeMirror 6 with Python, loaded only when an exercise is opened. Tab indents only once the
// learner has typed in the editor, and Escape hands Tab back to the page, so a keyboard user is never trapped;
// both are said on screen next to the editor. On Chinese pages the editor's own phrases are Chinese.
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { python } from '@codemirror/lang-python';
import { tags } from '@lezer/highlight';
import { EDITOR_PHRASES_ZH, type PanelLang } from './i18n.ts';

/** Colours from the page's own palette (CSS variables set per theme), so both themes keep their contrast. */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.operatorKeyword, tags.definitionKeyword, tags.moduleKeyword], color: 'var(--ex-code-keyword)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--ex-code-string)' },
  { tag: [tags.comment, tags.lineComment], color: 'var(--ex-code-comment)', fontStyle: 'italic' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--ex-code-number)' },
  { tag: [tags.function(tags.variableName), tags.function(tags.definition(tags.variableName)), tags.definition(tags.className)], color: 'var(--ex-code-def)' },
  { tag: [tags.meta, tags.annotation], color: 'var(--ex-code-meta)' },
]);

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  lang: PanelLang;
  /** The accessible name of the editing area. */
  label: string;
  /** The id of the on-screen help text (Tab and Escape). */
  describedBy: string;
  /** Called on every change of the text (after the learner or the panel changed it). */
  onChange: (code: string) => void;
  /** Called when Escape hands Tab back to the page, and when typing takes it again (true = Tab indents). */
  onTabMode: (indents: boolean) => void;
}

/** The handle the panel keeps. */
export interface ExerciseEditor {
  view: EditorView;
  getCode(): string;
  /** Replaces the whole text (solution, reset); Tab goes back to moving focus until the learner types. */
  setCode(code: string): void;
  /** Puts the cursor at the start of a 1-based line and focuses the editor. */
  goToLine(line: number): void;
  focus(): void;
  destroy(): void;
}

/** Opens an editor in `parent`. */
export function createEditor(o: EditorOptions): ExerciseEditor {
  // Tab indents only after the learner typed here; Escape gives Tab back to the page until the next keystroke.
  let tabIndents = false;
  const setTabIndents = (on: boolean) => {
    if (on === tabIndents) return;
    tabIndents = on;
    o.onTabMode(on);
  };
  const tabKeys = keymap.of([
    {
      key: 'Tab',
      run: (view) => {
        if (!tabIndents) return false;
        if (view.state.selection.ranges.some((r) => !r.empty)) return indentMore(view);
        // Python wants spaces: one indent unit, never a tab character.
        view.dispatch(view.state.update(view.state.replaceSelection(view.state.facet(indentUnit)), { scrollIntoView: true, userEvent: 'input' }));
        return true;
      },
      shift: (view) => (tabIndents ? indentLess(view) : false),
    },
    {
      key: 'Escape',
      run: () => {
        if (!tabIndents) return false;
        setTabIndents(false);
        return true;
      },
    },
  ]);
  const extensions: Extension[] = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    python(),
    // Long lines wrap and the editor grows with its text: no scrolling region inside the page, so nothing in it
    // is out of reach of the keyboard or a screen magnifier.
    EditorView.lineWrapping,
    indentUnit.of('    '),
    EditorState.tabSize.of(4),
    syntaxHighlighting(highlight),
    tabKeys,
    keymap.of([...defaultKeymap, ...historyKeymap]),
    EditorView.contentAttributes.of({ 'aria-label': o.label, 'aria-describedby': o.describedBy, spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off', translate: 'no' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) {
        if (u.transactions.some((tr) => tr.isUserEvent('input') || tr.isUserEvent('delete') || tr.isUserEvent('move') || tr.isUserEvent('undo') || tr.isUserEvent('redo'))) setTabIndents(true);
        o.onChange(u.state.doc.toString());
      }
    }),
  ];
  if (o.lang === 'zh-CN') extensions.push(EditorState.phrases.of(EDITOR_PHRASES_ZH));
  const view = new EditorView({ parent: o.parent, state: EditorState.create({ doc: o.doc, extensions }) });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code }, userEvent: 'set' });
      setTabIndents(false);
    },
    goToLine(line) {
      const n = Math.max(1, Math.min(view.state.doc.lines, line));
      const at = view.state.doc.line(n).from;
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
