// The two peerbench runs: the load matrix (bench.mjs) and the sequential probe (probe.mjs), each
// a child process bounded in time, with the same two targets and the same model name.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { MODEL } from './bench-servers.mjs';
import { cpuBetween } from './cpu-accounting.mjs';
import { runToEnd } from './processes.mjs';

function targetArgs({ upstream, rampart }) {
  return [
    '--target',
    `direct=${upstream.url}`,
    '--target',
    `rampart=${rampart.url}`,
    '--headers',
    `rampart=Authorization: Bearer ${rampart.key}`,
    '--model',
    MODEL,
  ];
}

/**
 * Runs peerbench's load matrix with both targets and Rampart's and the simulator's PIDs.
 * Resolves to its results and the CPU of other processes during each cell. Optional:
 * `extraPids` (`{label: pid}`, more processes whose CPU bench.mjs samples), `tag` (stored in
 * bench.mjs's JSON) and `onCell` (called with the cell's key, "mode conns target", as each cell
 * ends).
 */
export async function runMatrix({
  options,
  load,
  work,
  env,
  upstream,
  rampart,
  meter,
  extraPids = {},
  tag = 'rampart overhead',
  onCell,
}) {
  const file = path.join(work, 'bench.json');
  const count = options.modes.length * options.conns.length * 2;
  const cells = cellWatcher(meter, onCell);
  const args = [
    path.join(options.peerbench, 'bench.mjs'),
    '--tool',
    load.tool,
    ...(load.autocannonPath ? ['--autocannon', load.autocannonPath] : []),
    '--duration',
    String(options.duration),
    '--warmup',
    String(options.warmup),
    '--conns',
    options.conns.join(','),
    '--modes',
    options.modes.join(','),
    ...targetArgs({ upstream, rampart }),
    '--pid',
    `rampart=${rampart.server.pid}`,
    '--pid',
    `sim=${upstream.server.pid}`,
    ...Object.entries(extraPids).flatMap(([label, pid]) => ['--pid', `${label}=${pid}`]),
    '--tag',
    tag,
    '--out',
    file,
  ];
  const timeoutMs = (count * (options.duration + options.warmup + 15) + 60) * 1000;
  const result = await runToEnd({
    command: process.execPath,
    args,
    timeoutMs,
    env,
    onStderr: (text) => {
      process.stderr.write(text);
      cells.see(text);
    },
  });
  if (result.code !== 0 || !existsSync(file)) {
    throw new Error(`bench.mjs failed (${result.code}): ${result.stderr.slice(-2000)}`);
  }
  return { benchDoc: JSON.parse(readFileSync(file, 'utf8')), cellCpu: cells.cpu };
}

/** Runs peerbench's sequential probe (headers, first event, end) against both targets. */
export async function runProbe({ options, work, env, upstream, rampart }) {
  const file = path.join(work, 'probe.json');
  const result = await runToEnd({
    command: process.execPath,
    args: [
      path.join(options.peerbench, 'probe.mjs'),
      '--n',
      String(options.probeN),
      '--warmup',
      String(options.probeWarmup),
      '--modes',
      options.modes.join(','),
      ...targetArgs({ upstream, rampart }),
      '--out',
      file,
    ],
    timeoutMs: 300_000,
    env,
  });
  process.stderr.write(result.stdout);
  if (result.code !== 0 || !existsSync(file)) {
    throw new Error(`probe.mjs failed (${result.code}): ${result.stderr.slice(-2000)}`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

// bench.mjs prints one line as each cell ends ("stream    c=16  rampart    rps=..."): the CPU
// readings between two such lines belong to that cell, its warm-up included.
function cellWatcher(meter, onCell) {
  const cpu = {};
  let previous = meter.read();
  let pending = '';
  const see = (text) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^(\S+)\s+c=(\d+)\s+(\S+)\s+rps=/.exec(line);
      if (!match) continue;
      const now = meter.read();
      const key = `${match[1]} ${match[2]} ${match[3]}`;
      cpu[key] = cpuBetween(previous, now);
      previous = now;
      onCell?.(key);
    }
  };
  return { cpu, see };
}
