import { describe, expect, it } from 'vitest';
import { httpDate, parseDate, parseDateWithOffset, parsedateTz } from '../../../src/engine/werkzeug/dates.ts';
import { PyOverflowError } from '../../../src/engine/python/errors.ts';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date => {
  const x = new Date(0);
  x.setUTCFullYear(y, mo - 1, d);
  x.setUTCHours(h, mi, s, ms);
  return x;
};

describe('httpDate', () => {
  it('formats in UTC with English names, padding and truncation', () => {
    expect(httpDate(utc(2024, 1, 2, 3, 4, 5, 678))).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    expect(httpDate(utc(5, 1, 1))).toBe('Sat, 01 Jan 0005 00:00:00 GMT');
    expect(httpDate(utc(2023, 11, 14, 22, 13, 20))).toBe('Tue, 14 Nov 2023 22:13:20 GMT');
    expect(httpDate(utc(9999, 12, 31, 23, 59, 59, 999))).toBe('Fri, 31 Dec 9999 23:59:59 GMT');
    expect(httpDate(new Date(-1))).toBe('Wed, 31 Dec 1969 23:59:59 GMT');
  });
  it('refuses moments no Python datetime can hold', () => {
    expect(() => httpDate(utc(10000, 1, 1))).toThrow(PyOverflowError);
    expect(() => httpDate(utc(0, 12, 31))).toThrow(PyOverflowError);
    expect(() => httpDate(new Date(NaN))).toThrow('Invalid Date');
  });
});

describe('parseDate (Werkzeug 2.2 over email.utils)', () => {
  const cases: [string, Date | null, number | null][] = [
    ['Tue, 02 Jan 2024 03:04:05 GMT', utc(2024, 1, 2, 3, 4, 5), 0],
    ['Tue, 02 Jan 2024 03:04:05 +0200', utc(2024, 1, 2, 1, 4, 5), 7200],
    ['Tue, 02 Jan 2024 03:04:05 -0130', utc(2024, 1, 2, 4, 34, 5), -5400],
    ['Tue, 02 Jan 2024 03:04:05 -0000', utc(2024, 1, 2, 3, 4, 5), null],
    ['Tue, 02 Jan 2024 03:04:05', utc(2024, 1, 2, 3, 4, 5), null],
    ['02 Jan 2024 03:04:05 EST', utc(2024, 1, 2, 8, 4, 5), -18000],
    ['Tue,02 Jan 2024 03:04 pdt', utc(2024, 1, 2, 10, 4, 0), -25200],
    ['Sunday, 06-Nov-94 08:49:37 GMT', utc(1994, 11, 6, 8, 49, 37), 0],
    ['Jan 02 2024 03:04:05 UT', utc(2024, 1, 2, 3, 4, 5), 0],
    ['02 january 68 03.04.05 Z', utc(2068, 1, 2, 3, 4, 5), 0],
    ['02 Jan 69 03.04 GMT', utc(1969, 1, 2, 3, 4, 0), 0],
    ['02 Jan 2024 03:04:05+0100', utc(2024, 1, 2, 2, 4, 5), 3600],
    ['Tue, 02 Jan 2024 03:04:05 +0000', utc(2024, 1, 2, 3, 4, 5), 0],
    ['29 Feb 2024 00:00:00 GMT', utc(2024, 2, 29), 0],
    ['02 Jan ٢٠٢٤ 03:04:05 GMT', utc(2024, 1, 2, 3, 4, 5), 0],
    // Years below 100 are 2-digit years, even when written with 4 digits: http_date's 0005 loads as 2005.
    ['Mon, 01 Jan 0001 00:00:00 GMT', utc(2001, 1, 1), 0],
    ['Sat, 01 Jan 0005 00:00:00 GMT', utc(2005, 1, 1), 0],
    ['Fri, 01 Jan 0100 00:00:00 GMT', utc(100, 1, 1), 0],
    ['29 Feb 2023 00:00:00 GMT', null, null],
    ['32 Jan 2024 00:00:00 GMT', null, null],
    ['02 Foo 2024 00:00:00 GMT', null, null],
    ['02 Jan 2024 24:00:00 GMT', null, null],
    ['02 Jan 2024 23:59:60 GMT', null, null],
    ['02 Jan 2024 00:00:00 +2400', null, null],
    ['02 Jan 2024', null, null],
    ['', null, null],
    ['   ', null, null],
    ['garbage', null, null],
    ['02 Jan 10000 00:00:00 GMT', null, null],
  ];
  it.each(cases)('%j', (text, date, offset) => {
    const got = parseDateWithOffset(text);
    if (date === null) {
      expect(got).toBeNull();
      expect(parseDate(text)).toBeNull();
    } else {
      expect(got?.date.toISOString()).toBe(date.toISOString());
      expect(got?.offsetSeconds).toBe(offset);
    }
  });
  it('gives None for None', () => {
    expect(parseDate(null)).toBeNull();
  });
  it('raises OverflowError for fields beyond a C int, as Werkzeug lets it through', () => {
    expect(() => parseDate('1 Jan 2147483648 00:00:00')).toThrow(PyOverflowError);
    expect(parseDate('1 Jan 2147483647 00:00:00')).toBeNull();
    expect(() => parseDate('1 Jan 2000 00:00:00 +99999999999999')).toThrow(PyOverflowError);
  });
  it('exposes the raw fields', () => {
    expect(parsedateTz('Tue, 02 Jan 99 03:04:05 -0130')).toEqual({ year: 1999n, month: 1, day: 2n, hour: 3n, minute: 4n, second: 5n, offset: -5400n });
  });
  it('round-trips every whole second it formats from year 100 on', () => {
    const lo = utc(100, 1, 1).getTime();
    const hi = utc(9999, 12, 31, 23, 59, 59).getTime();
    for (let i = 0; i < 500; i++) {
      const d = new Date(Math.floor((lo + Math.random() * (hi - lo)) / 1000) * 1000);
      expect(parseDate(httpDate(d))?.getTime()).toBe(d.getTime());
    }
  });
});
