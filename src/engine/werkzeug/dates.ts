// Mirrors Werkzeug's `http_date` and `parse_date` (thin wrappers over CPython 3.11's email.utils). The rest of the
// engine follows Werkzeug 3.1.3; these two functions are the same at 3.1.3 and at 2.2.2 (Debian 12's) apart from
// type hints, so one port serves both stacks:
// https://github.com/pallets/werkzeug/blob/3.1.3/src/werkzeug/http.py#L984
// https://github.com/pallets/werkzeug/blob/2.2.2/src/werkzeug/http.py#L915
import { pyInt, pyIsDigit, pyIsSpace } from '../python/repr.ts';
import { PyOverflowError, PyValueError } from '../python/errors.ts';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Formats a moment as an HTTP date, `Www, DD Mmm YYYY HH:MM:SS GMT` in UTC, with the year padded to 4 digits and
 * the sub-second part dropped. Mirrors `http_date` (via `email.utils.format_datetime(dt, usegmt=True)`).
 * @throws {PyValueError} for an invalid Date.
 * @throws {PyOverflowError} `date value out of range` for a UTC year outside 1–9999, which a Python datetime cannot hold.
 */
export function httpDate(d: Date): string {
  const year = d.getUTCFullYear();
  if (Number.isNaN(year)) throw new PyValueError('Invalid Date');
  // Python fails converting such a moment to UTC (`astimezone`), as no datetime can hold it.
  if (year < 1 || year > 9999) throw new PyOverflowError('date value out of range');
  return (
    `${DAYS[(d.getUTCDay() + 6) % 7]}, ${pad(d.getUTCDate(), 2)} ${MONTHS[d.getUTCMonth()]} ${pad(year, 4)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)} GMT`
  );
}

const MONTH_NAMES = [
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
];
const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
// Offsets written as ±hhmm, as in email._parseaddr.
const ZONES: Record<string, bigint> = {
  UT: 0n, UTC: 0n, GMT: 0n, Z: 0n,
  AST: -400n, ADT: -300n, EST: -500n, EDT: -400n, CST: -600n, CDT: -500n, MST: -700n, MDT: -600n, PST: -800n, PDT: -700n,
};

