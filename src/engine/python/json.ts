// Python's json module as CPython 3.11 behaves (the C encoder and scanner in _json.c):
// https://github.com/python/cpython/blob/v3.11.2/Lib/json/__init__.py
// The pieces live in python/json/: limits.ts (nesting depth, int digits), encode.ts (`dumps` and the number and
// string text it writes), decode.ts (`loads`), utf8.ts (strict UTF-8 with Python's messages). Import from here.
export { INT_LIMIT_HINT, INT_MAX_STR_DIGITS, MAX_DEPTH } from './json/limits.ts';
export { dumps, encodeString, floatRepr, intRepr, strLess, type DumpsOptions } from './json/encode.ts';
export { loads, loadsWith, type LoadsOptions } from './json/decode.ts';
export { decodeUtf8 } from './json/utf8.ts';
