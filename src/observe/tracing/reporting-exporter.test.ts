import { Writable } from 'node:stream';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ReportingExporter } from './reporting-exporter.js';

/** An exporter whose every export ends as `next` says. */
function scripted(results: ExportResult[]): SpanExporter {
  return {
    export(_spans, done) {
      done(results.shift() ?? { code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => undefined,
  };
}

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, sink) };
}

const spans = (count: number) => Array.from({ length: count }, () => ({}) as ReadableSpan);
const failed = (message: string): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: new Error(message),
});

describe('ReportingExporter', () => {
  it('logs the first failure at once, a recovery once, then one line per interval with what failed since', () => {
    const { lines, logger } = capture();
    let now = 1_000_000;
    const inner = scripted([
      failed('connect ECONNREFUSED'),
      failed('connect ECONNREFUSED'),
      { code: ExportResultCode.SUCCESS },
      failed('Request timed out'),
      failed('Request timed out'),
    ]);
    const exporter = new ReportingExporter(inner, {
      logger,
      endpoint: 'http://127.0.0.1:4318/v1/traces',
      intervalMs: 60_000,
      now: () => now,
    });
    const results: ExportResultCode[] = [];
    const send = (count: number, at: number) => {
      now = at;
      exporter.export(spans(count), (result) => results.push(result.code));
    };
    send(3, 1_000_000);
    send(4, 1_010_000);
    send(5, 1_020_000);
    send(6, 1_059_999);
    send(7, 1_060_000);
    expect(results).toEqual([
      ExportResultCode.FAILED,
      ExportResultCode.FAILED,
      ExportResultCode.SUCCESS,
      ExportResultCode.FAILED,
      ExportResultCode.FAILED,
    ]);
    const failures = lines.map(({ level, msg, failedExports, droppedSpans, reason, endpoint }) => ({
      level,
      msg,
      failedExports,
      droppedSpans,
      reason,
      endpoint,
    }));
    const shared = {
      level: 40,
      msg: 'trace export failed; its spans were dropped',
      endpoint: 'http://127.0.0.1:4318/v1/traces',
    };
    expect(failures).toEqual([
      { ...shared, failedExports: 1, droppedSpans: 3, reason: 'connect ECONNREFUSED' },
      // The collector came back: what failed after the warning is told then, not lost.
      {
        level: 30,
        msg: 'trace export recovered',
        endpoint: 'http://127.0.0.1:4318/v1/traces',
        failedExports: 1,
        droppedSpans: 4,
        reason: undefined,
      },
      { ...shared, failedExports: 2, droppedSpans: 13, reason: 'Request timed out' },
    ]);
  });
});
