import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

const MAIN = new URL('../../../dist/cli/main.js', import.meta.url).pathname;

/** A `rampart serve` process of the built CLI, on a free loopback port. */
export interface SpawnedRampart {
  child: ChildProcess;
  url: string;
  /** Kills it with SIGKILL, as a crash would, and waits for it to be gone. */
  kill(): Promise<void>;
}

/** Where a test's process finds its config and keeps its data. */
export interface SpawnPlace {
  config: string;
  dataDir: string;
}

/** Creates an API key with the CLI, as an operator would; returns the key. */
export function createKeyWithCli(place: SpawnPlace, userId: string): string {
  const args = ['keys', 'create', '--user', userId, '--config', place.config];
  const created = spawnSync(process.execPath, [MAIN, ...args, '--data-dir', place.dataDir], {
    encoding: 'utf8',
  });
  return created.stdout.trim();
}

/** Starts `rampart serve` and resolves once it listens (its startup line names the URL). */
export async function spawnRampart(place: SpawnPlace): Promise<SpawnedRampart> {
  const args = ['serve', '--config', place.config, '--data-dir', place.dataDir, '--port', '0'];
  const child = spawn(process.execPath, [MAIN, ...args]);
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"(http:[^"]+)"/.exec(buffer);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${buffer}`)));
  });
  return {
    child,
    url,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
