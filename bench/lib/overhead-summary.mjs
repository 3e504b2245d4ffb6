// Turns the raw output of peerbench's bench.mjs and probe.mjs into the overhead summary: one row
// per mode x concurrency comparing Rampart with the direct upstream, the first-event probe, and
// the project's targets stated as met or not met.

/**
 * The peer gateway's published CPU cost (peerbench README: 0.9-1.2 ms per request on this kind of
 * machine), taken at its middle, 1.05 ms, as requests per CPU-second.
 */
export const PEER_REQUESTS_PER_CPU_SECOND = 950;

/** The project's direction, in the units the summary measures. */
export const TARGETS = {
  cpuEfficiencyTimesPeer: 5,
  addedP99NonstreamC16Ms: 1,
  addedFirstEventMs: 1,
};

const round = (value, digits = 2) => (value === null ? null : Number(value.toFixed(digits)));

function latency(row) {
  return {
    rps: round(row.rps, 1),
    p50Ms: round(row.lat_ms.p50, 3),
    p99Ms: round(row.lat_ms.p99, 3),
    errors: row.errors,
    non2xx: row.non2xx,
  };
}

function cell(results, cellCpu, mode, conns) {
  const find = (target) =>
    results.find((row) => row.target === target && row.mode === mode && row.conns === conns);
  const direct = find('direct');
  const rampart = find('rampart');
  if (!direct || !rampart) return null;
  const gateway = rampart.procs.rampart ?? null;
  const cpuMs = gateway?.cpu_us_per_req ? gateway.cpu_us_per_req / 1000 : null;
  const perCpuSecond = cpuMs ? 1000 / cpuMs : null;
  return {
    mode,
    conns,
    direct: latency(direct),
    rampart: latency(rampart),
    throughputRatio: round(rampart.rps / direct.rps, 3),
    addedP50Ms: round(rampart.lat_ms.p50 - direct.lat_ms.p50, 3),
    addedP99Ms: round(rampart.lat_ms.p99 - direct.lat_ms.p99, 3),
    rampartCpuMsPerRequest: round(cpuMs, 3),
    rampartCpuPercent: gateway?.cpu_pct ?? null,
    rampartRequestsPerCpuSecond: round(perCpuSecond, 0),
    timesPeerPerCpuSecond: round(perCpuSecond && perCpuSecond / PEER_REQUESTS_PER_CPU_SECOND),
    rampartRssMbMax: gateway?.rss_mb_max ?? null,
    otherProcessesCores: {
      direct: cellCpu[`${mode} ${conns} direct`]?.otherProcessesCores ?? null,
      rampart: cellCpu[`${mode} ${conns} rampart`]?.otherProcessesCores ?? null,
    },
    upstreamCpuMsPerRequest: {
      direct: round((direct.procs.sim?.cpu_us_per_req ?? 0) / 1000, 3),
      rampart: round((rampart.procs.sim?.cpu_us_per_req ?? 0) / 1000, 3),
    },
  };
}

/**
 * One summary row per mode x concurrency present in bench.mjs's results; `cellCpu` holds the
 * other processes' CPU per cell, keyed "mode conns target".
 */
export function summarizeLoad(benchDoc, cellCpu = {}) {
  const rows = [];
  for (const mode of benchDoc.modes) {
    for (const conns of benchDoc.conns) {
      const row = cell(benchDoc.results, cellCpu, mode, conns);
      if (row) rows.push(row);
    }
  }
  return rows;
}

function compare(direct, rampart, key) {
  if (!direct?.[key] || !rampart?.[key]) return null;
  return {
    direct: { p50Ms: direct[key].p50, p99Ms: direct[key].p99 },
    rampart: { p50Ms: rampart[key].p50, p99Ms: rampart[key].p99 },
    addedP50Ms: round(rampart[key].p50 - direct[key].p50, 3),
    addedP99Ms: round(rampart[key].p99 - direct[key].p99, 3),
  };
}

/** Added time to headers, to the first SSE event and to the end of the body, per mode. */
export function summarizeProbe(probeDoc) {
  const modes = [...new Set(probeDoc.results.map((row) => row.mode))];
  return modes.map((mode) => {
    const direct = probeDoc.results.find((row) => row.mode === mode && row.target === 'direct');
    const rampart = probeDoc.results.find((row) => row.mode === mode && row.target === 'rampart');
    return {
      mode,
      ok: { direct: direct?.ok ?? 0, rampart: rampart?.ok ?? 0 },
      bad: { direct: direct?.bad ?? 0, rampart: rampart?.bad ?? 0 },
      headers: compare(direct, rampart, 'headers_ms'),
      firstEvent: compare(direct, rampart, 'first_event_ms'),
      end: compare(direct, rampart, 'total_ms'),
    };
  });
}