/** Python's `str.split()` with no separator: runs of Unicode whitespace, no empty pieces. */
function pySplit(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (const ch of s) {
    if (pyIsSpace(ch.codePointAt(0)!)) {
      if (cur) parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) parts.push(cur);
  return parts;
}

/** The fields `email.utils._parsedate_tz` extracts: year, month, day, hour, minute, second, zone offset in seconds. */
export interface DateFields {
  year: bigint;
  month: number;
  day: bigint;
  hour: bigint;
  minute: bigint;
  second: bigint;
  /** Seconds east of UTC, or null when the text has no usable zone (or says `-0000`). */
  offset: bigint | null;
}

/**
 * Splits an RFC 2822-ish date into fields, or null when it cannot. Mirrors `email._parseaddr._parsedate_tz`: an
 * optional day name, the RFC 850 `DD-Mon-YY` form, month and day in either order, 2-digit years (69–99 → 19xx,
 * else 20xx), `:` or `.` between time fields, named US zones and ±hhmm.
 */
export function parsedateTz(data: string): DateFields | null {
  if (!data) return null;
  let parts = pySplit(data);
  if (!parts.length) return null;
  if (parts[0]!.endsWith(',') || DAY_NAMES.includes(parts[0]!.toLowerCase())) parts.shift();
  else {
    const i = parts[0]!.lastIndexOf(',');
    if (i >= 0) parts[0] = parts[0]!.slice(i + 1);
  }
  if (parts.length === 3) {
    const stuff = parts[0]!.split('-');
    if (stuff.length === 3) parts = [...stuff, ...parts.slice(1)];
  }
  if (parts.length === 4) {
    const s = parts[3]!;
    let i = s.indexOf('+');
    if (i === -1) i = s.indexOf('-');
    if (i > 0) parts.splice(3, 1, s.slice(0, i), s.slice(i));
    else parts.push('');
  }
  if (parts.length < 5) return null;
  let [dd, mm, yy, tm, tz] = parts as [string, string, string, string, string];
  if (!(dd && mm && yy)) return null;
  mm = mm.toLowerCase();
  if (!MONTH_NAMES.includes(mm)) {
    [dd, mm] = [mm, dd.toLowerCase()];
    if (!MONTH_NAMES.includes(mm)) return null;
  }
  let month = MONTH_NAMES.indexOf(mm) + 1;
  if (month > 12) month -= 12;
  if (dd.endsWith(',')) dd = dd.slice(0, -1);
  if (yy.indexOf(':') > 0) [yy, tm] = [tm, yy];
  if (yy.endsWith(',')) {
    yy = yy.slice(0, -1);
    if (!yy) return null;
  }
  if (!pyIsDigit(yy.codePointAt(0)!)) [yy, tz] = [tz, yy];
  if (tm.endsWith(',')) tm = tm.slice(0, -1);
  let clock = tm.split(':');
  let thh: string;
  let tmm: string;
  let tss: string;
  if (clock.length === 2) [thh, tmm, tss] = [clock[0]!, clock[1]!, '0'];
  else if (clock.length === 3) [thh, tmm, tss] = clock as [string, string, string];
  else if (clock.length === 1 && clock[0]!.includes('.')) {
    // Some mailers separate the time fields with dots.
    clock = clock[0]!.split('.');
    if (clock.length === 2) [thh, tmm, tss] = [clock[0]!, clock[1]!, '0'];
    else if (clock.length === 3) [thh, tmm, tss] = clock as [string, string, string];
    else return null;
  } else return null;
  let year: bigint;
  let day: bigint;
  let hour: bigint;
  let minute: bigint;
  let second: bigint;
  try {
    year = pyInt(yy);
    day = pyInt(dd);
    hour = pyInt(thh);
    minute = pyInt(tmm);
    second = pyInt(tss);
  } catch (e) {
    if (e instanceof PyValueError) return null;
    throw e;
  }
  if (year < 100n) year += year > 68n ? 1900n : 2000n;
  let offset: bigint | null = null;
  const zone = tz.toUpperCase();
  if (Object.hasOwn(ZONES, zone)) offset = ZONES[zone]!;
  else {
    try {
      offset = pyInt(zone);
    } catch (e) {
      if (!(e instanceof PyValueError)) throw e;
    }
    if (offset === 0n && zone.startsWith('-')) offset = null;
  }
  if (offset) {
    const sign = offset < 0n ? -1n : 1n;
    const abs = offset < 0n ? -offset : offset;
    offset = sign * ((abs / 100n) * 3600n + (abs % 100n) * 60n);
  }
  return { year, month, day, hour, minute, second, offset };
}

/** A parsed HTTP date: the moment, and the zone offset the text carried (null when it had none, i.e. UTC assumed). */
export interface ParsedDate {
  date: Date;
  offsetSeconds: number | null;
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;

function daysInMonth(year: number, month: number): number {
  return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/**
 * Parses a date as Werkzeug's `parse_date` does (`email.utils.parsedate_to_datetime`, naive results taken as
 * UTC), keeping the zone offset. Null for text that does not parse or a field out of range (day 32, hour 24, an
 * offset of a day or more, a year outside 1–9999).
 * @throws {PyOverflowError} when a field does not fit a C int, or the offset exceeds 999999999 days, as Python does
 *   (Werkzeug only catches TypeError and ValueError).
 */
export function parseDateWithOffset(text: string | null | undefined): ParsedDate | null {
  if (text == null) return null;
  const f = parsedateTz(text);
  if (!f) return null;
  if (f.offset !== null) {
    // timedelta(seconds=...) then timezone(...), evaluated before the datetime itself.
    let days = f.offset / 86400n;
    if (f.offset < 0n && f.offset % 86400n !== 0n) days -= 1n;
    if (days > 999999999n || days < -999999999n) throw new PyOverflowError(`days=${days}; must have magnitude <= 999999999`);
    if (f.offset <= -86400n || f.offset >= 86400n) return null;
  }
  for (const v of [f.year, f.day, f.hour, f.minute, f.second]) {
    if (v > INT_MAX) throw new PyOverflowError('signed integer is greater than maximum');
    if (v < INT_MIN) throw new PyOverflowError('signed integer is less than minimum');
  }
  const year = Number(f.year);
  const day = Number(f.day);
  const [hour, minute, second] = [Number(f.hour), Number(f.minute), Number(f.second)];
  if (year < 1 || year > 9999) return null;
  if (day < 1 || day > daysInMonth(year, f.month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, f.month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const offsetSeconds = f.offset === null ? null : Number(f.offset);
  if (offsetSeconds) d.setTime(d.getTime() - offsetSeconds * 1000);
  return { date: d, offsetSeconds };
}

/**
 * Parses an HTTP/RFC 2822 date into a Date, or null when it cannot. Mirrors `parse_date` (2.2.2 and 3.1.3 alike); use
 * {@link parseDateWithOffset} to keep the zone.
 * @throws {PyOverflowError} as {@link parseDateWithOffset} does.
 */
export function parseDate(text: string | null | undefined): Date | null {
  return parseDateWithOffset(text)?.date ?? null;
}
