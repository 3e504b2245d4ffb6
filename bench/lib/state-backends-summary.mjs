// Turns the peerbench runs of the state-backend comparison into rows (one per instance, mode and
// concurrency, each with its same-run direct reference) and into the two costs the comparison is
// for: the rate-limit check (local-limits against local-nolimits) and Redis (redis-limits against
// local-limits).

const round = (value, digits = 2) =>
  value === null || value === undefined || !Number.isFinite(value)
    ? null
    : Number(value.toFixed(digits));

function latency(row) {
  return {
    rps: round(row.rps, 1),
    p50Ms: round(row.lat_ms.p50, 3),
    p99Ms: round(row.lat_ms.p99, 3),
    errors: row.errors,
    non2xx: row.non2xx,
  };
}

// Redis counts the commands a script runs as well as the script itself: the scripts are the
// round trips Rampart makes, the commands the work Redis does for them.
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

function perRequest(redisCell) {
  if (!redisCell?.requests) return { commands: null, scripts: null, usec: null, perCommand: {} };
  const { requests, commands } = redisCell;
  const entries = Object.entries(commands.perCommand);
  const scripts = entries
    .filter(([name]) => SCRIPT_COMMANDS.has(name))
    .reduce((sum, [, delta]) => sum + delta.calls, 0);
  return {
    commands: round(commands.calls / requests, 3),
    scripts: round(scripts / requests, 3),
    usec: round(commands.usec / requests, 2),
    perCommand: Object.fromEntries(
      entries.map(([name, delta]) => [name, round(delta.calls / requests, 3)]),
    ),
  };
}

function cell(instance, mode, conns) {
  const find = (target) =>
    instance.benchDoc.results.find(
      (row) => row.target === target && row.mode === mode && row.conns === conns,
    );
  const direct = find('direct');
  const rampart = find('rampart');
  if (!direct || !rampart) return null;
  const key = (target) => `${mode} ${conns} ${target}`;
  const redisCommands = perRequest(instance.redisCells[key('rampart')]);
  return {
    instance: instance.name,
    mode,
    conns,
    direct: latency(direct),
    rampart: latency(rampart),
    throughputRatio: round(rampart.rps / direct.rps, 3),
    rampartCpuMsPerRequest: round((rampart.procs.rampart?.cpu_us_per_req ?? NaN) / 1000, 3),
    rampartCpuPercent: rampart.procs.rampart?.cpu_pct ?? null,
    rampartRssMbMax: rampart.procs.rampart?.rss_mb_max ?? null,
    redisCpuUsPerRequest: rampart.procs.redis?.cpu_us_per_req ?? null,
    redisCpuPercent: {
      direct: direct.procs.redis?.cpu_pct ?? null,
      rampart: rampart.procs.redis?.cpu_pct ?? null,
    },
    redisCommandsPerRequest: redisCommands.commands,
    redisScriptsPerRequest: redisCommands.scripts,
    redisCommandUsecPerRequest: redisCommands.usec,
    redisCommandsByName: redisCommands.perCommand,
    otherProcessesCores: {
      direct: instance.cellCpu[key('direct')]?.otherProcessesCores ?? null,
      rampart: instance.cellCpu[key('rampart')]?.otherProcessesCores ?? null,
    },
  };
}

/** One row per instance, mode and concurrency found in the instances' peerbench results. */
export function summarizeInstances(instances) {
  const rows = [];
  for (const instance of instances) {
    for (const mode of instance.benchDoc.modes) {
      for (const conns of instance.benchDoc.conns) {
        const row = cell(instance, mode, conns);
        if (row) rows.push(row);
      }
    }
  }
  return rows;
}

function difference(rows, { mode, conns }, [withName, withoutName]) {
  const find = (name) =>
    rows.find((row) => row.instance === name && row.mode === mode && row.conns === conns);
  const withIt = find(withName);
  const without = find(withoutName);
  if (!withIt || !without) return null;
  return {
    addedCpuUsPerRequest: round(
      (withIt.rampartCpuMsPerRequest - without.rampartCpuMsPerRequest) * 1000,
      1,
    ),
    addedP50Ms: round(withIt.rampart.p50Ms - without.rampart.p50Ms, 3),
    addedP99Ms: round(withIt.rampart.p99Ms - without.rampart.p99Ms, 3),
    throughputRatio: round(withIt.rampart.rps / without.rampart.rps, 3),
  };
}

/**
 * Per mode and concurrency: what the limits add (local-limits less local-nolimits) and what
 * Redis adds (redis-limits less local-limits), with the Redis server's own CPU per request.
 */
