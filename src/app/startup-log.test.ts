import { describe, expect, it } from 'vitest';
import { keysHint } from './startup-log.js';

describe('the hint for a first API key', () => {
  it('names the store the server was started with', () => {
    expect(keysHint({ source: 'the defaults', dataDir: './.rampart' })).toBe(
      'npx rampart keys create --user <id>',
    );
    expect(keysHint({ source: 'the defaults', dataDir: '/srv/rampart' })).toBe(
      'npx rampart keys create --data-dir /srv/rampart --user <id>',
    );
    expect(keysHint({ source: 'deploy/rampart.yaml', dataDir: './.rampart' })).toBe(
      'npx rampart keys create --config deploy/rampart.yaml --user <id>',
    );
  });

  it('quotes a path the shell would split', () => {
    expect(keysHint({ source: 'the defaults', dataDir: "/tmp/my data's" })).toBe(
      "npx rampart keys create --data-dir '/tmp/my data'\\''s' --user <id>",
    );
  });
});
