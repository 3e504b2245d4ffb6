// What the run needs from the machine (a load generator) and what it records about it, so that
// a results file says where its numbers came from.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

function onPath(name) {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!folder) continue;
    try {
      accessSync(path.join(folder, name), constants.X_OK);
      return true;
    } catch {
      // Not in this folder: look in the next.
    }
  }
  return false;
}

const INSTALL_HINT =
  'no load generator found. Install wrk (Debian/Ubuntu: `apt-get install -y wrk`), or give ' +
  'autocannon with `--tool autocannon --autocannon /path/to/autocannon/autocannon.js` ' +
  '(or the AUTOCANNON environment variable).';

/**
 * Picks the load generator peerbench's bench.mjs will drive: wrk when asked for or when it is on
 * the PATH, else autocannon when a path to it is known. Returns `{tool, autocannonPath}` or
 * `{error}` with what to install.
 */
export function chooseLoadTool({ requested, autocannonPath, repoRoot }) {
  const autocannon =
    autocannonPath ??
    process.env.AUTOCANNON ??
    [path.join(repoRoot, 'node_modules/autocannon/autocannon.js')].find((file) => existsSync(file));
  const hasWrk = onPath('wrk');
  if (requested === 'wrk' || (requested === undefined && hasWrk)) {
    return hasWrk ? { tool: 'wrk' } : { error: `wrk is not on the PATH: ${INSTALL_HINT}` };
  }
  if (requested !== undefined && requested !== 'autocannon') {
    return { error: `unknown --tool ${requested} (wrk or autocannon)` };
  }
  if (autocannon && !existsSync(autocannon))
    return { error: `autocannon not found at ${autocannon}` };
  if (autocannon) return { tool: 'autocannon', autocannonPath: autocannon };
  return { error: INSTALL_HINT };
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('model name'));
    return line ? line.slice(line.indexOf(':') + 1).trim() : os.cpus()[0]?.model;
  } catch {
    return os.cpus()[0]?.model;
  }
}

// First line of a command's output; wrk prints its version and then exits with status 1.
function firstLine(command, args, cwd) {
  let output;
  try {
    output = execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    output = typeof error?.stdout === 'string' ? error.stdout : '';
  }
  return output.trim().split('\n')[0] || null;
}

function builtAt(file) {
  try {
    return statSync(file).mtime.toISOString();
  } catch {
    return null;
  }
}

/** The machine and software the numbers were measured on. */
export function describeMachine({ repoRoot, tool }) {
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: cpuModel(),
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    kernel: os.release(),
    loadTool: tool,
    loadToolVersion: tool === 'wrk' ? firstLine('wrk', ['--version'], repoRoot) : null,
    commit: firstLine('git', ['rev-parse', '--short', 'HEAD'], repoRoot),
    // The build measured is whatever dist/ holds: say when it was built and whether the sources
    // it may have been built from differ from the commit.
    distBuiltAt: builtAt(path.join(repoRoot, 'dist/cli/main.js')),
    sourcesDiffer: firstLine('git', ['status', '--porcelain', '--', 'src'], repoRoot) !== null,
  };
}
