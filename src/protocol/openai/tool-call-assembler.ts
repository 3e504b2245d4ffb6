import { randomUUID } from 'node:crypto';

import {
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  RampartError,
  type ModelEvent,
} from '../../core/index.js';
import { asRecord, asText } from './wire-values.js';

interface AssembledCall {
  /** Our index: the call's place in order of first appearance. */
  index: number;
  /** The id the server sent, if any; `id` may be one we made up for a server that sent none. */
  wireId: string | undefined;
  id: string | undefined;
  name: string | undefined;
  arguments: string;
  started: boolean;
}

/**
 * Assembles streamed `tool_calls` fragments into calls. A fragment belongs to the call last seen
 * at its `index`, unless it brings a different `id`: then it starts a new call, because some
 * compatible servers put parallel calls at the same index (field case P08). Calls are renumbered
 * in order of first appearance. A name is taken once and never appended to, since some servers
 * repeat it on every fragment. Argument text is kept exactly as sent: never parsed, repaired or
 * replaced (field cases P10, P11).
 */
export class ToolCallAssembler {
  private readonly calls: AssembledCall[] = [];
  private readonly bySlot = new Map<number, AssembledCall>();

  get hasCalls(): boolean {
    return this.calls.length > 0;
  }

  /**
   * Adds the `tool_calls` array of one delta; returns the events it produces. Arguments sent as an
   * object nested too deep throw `RAMPART_UPSTREAM_BAD_RESPONSE`.
   */
  add(fragments: unknown): ModelEvent[] {
    if (!Array.isArray(fragments)) return [];
    return fragments.flatMap((fragment: unknown, position) => this.addOne(fragment, position));
  }

  /** Ends every call, with its complete argument text; call when the choice finishes. */
  finish(): ModelEvent[] {
    const events: ModelEvent[] = [];
    for (const call of this.calls) {
      if (!call.started) events.push(...this.start(call));
      const { index, id = '', name = '' } = call;
      events.push({ type: 'tool-call-end', index, id, name, arguments: call.arguments });
    }
    this.calls.length = 0;
    this.bySlot.clear();
    return events;
  }

  private addOne(fragment: unknown, position: number): ModelEvent[] {
    const record = asRecord(fragment);
    if (!record) return [];
    const fn = asRecord(record.function);
    const slot = typeof record.index === 'number' ? record.index : position;
    const id = asText(record.id);
    const call = this.callFor(slot, id);

    call.wireId ??= id;
    if (!call.started) call.id ??= id;
    if (call.name === undefined) call.name = asText(fn?.name);
    const fragmentText = argumentText(fn?.arguments);
    call.arguments += fragmentText;

    if (!call.started) return call.name === undefined ? [] : this.start(call);
    if (fragmentText === '') return [];
    return [{ type: 'tool-call-delta', index: call.index, argumentsDelta: fragmentText }];
  }

  private callFor(slot: number, id: string | undefined): AssembledCall {
    const current = this.bySlot.get(slot);
    const isNewCall = id !== undefined && current?.wireId !== undefined && current.wireId !== id;
    if (current && !isNewCall) return current;

    const call: AssembledCall = {
      index: this.calls.length,
      wireId: id,
      id,
      name: undefined,
      arguments: '',
      started: false,
    };
    this.calls.push(call);
    this.bySlot.set(slot, call);
    return call;
  }

  /** Opens a call, sending any argument text that arrived before its name. */
  private start(call: AssembledCall): ModelEvent[] {
    call.started = true;
    call.id ??= `call_${randomUUID().replaceAll('-', '')}`;
    call.name ??= '';
    const events: ModelEvent[] = [
      { type: 'tool-call-start', index: call.index, id: call.id, name: call.name },
    ];
    if (call.arguments !== '') {
      events.push({ type: 'tool-call-delta', index: call.index, argumentsDelta: call.arguments });
    }
    return events;
  }
}

/**
 * Argument text as sent. A server that sends an object instead of text gets it serialised once;
 * an object nested deeper than {@link MAX_JSON_DEPTH} throws `RAMPART_UPSTREAM_BAD_RESPONSE`
 * rather than risk overflowing the stack in `JSON.stringify`.
 */
function argumentText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return '';
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    const message = `Upstream tool call arguments are nested deeper than ${MAX_JSON_DEPTH} levels`;
    throw new RampartError('RAMPART_UPSTREAM_BAD_RESPONSE', message);
  }
  return JSON.stringify(value);
}
