// Which CPython the engine imitates where Python itself (not Flask, Werkzeug or itsdangerous) changed between
// the two stacks it is checked against: Debian 13's Python 3.13 (the default, beside Flask 3.1) and Debian 12's
// Python 3.11 (beside Flask 2.2). The differences it switches:
//
// - binascii.a2b_base64 (itsdangerous' base64_decode, base64.b64decode): 3.11 stops at a complete `=` run,
//   3.13 reads on past it;
// - json: 3.13 reports a trailing comma as "Illegal trailing comma before end of object/array" at the comma,
//   3.11 as "Expecting property name enclosed in double quotes" / "Expecting value" after it.

export type PythonRules = '3.13' | '3.11';

let current: PythonRules = '3.13';

/** The CPython whose behaviour the engine follows now. */
export function pythonRules(): PythonRules {
  return current;
}

/** Follow another CPython's behaviour (for every module of the engine); returns the previous choice. */
export function setPythonRules(next: PythonRules): PythonRules {
  const prev = current;
  current = next;
  return prev;
}
