import { createRampart } from '../app/index.js';
import { intFlag, parseFlags } from './args.js';

export const SERVE_HELP = `rampart serve — start the assistant server

  --port N         port to listen on (default 8600, env RAMPART_PORT)
  --host H         interface to bind (default 127.0.0.1, env RAMPART_HOST)
  --data-dir DIR   where the SQLite database lives (default ./.rampart, env RAMPART_DATA_DIR)
  --config FILE    YAML config file (optional; embedded defaults otherwise)`;

/** Starts the server and stops it gracefully on SIGINT or SIGTERM. */
export async function serve(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    config: { type: 'string' },
  });
  const port = intFlag(values.port, 'port', [0, 65_535]);
  const rampart = await createRampart({
    ...(values.config === undefined ? {} : { configFile: values.config }),
    overrides: {
      ...(port === undefined ? {} : { port }),
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    },
  });
  const { logger } = rampart;
  await rampart.listen();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    rampart.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
