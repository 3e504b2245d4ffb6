import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(args: string[], cwd = tempDir()) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const REPO = new URL('../..', import.meta.url).pathname;

/**
 * Starts a long-running command (by default `rampart` itself) and resolves with the first JSON
 * log line that has a `url`.
 */
function start(
  args: string[],
  cwd: string,
  options: { command?: string[]; env?: Record<string, string> } = {},
): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const [file, ...first] = options.command ?? [process.execPath, MAIN];
  const env = { PATH: process.env.PATH, ...options.env };
  const child = spawn(file!, [...first, ...args], { cwd, env });
  cleanups.push(() => child.kill('SIGKILL'));
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const url = (JSON.parse(line) as { url?: string }).url;
        if (url) resolve({ child, url, lines });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${lines.join('\n')}`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('rampart CLI', () => {
  it('prints help and refuses unknown commands and flags with exit code 2', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/serve[\s\S]*keys[\s\S]*upstream-sim/);
    expect(run(['launch']).status).toBe(2);
    const badFlag = run(['serve', '--prot', '1']);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toContain('--prot');
    expect(run(['serve', '--port', 'eighty']).stderr).toContain('--port must be a whole number');
  });

  it('creates, lists and revokes keys, printing the secret once on stdout', () => {
    const dir = tempDir();
    const created = run([
      'keys',
      'create',
      '--user',
      'alice',
      '--tier',
      'premium',
      '--permission',
      'metrics:read',
      '--permission',
      'table:orders',
      '--label',
      'laptop\tcli',
      '--data-dir',
      dir,
    ]);
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^rk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('user alice');
    const listed = run(['keys', 'list', '--data-dir', dir]);
    expect(listed.stdout).toContain(
      'alice\tuser\tpremium\tactive\t-\tmetrics:read,table:orders\tlaptop cli\n',
    );
    // The column names are for a reader, on stderr; stdout holds rows only.
    expect(listed.stderr).toContain('KEY_ID\tUSER\tROLE\tTIER\tSTATE\tTEAM\tPERMISSIONS\tLABEL');
    expect(listed.stdout).not.toContain('KEY_ID');
    expect(listed.stdout).not.toContain(key);
    const teamArgs = ['keys', 'create', '--user', 'bob', '--team', 'research', '--data-dir', dir];
    expect(run(teamArgs).status).toBe(0);
    expect(run(['keys', 'list', '--user', 'bob', '--data-dir', dir]).stdout).toContain(
      'bob\tuser\tstandard\tactive\tresearch\t-\t-\n',
    );
    const keyId = listed.stdout.split('\t')[0]!;
    expect(run(['keys', 'revoke', keyId, '--data-dir', dir]).status).toBe(0);
    expect(run(['keys', 'list', '--data-dir', dir]).stdout).toContain('revoked');
    expect(run(['keys', 'create', '--data-dir', dir]).status).toBe(2);
  });

  it('stops a bad config with exit code 78 and a message naming the key', () => {
    const dir = tempDir();
    const file = join(dir, 'rampart.yaml');
    writeFileSync(
      file,
      'server:\n  port: 99999\nmodels:\n  fast: { provider: nowhere, model: x }\n',
    );
    const result = run(['serve', '--config', file, '--data-dir', dir]);
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('server.port');
    expect(result.stderr).not.toContain('    at ');
  });

  it('serves on embedded defaults, says what is simulated, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const key = run(
      ['keys', 'create', '--user', 'alice', '--data-dir', '.rampart'],
      dir,
    ).stdout.trim();
    const { child, url, lines } = await start(['serve', '--port', '0'], dir);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await models.json()) as { data: Array<{ id: string }> }).data[0]!.id).toBe(
      'rampart-sim-1',
    );
    expect(lines.join('\n')).toContain('simulated');
    const exited = exitCode(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('stops the server when `npm start` is told to stop, as a process manager does', async () => {
    const data = tempDir();
    const { child, url } = await start(['--', '--port', '0'], REPO, {
      command: ['npm', 'start', '--silent'],
      env: { HOME: data, RAMPART_DATA_DIR: data },
    });
    const exited = exitCode(child);
    child.kill('SIGTERM');
    await exited;
    // The server is npm's child: it must go too, not stay behind holding the port.
    const deadline = Date.now() + 10_000;
    let closed = false;
    while (!closed && Date.now() < deadline) {
      closed = await fetch(`${url}/healthz`).then(
        () => false,
        () => true,
      );
      if (!closed) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(closed).toBe(true);
  });

  it('says plainly that a port is taken, and how to choose another', async () => {
    const dir = tempDir();
    const { child, url } = await start(['serve', '--port', '0'], dir);
    const port = new URL(url).port;
    const second = run(['serve', '--port', port, '--data-dir', join(dir, 'second')], dir);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`127.0.0.1:${port} is already in use`);
    expect(second.stderr).toContain('--port N or RAMPART_PORT');
    expect(second.stderr).not.toContain('    at ');
    const exited = exitCode(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('runs the upstream simulator', async () => {
    const { child, url } = await start(['upstream-sim', '--port', '0'], tempDir());
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rampart-sim-1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toContain('hi');
    const exited = exitCode(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
