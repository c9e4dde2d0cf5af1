// The limits CPython 3.11 puts on JSON work, shared by the encoder and the decoder.

/**
 * Containers nested deeper than this throw {@link PyRecursionError} in {@link dumps} and {@link loads}. It is the
 * depth where `json.loads` and `json.dumps` give up when called at the top of a fresh CPython 3.11 process (994
 * levels pass, 995 fail); deeper in a call stack Python gives up a little earlier.
 */
export const MAX_DEPTH = 994;

/** Python's limit on decimal digits when converting between int and str (`sys.get_int_max_str_digits()`). */
export const INT_MAX_STR_DIGITS = 4300;

export const INT_LIMIT_HINT = 'use sys.set_int_max_str_digits() to increase the limit';
