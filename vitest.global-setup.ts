import { execFileSync } from 'node:child_process';

/**
 * The CLI tests run the built `rampart` command, so build it from the current sources first
 * rather than testing whatever `dist/` happens to hold.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
