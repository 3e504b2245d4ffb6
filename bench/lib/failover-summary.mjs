// Turns the per-request records and the simulators' counters of each cell into one row (success
// rate, latency, added latency over the baseline, upstream attempts per request, the share the
// fallback served) and the rows into the markdown table of the terminal and docs/benchmarks.md.

const round = (value, digits = 2) =>
  value === null || value === undefined || !Number.isFinite(value)
    ? null
    : Number(value.toFixed(digits));

/** Nearest-rank percentile of unsorted values; null when there are none. */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function latencies(values) {
  return {
    p50: round(percentile(values, 50), 1),
    p95: round(percentile(values, 95), 1),
    p99: round(percentile(values, 99), 1),
  };
}

function countBy(values) {
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * One cell's row. `reference` holds the baseline's success latencies (null for the baseline
 * itself); `primary` and `spare` are the simulators' `/__stats` over the cell's load alone.
 */
export function summarizeCell({ cell, records, primary, spare, reference, cpu, logLines }) {
  const okTimes = records.filter((record) => record.ok).map((record) => record.ms);
  const failed = records.filter((record) => !record.ok);
  const ok = okTimes.length;
  const latencyMs = latencies(okTimes);
  const base = reference ? latencies(reference) : latencyMs;
  // The spare never fails, so every request it finished is an answer the fallback served.
  const spareServed = spare.requests - spare.cancelled;
  const perRequest = (count) => round(count / records.length, 3);
  return {
    ...cell,
    requests: records.length,
    ok,
    successRate: round(ok / records.length, 4),
    latencyMs,
    addedP50Ms: round(latencyMs.p50 - base.p50, 1),
    addedP99Ms: round(latencyMs.p99 - base.p99, 1),
    failedLatencyMs: latencies(failed.map((record) => record.ms)),
    allLatencyMs: latencies(records.map((record) => record.ms)),
    attemptsPerRequest: perRequest(primary.requests + spare.requests),
    primaryAttemptsPerRequest: perRequest(primary.requests),
    spareAttemptsPerRequest: perRequest(spare.requests),
    fallbackShare: ok === 0 ? null : round(Math.min(spareServed, ok) / ok, 4),
    failures: countBy(failed.map((record) => record.failure)),
    servedByHeader: countBy(records.map((record) => record.servedBy ?? 'absent')),
    degradedAnswers: records.filter((record) => record.degraded).length,
    upstream: { primary, spare },
    cpu,
    logLines,
  };
}

const fixed = (value, digits = 1) => (value === null ? 'n/a' : value.toFixed(digits));
const signed = (value, digits = 1) =>
  value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
const percent = (value, digits = 1) =>
  value === null ? 'n/a' : `${(value * 100).toFixed(digits)} %`;

function rowLine(row) {
  const attempts =
    `${fixed(row.attemptsPerRequest, 2)} (${fixed(row.primaryAttemptsPerRequest, 2)}` +
    ` + ${fixed(row.spareAttemptsPerRequest, 2)})`;
  return (
    `| ${row.label} | ${percent(row.rate, 0)} | ${row.ok}/${row.requests} ` +
    `| ${percent(row.successRate)} | ${fixed(row.latencyMs.p50)} | ${fixed(row.latencyMs.p95)} ` +
    `| ${fixed(row.latencyMs.p99)} | ${signed(row.addedP50Ms)} | ${signed(row.addedP99Ms)} ` +
    `| ${fixed(row.failedLatencyMs.p50)} | ${attempts} | ${percent(row.fallbackShare)} ` +
    `| ${fixed(row.cpu.otherProcessesCores, 2)} |`
  );
}

/** The rows as one markdown table, for the terminal and for docs/benchmarks.md. */
export function renderFailoverMarkdown(rows) {
  return [
    '| variant | failure rate | ok/sent | success | p50 ms | p95 ms | p99 ms | added p50 | added p99 | failed p50 ms | attempts/req (primary + spare) | served by fallback | other CPU |',
    `|${' --- |'.repeat(13)}`,
    ...rows.map(rowLine),
  ].join('\n');
}
