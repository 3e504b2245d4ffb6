// How much of the machine's CPU went to processes outside the benchmark while it ran. The cores
// are shared with whatever else runs on the machine; a cell during which other processes were
// busy has disturbed latency and throughput, and even its CPU per request rises when another
// process competes for the same core, so every cell says how busy the rest of the machine was.
import { readFileSync } from 'node:fs';
import process from 'node:process';

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

function machineTicks() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: user + nice + system + irq + softirq, steal: steal ?? 0 };
}

// utime + stime, plus the times of children it has already reaped when `withChildren` is set.
function processTicks(pid, withChildren) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const own = fields[11] + fields[12];
    return withChildren ? own + fields[13] + fields[14] : own;
  } catch {
    return undefined;
  }
}

/**
 * Counts the CPU of this process and its children: the children that `listRunning()` names are
 * read directly (with what each has reaped: the load runner's load generator), the children
 * already reaped through this process's own children's times. `read()` gives a cumulative
 * reading; {@link cpuBetween} turns two readings into averages.
 */
export function createCpuMeter(listRunning) {
  return {
    read() {
      let ours = processTicks(process.pid, true) ?? 0;
      for (const pid of listRunning()) ours += processTicks(pid, true) ?? 0;
      return { at: process.hrtime.bigint(), ours, ...machineTicks() };
    },
  };
}

/** Average cores used between two readings: by the benchmark, by everything else, and stolen. */
export function cpuBetween(before, after) {
  const wallSeconds = Number(after.at - before.at) / 1e9;
  const cores = (ticks) =>
    Number((Math.max(0, ticks) / CLOCK_TICKS_PER_SECOND / wallSeconds).toFixed(2));
  const benchmark = after.ours - before.ours;
  return {
    wallSeconds: Number(wallSeconds.toFixed(1)),
    benchmarkCores: cores(benchmark),
    otherProcessesCores: cores(after.busy - before.busy - benchmark),
    stealCores: cores(after.steal - before.steal),
  };
}
