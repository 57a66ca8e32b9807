// Number and time formatting shared by the sentence, the cards and the chart legends.
//
// Every lib/*.js file is a classic script that registers one object on globalThis.cryptomood.
// Classic scripts (not ES modules) so that `cryptomood report` can inline them into one HTML
// file that opens from file:// (module imports from file:// are blocked by browsers). Node's
// test runner loads the same files with a side-effect `import`. No DOM access in lib/.
(function (cryptomood) {
  'use strict';

  // Fixed decimals keep columns of r values aligned; "-0.00" would suggest a sign we don't have.
  function formatFixed(value, decimals) {
    if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
    const text = value.toFixed(decimals);
    return Number(text) === 0 ? (0).toFixed(decimals) : text;
  }

  function formatR(value) {
    return formatFixed(value, 2);
  }

  function formatCi(low, high) {
    if (low === null || low === undefined || high === null || high === undefined) return 'n/a';
    return '[' + formatR(low) + ', ' + formatR(high) + ']';
  }

  // Below 0.001 the exact figure is noise (the model's independence assumption dominates),
  // so it is reported as a bound, the way papers do. Three decimals below 0.1, so values
  // either side of the 5% line (0.048, 0.052) stay distinguishable.
  function formatPValue(value) {
    if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
    if (value < 0.001) return '< 0.001';
    return formatFixed(value, value < 0.1 ? 3 : 2);
  }

  function formatP(value) {
    const text = formatPValue(value);
    return text.startsWith('<') ? 'p ' + text : 'p = ' + text;
  }

  function formatCount(value) {
    if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
    return String(Math.round(value));
  }

  function pluralBars(count) {
    return count + (Math.abs(count) === 1 ? ' bar' : ' bars');
  }

  // Seconds since the epoch (uPlot's unit) to the API's RFC 3339 form, dropping ".000" so
  // shared links stay short and whole-second zooms look like typed dates.
  function formatTimestamp(seconds) {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
    const iso = new Date(Math.round(seconds * 1000)).toISOString();
    return iso.replace('.000Z', 'Z');
  }

  // The API may send up to nanosecond digits, which Date.parse does not promise to accept;
  // only millisecond precision matters on a chart.
  const TIMESTAMP_PATTERN =
    /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

  function parseTimestamp(text) {
    if (typeof text !== 'string') return null;
    const match = TIMESTAMP_PATTERN.exec(text);
    if (!match) return null;
    const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
    let millis = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
    millis += Number((fraction + '000').slice(0, 3));
    if (zone !== 'Z' && zone !== 'z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
      millis -= sign * offsetMinutes * 60000;
    }
    return millis / 1000;
  }

  // Labels for time-axis ticks (seconds, UTC) spaced `increment` seconds apart: 24-hour ISO
  // style; the first tick carries the full date and later ones only what changed, so labels
  // stay narrow enough for a phone and a zoomed axis still says which day it shows.
  function timeTickLabels(splits, increment) {
    let previous = null;
    return splits.map((seconds) => {
      const iso = formatTimestamp(seconds);
      const year = iso.slice(0, 4);
      const day = iso.slice(5, 10);
      let text;
      if (increment >= 28 * 86400) {
        text = iso.slice(0, 7);
      } else if (increment >= 86400) {
        text = previous === null || previous.year !== year ? day + '\n' + year : day;
      } else {
        const clock = iso.slice(11, increment < 60 ? 19 : 16);
        if (previous === null) text = clock + '\n' + iso.slice(0, 10);
        else text = previous.day !== day ? clock + '\n' + day : clock;
      }
      previous = { year, day };
      return text;
    });
  }

  cryptomood.format = {
    formatR,
    formatCi,
    formatPValue,
    formatP,
    formatCount,
    pluralBars,
    formatTimestamp,
    parseTimestamp,
    timeTickLabels,
  };
})((globalThis.cryptomood = globalThis.cryptomood || {}));
