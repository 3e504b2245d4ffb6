import { execFileSync } from 'node:child_process';
import process from 'node:process';

/**
 * The CLI tests run the built `rampart` command, so build it from the current sources first
 * rather than testing whatever `dist/` happens to hold.
 */
export default function setup(): void {
  // Said once at the start, not only as "skipped" beside each suite at the end.
  const missing = ['REDIS_URL', 'DATABASE_URL'].filter((name) => !process.env[name]);
  if (missing.length > 0 && !process.env.CI) {
    process.stderr.write(
      `${missing.join(' and ')} not set: the suites that need Redis or PostgreSQL are skipped ` +
        '(README, "Development", says how to run them).\n',
    );
  }
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
