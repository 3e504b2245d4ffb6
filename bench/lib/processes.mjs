/* global fetch, AbortSignal -- Node 20 globals; no-undef knows only the ECMAScript ones here */
// Child processes of a benchmark run: started in their own process group so that stopping one
// also stops what it started (bench.mjs starts wrk), tracked so that every exit path (success,
// error, Ctrl-C, a child past its time limit) stops all of them, and only them, by id.
import { spawn } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import console from 'node:console';
import net from 'node:net';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const LOOPBACK = '127.0.0.1';
const running = new Set();

/** The children not yet reaped (for CPU accounting). */
export function runningPids() {
  return [...running].map((child) => child.pid);
}

/** Asks the kernel for a free loopback port (closed again before the caller binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a long-running child whose output goes to a log file. Returns a handle with its `pid`,
 * an `exited` promise and the log path. `env` replaces the environment when given.
 */
export function startServer({ command, args, logFile, env = process.env }) {
  const log = createWriteStream(logFile);
  const child = spawn(command, args, {
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  running.add(child);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return { pid: child.pid, exited, logFile };
}

/**
 * Runs a child to completion and collects its output. `onStderr` sees stderr as it arrives (for
 * progress lines); past `timeoutMs` the child and its group are stopped and the call rejects.
 */
export function runToEnd({ command, args, timeoutMs, env = process.env, onStderr }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      detached: true,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      onStderr?.(String(chunk));
    });
    const timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      reject(new Error(`${args[0] ?? command} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

function isAlive(child) {
  return child.exitCode === null && child.signalCode === null;
}

function signalGroup(child, signal) {
  if (!isAlive(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone: nothing left to stop.
  }
}

/**
 * Stops every child still running: SIGTERM (Rampart drains and exits, writing a CPU profile if
 * asked), then SIGKILL for whatever is left after `graceMs`.
 */
export async function stopAll(graceMs = 5_000) {
  const children = [...running].filter(isAlive);
  if (children.length === 0) return;
  const gone = children.map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) signalGroup(child, 'SIGTERM');
  const settled = Promise.all(gone).then(() => true);
  const timedOut = sleep(graceMs).then(() => false);
  if (await Promise.race([settled, timedOut])) return;
  for (const child of children) signalGroup(child, 'SIGKILL');
  await Promise.race([Promise.all(gone), sleep(1_000)]);
}

/** Polls `url` until it answers 200, the server exits, or `timeoutMs` passes. */
export async function waitForOk({ url, server, timeoutMs }) {
  let exitedEarly = null;
  void server.exited.then((result) => (exitedEarly = result));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitedEarly) {
      throw new Error(`process ${server.pid} exited early (${JSON.stringify(exitedEarly)})`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet: try again shortly.
    }
    await sleep(100);
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}

/**
 * Runs a benchmark's body in a temporary folder and always cleans up: every child stopped,
 * `cleanup` run (extra state to remove), and the folder removed unless kept. A signal or an
 * error finishes only once; on an error the folder is kept for its server logs.
 */
export async function runInWorkFolder({ name, work, keep, cleanup = async () => {} }, body) {
  let finishing = false;
  let keepWork = keep;
  const finish = async (code) => {
    // A signal stops the children, which fails the step in flight: finish only once.
    if (finishing) return;
    finishing = true;
    await stopAll();
    await cleanup();
    if (keepWork) console.error(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\n${name}: ${signal}, stopping`);
      void finish(130);
    });
  }
  try {
    await body();
    await finish(0);
  } catch (error) {
    if (finishing) return;
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`server logs are in ${work} (kept)`);
    keepWork = true;
    // A step may name its own exit code (a missing service, say).
    await finish(error?.exitCode ?? 1);
  }
}
