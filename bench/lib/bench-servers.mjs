// The two servers of a run: peerbench's upstream simulator and Rampart routed to it, each on a
// free loopback port, each waited for until it answers.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { freePort, runToEnd, startServer, waitForOk } from './processes.mjs';

const LOOPBACK = '127.0.0.1';

/** The model name the bench config declares; the same name is sent to the direct upstream. */
export const MODEL = 'bench';

/**
 * The environment for the children, less Rampart's own `RAMPART_*` variables: they would
 * override the bench config (the environment beats the file).
 */
export function childEnvironment() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('RAMPART_')),
  );
}

// `extraConfig` holds further top-level YAML lines (a `state` or `limits` block, say).
function benchConfig({ simPort, rampartPort, extraConfig = [] }) {
  return [
    `server: { host: ${LOOPBACK}, port: ${rampartPort} }`,
    'log: { level: warn }',
    'providers:',
    `  up: { type: openai, baseUrl: http://${LOOPBACK}:${simPort}/v1 }`,
    'models:',
    `  ${MODEL}: { provider: up, model: gpt-4o-mini }`,
    ...extraConfig,
    '',
  ].join('\n');
}

/** Starts the simulator; resolves once `/__stats` answers. */
export async function startUpstream({ options, work, env }) {
  const port = await freePort();
  const server = startServer({
    command: process.execPath,
    args: [
      path.join(options.peerbench, 'upstream-sim.mjs'),
      '--port',
      String(port),
      '--host',
      LOOPBACK,
    ],
    logFile: path.join(work, 'upstream-sim.log'),
    env,
  });
  await waitForOk({ url: `http://${LOOPBACK}:${port}/__stats`, server, timeoutMs: 15_000 });
  return { server, port, url: `http://${LOOPBACK}:${port}/v1/chat/completions` };
}

/** Creates the `bench` user's API key with the CLI, over a config's data folder. */
export async function createKey({ cli, configFile, dataDir, env }) {
  const result = await runToEnd({
    command: process.execPath,
    args: [cli, 'keys', 'create', '--user', 'bench', '--config', configFile, '--data-dir', dataDir],
    timeoutMs: 30_000,
    env,
  });
  const key = result.stdout.trim();
  if (result.code !== 0 || !key) throw new Error(`keys create failed: ${result.stderr}`);
  return key;
}

/**
 * Writes the bench config (plus `extraConfig`, further top-level YAML lines, when given), creates
 * an API key and starts Rampart (under `--cpu-prof` when asked); resolves once `/readyz` answers.
 */
export async function startRampart({ options, cli, work, env, simPort, extraConfig }) {
  const port = await freePort();
  const configFile = path.join(work, 'rampart.yaml');
  const dataDir = path.join(work, 'data');
  writeFileSync(configFile, benchConfig({ simPort, rampartPort: port, extraConfig }));
  const key = await createKey({ cli, configFile, dataDir, env });
  const profile = options['cpu-prof']
    ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(options['cpu-prof'])]
    : [];
  const server = startServer({
    command: process.execPath,
    args: [
      ...profile,
      cli,
      'serve',
      '--config',
      configFile,
      '--data-dir',
      dataDir,
      '--host',
      LOOPBACK,
      '--port',
      String(port),
    ],
    logFile: path.join(work, 'rampart.log'),
    env,
  });
  await waitForOk({ url: `http://${LOOPBACK}:${port}/readyz`, server, timeoutMs: 30_000 });
  return { server, key, url: `http://${LOOPBACK}:${port}/v1/chat/completions` };
}
