#!/usr/bin/env node
import { isRampartError, RampartError } from '../core/errors.js';
import { rampartVersion } from '../core/version.js';
import { UsageError } from './args.js';
import { guard, GUARD_HELP } from './guard.js';
import { keys, KEYS_HELP } from './keys.js';
import { serve, SERVE_HELP } from './serve.js';
import { upstreamSim, UPSTREAM_SIM_HELP } from './upstream-sim.js';

const HELP = `rampart — a production runtime for AI assistants

Usage: rampart <command> [flags]

Commands:
  serve          start the server (embedded defaults need no config)
  keys           create, list and revoke API keys
  guard          measure the guard on labelled data (guard eval injection|pii|secrets|leak)
  upstream-sim   run the simulated model over HTTP (OpenAI and Anthropic formats)

Run "rampart <command> --help" for a command's flags.`;

const commands: Record<string, { run: (argv: string[]) => Promise<void>; help: string }> = {
  serve: { run: serve, help: SERVE_HELP },
  keys: { run: keys, help: KEYS_HELP },
  guard: { run: guard, help: GUARD_HELP },
  'upstream-sim': { run: upstreamSim, help: UPSTREAM_SIM_HELP },
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return;
  }
  if (name === '--version' || name === '-v') {
    console.log(rampartVersion() ?? 'unknown');
    return;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"\n\n${HELP}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return;
  }
  await command.run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`rampart: ${error.message}`);
    process.exit(2);
  }
  // A bad config is the operator's to fix: say what is wrong, no stack trace.
  if (isRampartError(error, 'RAMPART_CONFIG_INVALID')) {
    console.error(`rampart: ${error.message}`);
    process.exit(78);
  }
  // A backend that cannot be reached at start is the operator's to fix too: one clear line.
  if (error instanceof RampartError && error.code !== 'RAMPART_INTERNAL') {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    console.error(`rampart: ${error.message}${cause}`);
    process.exit(1);
  }
  // A port another process holds: the operator's to change, and how is worth saying.
  if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    const { address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
    console.error(
      `rampart: ${address ?? 'the address'}:${port ?? '?'} is already in use; ` +
        'choose another port with --port N or RAMPART_PORT',
    );
    process.exit(1);
  }
  console.error('rampart: fatal error:', error);
  process.exit(1);
});
