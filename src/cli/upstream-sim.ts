import { createLogger } from '../core/logger.js';
import { startUpstreamSimulator } from '../upstream-sim/index.js';
import { intFlag, parseFlags } from './args.js';

export const UPSTREAM_SIM_HELP = `rampart upstream-sim — the simulated model over HTTP, in the OpenAI
and Anthropic wire formats (POST /v1/chat/completions, POST /v1/messages)

  --port N                 port (default 8700)
  --host H                 interface (default 127.0.0.1)
  --seed N                 seed of the deterministic model (default 1)
  --first-token-ms N       delay before the first token (default 0)
  --tokens-per-second N    streaming rate, 0 = as fast as possible (default 0)
  --answer-tokens N        length of a plain answer (default 30)

Faults per request: header "x-sim-fault", or a directive in the last user message
(see docs/upstream-sim.md).`;

/** Runs the upstream simulator until SIGINT or SIGTERM. */
export async function upstreamSim(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    'first-token-ms': { type: 'string' },
    'tokens-per-second': { type: 'string' },
    'answer-tokens': { type: 'string' },
  });
  const logger = createLogger({ level: process.env.RAMPART_LOG_LEVEL ?? 'info' });
  const simulator = await startUpstreamSimulator({
    host: values.host ?? '127.0.0.1',
    port: intFlag(values.port, 'port', [0, 65_535]) ?? 8700,
    seed: intFlag(values.seed, 'seed', [0, 2 ** 31]) ?? 1,
    firstTokenMs: intFlag(values['first-token-ms'], 'first-token-ms', [0, 600_000]) ?? 0,
    tokensPerSecond: intFlag(values['tokens-per-second'], 'tokens-per-second', [0, 1_000_000]) ?? 0,
    answerTokens: intFlag(values['answer-tokens'], 'answer-tokens', [1, 100_000]) ?? 30,
    logger,
  });
  logger.info(
    { url: simulator.url },
    'upstream simulator listening (simulated model, not a real provider)',
  );
  const stop = () => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
