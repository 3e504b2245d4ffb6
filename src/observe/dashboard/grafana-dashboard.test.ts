import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../app/test-support/harness.js';
import { parsePrometheusText, type Sample } from '../../app/test-support/prometheus-text.js';
import { newSession, postJson, sessionMessage } from '../../app/test-support/session-client.js';

/**
 * The Grafana dashboard in deploy/ must only chart what Rampart exposes: every metric name in
 * every PromQL expression (panels and variables) is checked against a real server's `/metrics`,
 * and every label it filters or groups by against the labels of the families it reads.
 */

const dashboard = JSON.parse(
  readFileSync(new URL('../../../deploy/grafana/rampart-dashboard.json', import.meta.url), 'utf8'),
);

/**
 * The labels of each Rampart family, as docs/observability.md lists them; checked below against
 * the samples a real server writes. Prometheus adds `instance` and `job` to every series.
 */
const LABELS: Record<string, string[]> = {
  rampart_model_time_to_first_token_seconds: ['provider', 'model', 'route'],
  rampart_model_call_duration_seconds: ['provider', 'model', 'route', 'outcome'],
  rampart_model_calls_total: ['provider', 'model', 'outcome'],
  rampart_turn_duration_seconds: ['route', 'outcome'],
  rampart_turns_total: ['route', 'outcome'],
  rampart_tool_duration_seconds: ['tool'],
  rampart_tool_calls_total: ['tool', 'outcome'],
  rampart_tokens_total: ['provider', 'model', 'kind'],
  rampart_conversation_tokens: [],
  rampart_conversation_cost_usd: [],
  rampart_conversation_turns: [],
  rampart_cost_usd_total: ['provider', 'model', 'component'],
  rampart_feedback_total: ['rating'],
  rampart_retries_total: [],
  rampart_abandoned_total: ['reason'],
  rampart_guard_verdicts_total: ['source', 'action'],
  rampart_redactions_total: ['type'],
  rampart_leaks_total: ['kind'],
  rampart_cache_hits_total: ['kind'],
  rampart_queue_wait_seconds: ['outcome'],
  rampart_rate_limit_rejections_total: ['route'],
  rampart_request_errors_total: ['http_route', 'code'],
  rampart_fallbacks_total: ['route'],
  rampart_breaker_state: ['target'],
  rampart_budget_exhausted_total: ['budget', 'action'],
  rampart_trace_spans_total: ['outcome'],
  rampart_stats_writes_total: ['outcome'],
  rampart_stats_minutes_dropped_total: [],
  rampart_build_info: ['version', 'node'],
};
const SCRAPE_LABELS = ['instance', 'job'];

/** The sample names a family of each type puts in the exposition. */
function sampleNames(family: string, type: string): string[] {
  if (type === 'histogram') return [`${family}_bucket`, `${family}_sum`, `${family}_count`];
  if (type === 'summary') return [family, `${family}_sum`, `${family}_count`];
  return [family];
}

/** The family a sample name belongs to. */
function familyOf(name: string, families: ReadonlyMap<string, string>): string | undefined {
  if (families.has(name)) return name;
  const family = name.replace(/_(bucket|sum|count)$/, '');
  return families.get(family) === 'histogram' || families.get(family) === 'summary'
    ? family
    : undefined;
}

interface Exposition {
  /** Family name to type, from the `# TYPE` lines. */
  families: Map<string, string>;
  /** Every sample name the families can write. */
  names: Set<string>;
  samples: Sample[];
}

/** Scrapes `/metrics` of a real server after a plain turn and a turn with a tool call. */
async function scrape(server: TestServer): Promise<Exposition> {
  const key = await server.key('grafana-check');
  await postJson(server, key, '/v1/chat/completions', {
    model: 'rampart-sim-1',
    messages: [{ role: 'user', content: 'Hello' }],
  });
  const session = await newSession(server, key);
  await sessionMessage(server, key, session, 'call calculator {"expression":"6*7"}');
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const families = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1]!, match[2]!);
  const names = new Set([...families].flatMap(([family, type]) => sampleNames(family, type)));
  return { families, names, samples: parsePrometheusText(text) };
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2']);

