/** Number formats shared by the axes, legends, tiles and tables. */

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** @param {number | null | undefined} value */
const missing = (value) => value === null || value === undefined || Number.isNaN(value);

/** Milliseconds as `850 ms` or `1.25 s`. @param {number | null | undefined} ms */
export function duration(ms) {
  if (missing(ms)) return '–';
  if (ms < 1000) return `${integer.format(ms)} ms`;
  return `${figure(ms / 1000)} s`;
}

/** Three significant digits, without trailing zeros. @param {number | null | undefined} value */
export function figure(value) {
  if (missing(value)) return '–';
  if (Math.abs(value) >= 1000 || Number.isInteger(value)) return integer.format(value);
  return String(Number(value.toPrecision(3)));
}

/** Dollars with enough digits to tell small amounts apart. @param {number | null | undefined} usd */
export function dollars(usd) {
  if (missing(usd)) return '–';
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 100) return `$${integer.format(usd)}`;
  // Below a millionth toPrecision switches to exponent form, which reads badly on an axis.
  if (Math.abs(usd) < 0.000001) return '<$0.000001';
  return `$${usd
    .toPrecision(3)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '')}`;
}

/** A count, short above ten thousand: `12.3K`. @param {number | null | undefined} count */
export function count(count) {
  if (missing(count)) return '–';
  return Math.abs(count) >= 10_000 ? compact.format(count) : integer.format(count);
}

/** A share of 100, e.g. `97.5%`. @param {number | null | undefined} percent */
export function percent(percent) {
  if (missing(percent)) return '–';
  const whole = Number.isInteger(percent) || percent >= 99.95;
  return `${whole ? integer.format(percent) : percent.toFixed(1)}%`;
}

/** One decimal, for averages like turns per conversation. @param {number | null | undefined} value */
export function average(value) {
  if (missing(value)) return '–';
  return value >= 100 ? integer.format(value) : value.toFixed(1);
}

/** Formatters by unit name, as chart specs name them. */
export const byUnit = { ms: duration, usd: dollars, count, percent, tokens: count };
