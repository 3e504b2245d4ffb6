import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

/**
 * The Grafana dashboard in deploy/ must only chart what Rampart exposes: every metric name in
 * every PromQL expression (panels and variables) is checked against the exposition.
 */

const dashboard = JSON.parse(
  readFileSync(new URL('../../../deploy/grafana/rampart-dashboard.json', import.meta.url), 'utf8'),
);

/** Rampart's metric families and their types, as the observe contract names them. */
const CONTRACT: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  rampart_model_time_to_first_token_seconds: 'histogram',
  rampart_model_call_duration_seconds: 'histogram',
  rampart_model_calls_total: 'counter',
  rampart_turn_duration_seconds: 'histogram',
  rampart_turns_total: 'counter',
  rampart_tool_duration_seconds: 'histogram',
  rampart_tool_calls_total: 'counter',
  rampart_tokens_total: 'counter',
  rampart_conversation_tokens: 'histogram',
  rampart_conversation_cost_usd: 'histogram',
  rampart_conversation_turns: 'histogram',
  rampart_cost_usd_total: 'counter',
  rampart_feedback_total: 'counter',
  rampart_retries_total: 'counter',
  rampart_abandoned_total: 'counter',
  rampart_guard_verdicts_total: 'counter',
  rampart_redactions_total: 'counter',
  rampart_leaks_total: 'counter',
  rampart_cache_hits_total: 'counter',
  rampart_queue_wait_seconds: 'histogram',
  rampart_rate_limit_rejections_total: 'counter',
  rampart_fallbacks_total: 'counter',
  rampart_breaker_state: 'gauge',
  rampart_budget_exhausted_total: 'counter',
};

/** The sample names a family of each type puts in the exposition. */
function sampleNames(family: string, type: string): string[] {
  if (type === 'histogram') return [`${family}_bucket`, `${family}_sum`, `${family}_count`];
  if (type === 'summary') return [family, `${family}_sum`, `${family}_count`];
  return [family];
}

/** Families and types from `# TYPE` lines of a Prometheus text exposition. */
function familiesOf(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    families.set(match[1]!, match[2]!);
  }
  return families;
}

async function exposedNames(): Promise<Set<string>> {
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  const families = new Map([...Object.entries(CONTRACT), ...familiesOf(await defaults.metrics())]);
  return new Set([...families].flatMap(([family, type]) => sampleNames(family, type)));
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
  targets?: Array<{ expr: string; datasource: { uid: string } }>;
};

const panels = dashboard.panels as Panel[];
const charts = panels.filter((panel) => panel.type !== 'row');
const expressions = charts.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })),
);
const variableQueries = (dashboard.templating.list as any[])
  .filter((variable) => variable.type === 'query')
  .map((variable) => ({ name: variable.name, query: variable.definition as string }));

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

  it('queries only metric names Rampart exposes', async () => {
    const exposed = await exposedNames();
    const unknown: string[] = [];
    for (const { panel, expr } of expressions) {
      const names = metricNames(expr);
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) if (!exposed.has(name)) unknown.push(`${panel}: ${name}`);
    }
    for (const { name, query } of variableQueries) {
      const metric = /^label_values\((\w+), *\w+\)$/.exec(query)?.[1];
      expect(metric, name).toBeDefined();
      if (!exposed.has(metric!)) unknown.push(`variable ${name}: ${metric}`);
    }
    expect(unknown).toEqual([]);
  });

  it('charts every Rampart metric family', () => {
    const used = new Set(expressions.flatMap(({ expr }) => metricNames(expr)));
    const unused = Object.entries(CONTRACT)
      .filter(([family, type]) => !sampleNames(family, type).some((name) => used.has(name)))
      .map(([family]) => family);
    expect(unused).toEqual([]);
  });
});