/** Metric names in a PromQL expression: identifiers that are not functions, labels or keywords. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names: string[] = [];
  for (const match of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const rest = bare.slice(match.index + match[0].length).trimStart();
    if (rest.startsWith('(') || KEYWORDS.has(match[0])) continue;
    names.push(match[0]);
  }
  return names;
}

type Panel = {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr: string; legendFormat: string; datasource: { uid: string } }>;
};

const panels = dashboard.panels as Panel[];
const charts = panels.filter((panel) => panel.type !== 'row');
const expressions = charts.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({
    panel: panel.title,
    expr: target.expr,
    legend: target.legendFormat,
  })),
);
const variableQueries = (dashboard.templating.list as any[])
  .filter((variable) => variable.type === 'query')
  .map((variable) => ({ name: variable.name, query: variable.definition as string }));

let server: TestServer;
let exposition: Exposition;

beforeAll(async () => {
  server = await startTestServer();
  exposition = await scrape(server);
});

afterAll(async () => {
  await server.close();
});

/** Labels a sample name can carry: its family's, `le` on buckets, and the scrape's own. */
function labelsOf(name: string): string[] {
  const family = familyOf(name, exposition.families) ?? name;
  const bucket = name.endsWith('_bucket') ? ['le'] : [];
  return [...(LABELS[family] ?? []), ...bucket, ...SCRAPE_LABELS];
}

describe('the Grafana dashboard in deploy/grafana', () => {
  it('finds metric names in PromQL, skipping functions, labels, ranges and keywords', () => {
    const expr =
      'histogram_quantile(0.95, sum by (le, model) (rate(a_bucket{tool=~"$tool", x!="ok"}[$__rate_interval]))) / sum without (le) (b_total) * 3600 and on (route) c';
    expect(metricNames(expr)).toEqual(['a_bucket', 'b_total', 'c']);
  });

  it('is a Grafana 10/11 dashboard over a ${datasource} Prometheus variable', () => {
    expect(dashboard.schemaVersion).toBe(39);
    expect(dashboard.uid).toBe('rampart-overview');
    const source = dashboard.templating.list[0];
    expect(source).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    expect(charts.length).toBeGreaterThan(30);
    for (const panel of charts) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.datasource.uid, panel.title).toBe('${datasource}');
      }
    }
  });

  it('has unique panel ids and a layout without overlaps inside 24 columns', () => {
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    const cells = new Set<string>();
    for (const { title, gridPos } of panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x += 1) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y += 1) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('queries only metric names Rampart exposes', () => {
    const unknown: string[] = [];
    for (const { panel, expr } of expressions) {
      const names = metricNames(expr);
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) if (!exposition.names.has(name)) unknown.push(`${panel}: ${name}`);
    }
    for (const { name, query } of variableQueries) {
      const metric = /^label_values\((\w+), *(\w+)\)$/.exec(query);
      expect(metric, name).not.toBeNull();
      if (!exposition.names.has(metric![1]!)) unknown.push(`variable ${name}: ${metric![1]}`);
      expect(labelsOf(metric![1]!), name).toContain(metric![2]);
    }
    expect(unknown).toEqual([]);
  });

  it('filters, groups and names series only by labels the families it reads have', () => {
    const wrong: string[] = [];
    for (const { panel, expr, legend } of expressions) {
      for (const [, metric, matchers] of expr.matchAll(/([a-zA-Z_:][\w:]*)\{([^}]*)\}/g)) {
        for (const [, label] of matchers!.matchAll(/(\w+)\s*[=!]~?"/g)) {
          if (!labelsOf(metric!).includes(label!)) wrong.push(`${panel}: ${metric}{${label}}`);
        }
      }
      const grouped = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap(([, list]) =>
        list!.split(',').map((label) => label.trim()),
      );
      const shared = metricNames(expr)
        .map(labelsOf)
        .reduce((common, labels) => common.filter((label) => labels.includes(label)));
      for (const label of grouped) {
        if (!shared.includes(label)) wrong.push(`${panel}: by (${label})`);
      }
      for (const [, label] of legend.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
        if (!grouped.includes(label!)) wrong.push(`${panel}: legend {{${label}}}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('knows the labels each family really has', () => {
    const rampart = [...exposition.families.keys()].filter((name) => name.startsWith('rampart_'));
    expect(rampart.sort()).toEqual(Object.keys(LABELS).sort());
    const seen = new Set<string>();
    for (const sample of exposition.samples) {
      const family = familyOf(sample.name, exposition.families);
      if (family === undefined || LABELS[family] === undefined) continue;
      seen.add(family);
      for (const label of Object.keys(sample.labels)) {
        if (label !== 'le') expect(LABELS[family], `${sample.name}{${label}}`).toContain(label);
      }
    }
    // The traffic above wrote samples of the busiest families, so the check is not vacuous.
    for (const family of [
      'rampart_turns_total',
      'rampart_tool_calls_total',
      'rampart_tokens_total',
    ]) {
      expect(seen.has(family), family).toBe(true);
    }
  });

  it('charts every Rampart metric family', () => {
    const used = new Set(expressions.flatMap(({ expr }) => metricNames(expr)));
    const unused = [...exposition.families]
      .filter(([family]) => family.startsWith('rampart_'))
      .filter(([family, type]) => !sampleNames(family, type).some((name) => used.has(name)))
      .map(([family]) => family);
    expect(unused).toEqual([]);
  });
});