function verdict(name, target, observed, met) {
  return { name, target, observed: round(observed), met: observed === null ? null : met };
}

/** The project's three targets, each with what was observed and whether it was met. */
export function checkTargets(loadRows, probeRows) {
  const wanted = PEER_REQUESTS_PER_CPU_SECOND * TARGETS.cpuEfficiencyTimesPeer;
  const efficiencies = loadRows.map((row) => row.rampartRequestsPerCpuSecond).filter(Boolean);
  const worst = efficiencies.length ? Math.min(...efficiencies) : null;
  const c16 = loadRows.find((row) => row.mode === 'nonstream' && row.conns === 16);
  const firstEvent = probeRows.find((row) => row.mode === 'stream')?.firstEvent ?? null;
  return [
    verdict(
      `requests per CPU-second >= ${TARGETS.cpuEfficiencyTimesPeer} x peer (${wanted}) in every cell`,
      wanted,
      worst,
      worst !== null && worst >= wanted,
    ),
    verdict(
      'added p99, nonstream, concurrency 16 < 1 ms',
      TARGETS.addedP99NonstreamC16Ms,
      c16?.addedP99Ms ?? null,
      (c16?.addedP99Ms ?? Infinity) < TARGETS.addedP99NonstreamC16Ms,
    ),
    verdict(
      'added time to first streamed event (probe p50) < 1 ms',
      TARGETS.addedFirstEventMs,
      firstEvent?.addedP50Ms ?? null,
      (firstEvent?.addedP50Ms ?? Infinity) < TARGETS.addedFirstEventMs,
    ),
  ];
}

const fixed = (value, digits = 2) => (value === null ? 'n/a' : value.toFixed(digits));
const signed = (value) => (value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${value.toFixed(2)}`);

/** The summary as markdown tables, for the terminal and for docs/benchmarks.md. */
export function renderMarkdown({ loadRows, probeRows, checks }) {
  const lines = [
    '| mode | conc | req/s direct | req/s Rampart | Rampart/direct | p50 direct | p50 Rampart | added p50 | p99 direct | p99 Rampart | added p99 | Rampart CPU ms/req | req per CPU-s | x peer | Rampart RSS MB | errors d/R | other CPU d/R |',
    `|${' --- |'.repeat(17)}`,
  ];
  for (const row of loadRows) {
    const errors = (side) => row[side].errors + row[side].non2xx;
    lines.push(
      `| ${row.mode} | ${row.conns} | ${fixed(row.direct.rps, 0)} | ${fixed(row.rampart.rps, 0)} ` +
        `| ${fixed(row.throughputRatio)} | ${fixed(row.direct.p50Ms)} | ${fixed(row.rampart.p50Ms)} ` +
        `| ${signed(row.addedP50Ms)} | ${fixed(row.direct.p99Ms)} | ${fixed(row.rampart.p99Ms)} ` +
        `| ${signed(row.addedP99Ms)} | ${fixed(row.rampartCpuMsPerRequest, 3)} ` +
        `| ${fixed(row.rampartRequestsPerCpuSecond, 0)} | ${fixed(row.timesPeerPerCpuSecond)} ` +
        `| ${fixed(row.rampartRssMbMax, 0)} | ${errors('direct')}/${errors('rampart')} ` +
        `| ${fixed(row.otherProcessesCores.direct)}/${fixed(row.otherProcessesCores.rampart)} |`,
    );
  }
  lines.push(
    '',
    '| probe (sequential) | p50 direct | p50 Rampart | added p50 | p99 direct | p99 Rampart | added p99 |',
  );
  lines.push(`|${' --- |'.repeat(7)}`);
  for (const row of probeRows) {
    for (const [label, part] of [
      ['headers', row.headers],
      ['first event', row.firstEvent],
      ['end', row.end],
    ]) {
      if (!part) continue;
      lines.push(
        `| ${row.mode}: ${label} | ${fixed(part.direct.p50Ms, 3)} | ${fixed(part.rampart.p50Ms, 3)} ` +
          `| ${signed(part.addedP50Ms)} | ${fixed(part.direct.p99Ms, 3)} | ${fixed(part.rampart.p99Ms, 3)} ` +
          `| ${signed(part.addedP99Ms)} |`,
      );
    }
  }
  lines.push('', '| target | observed | met |', '| --- | --- | --- |');
  for (const check of checks) {
    const met = check.met === null ? 'not measured' : check.met ? 'met' : 'not met';
    lines.push(
      `| ${check.name} | ${fixed(check.observed, check.target >= 100 ? 0 : 2)} | ${met} |`,
    );
  }
  return lines.join('\n');
}
