// A student's name, as the class name form, the export and the class server accept it: 1 to 60 characters once
// trimmed, no `<` or `>` (a name is always shown as text, but markup in one is refused outright, so nobody has to
// wonder), no control characters or line breaks. Pure; the class server's checkName applies the same rules.

/** Longest name, in characters (code points). */
export const MAX_STUDENT_NAME = 60;

/** Why a name is refused; each has a sentence in both languages (src/classroom/i18n.ts). */
export type NameProblem = 'empty' | 'too-long' | 'markup' | 'control';

/** What is wrong with `raw` as a student's name, or null when it is fine. */
export function nameProblem(raw: string): NameProblem | null {
  const name = raw.trim();
  if (!name) return 'empty';
  if ([...name.normalize('NFC')].length > MAX_STUDENT_NAME) return 'too-long';
  if (/[<>]/.test(name)) return 'markup';
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'control';
  return null;
}
