// How much of the machine's CPU went to processes outside the benchmark while it ran. The cores
// are shared with whatever else runs on the machine; a run during which other processes were busy
// has disturbed latency and throughput columns, and even its CPU per request rises when another
// process competes for the same core, so the results file says how busy the rest was.
import { readFileSync } from 'node:fs';
import process from 'node:process';

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

function machineTicks() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal: steal ?? 0 };
}

// utime + stime, plus cutime + cstime (children already reaped) when `withChildren` is set.
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
    return 0;
  }
}

/**
 * Starts counting. `servers` are the long-running children (still alive at the end); this
 * process's reaped children (the load runner and, through it, the load generator) are counted
 * through its own children's times. `stop()` returns the busy CPU of the benchmark and of
 * everything else, in cores on average over the wall time, and the hypervisor's steal.
 */
export function startCpuAccounting(serverPids) {
  const ours = () =>
    processTicks(process.pid, true) +
    serverPids.reduce((sum, pid) => sum + processTicks(pid, false), 0);
  const startedAt = process.hrtime.bigint();
  const machineAtStart = machineTicks();
  const oursAtStart = ours();
  return {
    stop() {
      const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const machine = machineTicks();
      const cores = (ticks) => Number((ticks / CLOCK_TICKS_PER_SECOND / wallSeconds).toFixed(2));
      const benchmark = ours() - oursAtStart;
      const busy = machine.busy - machineAtStart.busy;
      return {
        wallSeconds: Number(wallSeconds.toFixed(1)),
        benchmarkCores: cores(benchmark),
        otherProcessesCores: cores(Math.max(0, busy - benchmark)),
        stealCores: cores(machine.steal - machineAtStart.steal),
      };
    },
  };
}
