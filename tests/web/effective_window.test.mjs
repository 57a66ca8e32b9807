// The page's automatic window against tests/web/effective_window_cases.txt, the table the
// report's C++ twin (src/http/report_builder.cc, tests/http/report_builder_test.cc) is held to
// as well: the dashboard and `cryptomood report` pick the same window for every interval.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, state } from './load_lib.mjs';

const cases = readFileSync(new URL('./effective_window_cases.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => line.trim().split(/\s+/));

test('the case table is not empty and every line is INTERVAL WINDOW', () => {
  assert.ok(cases.length > 20);
  for (const fields of cases) assert.equal(fields.length, 2, fields.join(' '));
});

test('the automatic window of every interval in the shared case table', () => {
  for (const [interval, window] of cases) {
    assert.equal(api.effectiveWindow({ ...state.DEFAULT_STATE, interval, window: '' }), window,
      'interval ' + interval);
  }
});
