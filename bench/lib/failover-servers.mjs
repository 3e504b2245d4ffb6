/* global fetch, AbortSignal -- Node 20 globals; no-undef knows only the ECMAScript ones here */
// The servers of the failover benchmark: two of Rampart's own upstream simulators (a primary that
// is told to fail, and a spare that never is) and one Rampart per cell, routed to them. Each binds
// a free loopback port and is waited for until it answers.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { createKey } from './bench-servers.mjs';
import { freePort, startServer, waitForOk } from './processes.mjs';

const LOOPBACK = '127.0.0.1';

/** The model name the benchmark sends; it resolves to the route of the cell's variant. */
export const MODEL = 'bench';

/**
 * A second model name that goes only to the spare simulator, under a model id of its own: it
 * warms Rampart up without recording anything in the breakers of the measured route's targets
 * (a breaker is per `provider/model`).
 */
export const WARMUP_MODEL = 'warmup';

/** The route targets, as Rampart names them in its logs and its `x-rampart-served-by` header. */
export const PRIMARY_TARGET = 'primary/sim-primary';
export const SPARE_TARGET = 'spare/sim-spare';

async function simulatorCall(simulator, method, route, body) {
  const response = await fetch(`${simulator.base}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(
      `${method} ${route} on the ${simulator.name} simulator: ${response.status} ${text}`,
    );
  }
  return JSON.parse(text);
}

/**
 * Starts `rampart upstream-sim` from the build; resolves once `/__faults` answers, which also
 * proves the build has the runtime fault routes the benchmark relies on.
 */
export async function startSimulator({ cli, name, work, env, answer }) {
  const port = await freePort();
  const server = startServer({
    command: process.execPath,
    args: [
      cli,
      'upstream-sim',
      '--host',
      LOOPBACK,
      '--port',
      String(port),
      '--first-token-ms',
      String(answer.firstTokenMs),
      '--tokens-per-second',
      String(answer.tokensPerSecond),
      '--answer-tokens',
      String(answer.answerTokens),
    ],
    logFile: path.join(work, `sim-${name}.log`),
    env: { ...env, RAMPART_LOG_LEVEL: 'warn' },
  });
  const base = `http://${LOOPBACK}:${port}`;
  await waitForOk({ url: `${base}/__faults`, server, timeoutMs: 15_000 });
  return { name, server, port, base };
}

/** Replaces the simulator's fault rules (`PUT /__faults`); resolves to the rules in force. */
export async function setFaults(simulator, faults) {
  const answer = await simulatorCall(simulator, 'PUT', '/__faults', { faults });
  return answer.faults;
}

/** Zeroes the simulator's counters (`POST /__reset`); its fault rules stay. */
export async function resetSimulator(simulator) {
  await simulatorCall(simulator, 'POST', '/__reset');
}

/** The simulator's counters (`GET /__stats`). */
export async function simulatorStats(simulator) {
  return simulatorCall(simulator, 'GET', '/__stats');
}

function rampartConfig({ port, primary, spare, route, resilience }) {
  const fallbacks = route.fallback ? `, fallbacks: [{ provider: spare, model: sim-spare }]` : '';
  const continuation = route.continueOnFailure ? ', continueOnFailure: true' : '';
  return [
    `server: { host: ${LOOPBACK}, port: ${port} }`,
    'log: { level: warn }',
    'providers:',
    `  primary: { type: openai, baseUrl: http://${LOOPBACK}:${primary.port}/v1 }`,
    `  spare: { type: openai, baseUrl: http://${LOOPBACK}:${spare.port}/v1 }`,
    'models:',
    `  ${MODEL}: { provider: primary, model: sim-primary${fallbacks}${continuation} }`,
    `  ${WARMUP_MODEL}: { provider: spare, model: sim-warmup }`,
    ...resilience,
    '',
  ].join('\n');
}

/**
 * Starts a fresh Rampart (its own folder, data and key, so no breaker state carries over from
 * another cell) with the route and `resilience` lines of a variant; resolves once `/readyz`
 * answers.
 */
export async function startRampart({ cli, work, env, primary, spare, route, resilience }) {
  mkdirSync(work, { recursive: true });
  const port = await freePort();
  const configFile = path.join(work, 'rampart.yaml');
  const dataDir = path.join(work, 'data');
  const config = rampartConfig({ port, primary, spare, route, resilience });
  writeFileSync(configFile, config);
  const key = await createKey({ cli, configFile, dataDir, env });
  const logFile = path.join(work, 'rampart.log');
  const server = startServer({
    command: process.execPath,
    args: [cli, 'serve', '--config', configFile, '--data-dir', dataDir],
    logFile,
    env,
  });
  const base = `http://${LOOPBACK}:${port}`;
  await waitForOk({ url: `${base}/readyz`, server, timeoutMs: 30_000 });
  return { server, key, port, config, logFile };
}
