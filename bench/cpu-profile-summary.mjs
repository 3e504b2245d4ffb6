#!/usr/bin/env node
// Reads a V8 .cpuprofile (as written by `node --cpu-prof`, e.g. through
// `bench/overhead.mjs --cpu-prof DIR`) and prints where the samples fell: self time by function
// and by package or source folder, so that the hot spots of a benchmark run can be named.
//
//   node bench/cpu-profile-summary.mjs PROFILE.cpuprofile [--top 25] [--under REGEX]
//
// --under REGEX keeps only the samples taken inside a call whose "function url" matches REGEX
// (e.g. 'settle .*telemetry-stage' for everything a turn's telemetry costs, callees included),
// and says how much of the busy time that was.
import console from 'node:console';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' }, under: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  console.error(
    'usage: node bench/cpu-profile-summary.mjs PROFILE.cpuprofile [--top N] [--under REGEX]',
  );
  process.exit(2);
}

const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const top = Number(values.top);

// Sample i lasted timeDeltas[i + 1]; the last sample's length is unknown, so it counts as zero.
const selfUs = new Map();
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index + 1] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
});

/** Which package or source folder a script belongs to. */
function area(url) {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return 'node: core';
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules !== -1) {
    const rest = url.slice(inModules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const inDist = url.indexOf('/dist/');
  if (inDist !== -1)
    return `rampart ${url
      .slice(inDist + 1)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url;
}

const parentOf = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const under = values.under === undefined ? undefined : new RegExp(values.under);
/** Whether a node's stack, itself included, holds a call matching --under. */
function inside(node) {
  for (let at = node; at; at = parentOf.get(at.id)) {
    if (under.test(`${at.callFrame.functionName} ${at.callFrame.url}`)) return true;
  }
  return false;
}

// Shares are of busy time: the idle samples say only how long the process waited for work.
const byFunction = new Map();
const byArea = new Map();
let totalUs = 0;
let idleUs = 0;
let underUs = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  if (node.callFrame.functionName === '(idle)') {
    idleUs += us;
    continue;
  }
  totalUs += us;
  if (under && !inside(byId.get(node.id))) continue;
  underUs += us;
  const frame = node.callFrame;
  const file = frame.url ? frame.url.split('/').slice(-2).join('/') : '';
  const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const where = area(frame.url);
  byArea.set(where, (byArea.get(where) ?? 0) + us);
}

function print(title, totals) {
  console.log(`\n${title}`);
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, us] of rows) {
    const share = ((us / (under ? underUs : totalUs)) * 100).toFixed(1).padStart(5);
    console.log(`${share} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
}

console.log(
  `${(totalUs / 1e6).toFixed(1)} s busy, ${(idleUs / 1e6).toFixed(1)} s idle in ${positionals[0]}`,
);
if (under) {
  const share = ((underUs / totalUs) * 100).toFixed(2);
  console.log(`inside ${values.under}: ${(underUs / 1000).toFixed(0)} ms, ${share} % of busy time`);
}
print('self time by package or folder', byArea);
print('self time by function', byFunction);