export function summarizeCosts(rows) {
  const cells = rows.filter((row) => row.instance === 'local-nolimits');
  return cells.map(({ mode, conns }) => {
    const redisRow = rows.find(
      (row) => row.instance === 'redis-limits' && row.mode === mode && row.conns === conns,
    );
    return {
      mode,
      conns,
      rateLimitCheck: difference(rows, { mode, conns }, ['local-limits', 'local-nolimits']),
      redis: difference(rows, { mode, conns }, ['redis-limits', 'local-limits']),
      redisServerCpuUsPerRequest: redisRow?.redisCpuUsPerRequest ?? null,
      redisScriptsPerRequest: redisRow?.redisScriptsPerRequest ?? null,
      redisCommandsPerRequest: redisRow?.redisCommandsPerRequest ?? null,
      redisCommandUsecPerRequest: redisRow?.redisCommandUsecPerRequest ?? null,
    };
  });
}

const fixed = (value, digits = 2) => (value === null ? 'n/a' : value.toFixed(digits));
const signed = (value, digits = 2) =>
  value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
const pair = (values, digits = 2) =>
  `${fixed(values.direct, digits)}/${fixed(values.rampart, digits)}`;

function rowLine(row) {
  const errors = (side) => row[side].errors + row[side].non2xx;
  return (
    `| ${row.instance} | ${row.mode} | ${row.conns} | ${fixed(row.direct.rps, 0)} ` +
    `| ${fixed(row.rampart.rps, 0)} | ${fixed(row.throughputRatio, 3)} | ${fixed(row.direct.p50Ms)} ` +
    `| ${fixed(row.rampart.p50Ms)} | ${fixed(row.direct.p99Ms)} | ${fixed(row.rampart.p99Ms)} ` +
    `| ${fixed(row.rampartCpuMsPerRequest, 3)} | ${fixed(row.rampartCpuPercent, 0)} ` +
    `| ${fixed(row.rampartRssMbMax, 0)} | ${fixed(row.redisCpuUsPerRequest, 1)} ` +
    `| ${pair(row.redisCpuPercent, 1)} | ${fixed(row.redisScriptsPerRequest)} ` +
    `| ${errors('direct')}/${errors('rampart')} ` +
    `| ${pair(row.otherProcessesCores)} |`
  );
}

function costLine(cost) {
  const limits = cost.rateLimitCheck ?? {};
  const redis = cost.redis ?? {};
  const value = (part, name, format) => (part[name] === undefined ? 'n/a' : format(part[name]));
  return (
    `| ${cost.mode} | ${cost.conns} | ${value(limits, 'addedCpuUsPerRequest', (v) => signed(v, 1))} ` +
    `| ${value(limits, 'addedP50Ms', signed)} | ${value(limits, 'addedP99Ms', signed)} ` +
    `| ${value(limits, 'throughputRatio', (v) => fixed(v, 3))} ` +
    `| ${value(redis, 'addedCpuUsPerRequest', (v) => signed(v, 1))} ` +
    `| ${fixed(cost.redisServerCpuUsPerRequest, 1)} | ${fixed(cost.redisScriptsPerRequest)} ` +
    `| ${fixed(cost.redisCommandsPerRequest, 1)} ` +
    `| ${value(redis, 'addedP50Ms', signed)} | ${value(redis, 'addedP99Ms', signed)} ` +
    `| ${value(redis, 'throughputRatio', (v) => fixed(v, 3))} |`
  );
}

/** The rows and the costs as markdown tables, for the terminal and for docs/benchmarks.md. */
export function renderStateMarkdown({ rows, costs }) {
  const lines = [
    '| instance | mode | conc | req/s direct | req/s Rampart | Rampart/direct | p50 direct | p50 Rampart | p99 direct | p99 Rampart | Rampart CPU ms/req | Rampart CPU % | Rampart RSS MB | Redis CPU µs/req | Redis CPU % d/R | Redis scripts/req | errors d/R | other CPU d/R |',
    `|${' --- |'.repeat(18)}`,
    ...rows.map(rowLine),
    '',
    '| mode | conc | limits: +CPU µs/req | limits: +p50 ms | limits: +p99 ms | limits: req/s ratio | Redis: +Rampart CPU µs/req | Redis server CPU µs/req | Redis scripts/req | Redis cmds/req | Redis: +p50 ms | Redis: +p99 ms | Redis: req/s ratio |',
    `|${' --- |'.repeat(13)}`,
    ...costs.map(costLine),
  ];
  return lines.join('\n');
}
