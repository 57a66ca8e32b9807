// Unit tests of web/static/lib/format.js. Expected epoch values are worked by hand:
// 2021-01-01T00:00:00Z = 1609459200 s, plus 59 days (Jan 31 + Feb 28) = 1614556800 s.
import test from 'node:test';
import assert from 'node:assert/strict';
import { format } from './load_lib.mjs';

const MARCH_1_2021 = 1614556800;

test('r is shown with two decimals and never as negative zero', () => {
  assert.equal(format.formatR(0.3149), '0.31');
  assert.equal(format.formatR(-0.27), '-0.27');
  assert.equal(format.formatR(-0.004), '0.00');
  assert.equal(format.formatR(null), 'n/a');
  assert.equal(format.formatR(undefined), 'n/a');
});

test('p below 0.001 is a bound, p under 0.1 keeps three decimals, larger p two', () => {
  assert.equal(format.formatP(0.0004), 'p < 0.001');
  assert.equal(format.formatP(0), 'p < 0.001');
  assert.equal(format.formatP(0.001), 'p = 0.001');
  assert.equal(format.formatP(0.0234), 'p = 0.023');
  assert.equal(format.formatP(0.052), 'p = 0.052');
  assert.equal(format.formatP(0.5), 'p = 0.50');
  assert.equal(format.formatP(null), 'p = n/a');
  assert.equal(format.formatPValue(0.0004), '< 0.001');
  assert.equal(format.formatPValue(0.2), '0.20');
});

test('confidence intervals and counts', () => {
  assert.equal(format.formatCi(0.27, 0.35), '[0.27, 0.35]');
  assert.equal(format.formatCi(null, 0.35), 'n/a');
  assert.equal(format.formatCount(10412), '10412');
  assert.equal(format.formatCount(null), 'n/a');
  assert.equal(format.pluralBars(1), '1 bar');
  assert.equal(format.pluralBars(2), '2 bars');
  assert.equal(format.pluralBars(0), '0 bars');
});

test('RFC 3339 timestamps parse to epoch seconds, nanosecond digits cut to milliseconds', () => {
  assert.equal(format.parseTimestamp('2021-03-01T00:00:00Z'), MARCH_1_2021);
  assert.equal(format.parseTimestamp('2021-03-01T00:00:00.123456789Z'), MARCH_1_2021 + 0.123);
  assert.equal(format.parseTimestamp('2021-03-01T00:00:00.5Z'), MARCH_1_2021 + 0.5);
  assert.equal(format.parseTimestamp('2021-03-01T02:30:00+02:30'), MARCH_1_2021);
  assert.equal(format.parseTimestamp('2021-02-28T19:00:00-05:00'), MARCH_1_2021);
  assert.equal(format.parseTimestamp('2021-03-01'), null);
  assert.equal(format.parseTimestamp('yesterday'), null);
  assert.equal(format.parseTimestamp(null), null);
});

test('epoch seconds format back to the API form without empty milliseconds', () => {
  assert.equal(format.formatTimestamp(MARCH_1_2021), '2021-03-01T00:00:00Z');
  assert.equal(format.formatTimestamp(MARCH_1_2021 + 0.5), '2021-03-01T00:00:00.500Z');
  assert.equal(format.formatTimestamp(MARCH_1_2021 + 86400 + 3661), '2021-03-02T01:01:01Z');
  assert.equal(format.formatTimestamp(null), '');
});

test('time tick labels: full date first, then only what changes', () => {
  const hour = 3600;
  // 22:00, 23:00 on Feb 28, then 00:00 on Mar 1 2021.
  assert.deepEqual(format.timeTickLabels([MARCH_1_2021 - 2 * hour, MARCH_1_2021 - hour, MARCH_1_2021], hour),
    ['22:00\n2021-02-28', '23:00', '00:00\n03-01']);
  assert.deepEqual(format.timeTickLabels([MARCH_1_2021 + 30, MARCH_1_2021 + 45], 15),
    ['00:00:30\n2021-03-01', '00:00:45']);
  // Day ticks across New Year: the year is repeated where it changes.
  const newYear2021 = 1609459200;
  assert.deepEqual(format.timeTickLabels([newYear2021 - 86400, newYear2021], 86400),
    ['12-31\n2020', '01-01\n2021']);
  assert.deepEqual(format.timeTickLabels([MARCH_1_2021], 31 * 86400), ['2021-03']);
});
