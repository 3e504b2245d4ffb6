import { toRampartError, type ModelEvent, type ModelRequest } from '../../core/index.js';
import type { Provider, ProviderCallOptions } from '../provider.js';
import {
  createSimulatedModel,
  type SimulatedModel,
  type SimulatedModelOptions,
} from './simulated-model.js';

export interface SimulatedProviderOptions extends SimulatedModelOptions {
  /** The configured provider name. Default `simulated`. */
  name?: string;
}

/** A provider whose model is the in-process simulated model; it reports itself as simulated. */
export function createSimulatedProvider(options: SimulatedProviderOptions = {}): Provider {
  const { name = 'simulated', ...modelOptions } = options;
  const model = createSimulatedModel(modelOptions);
  return {
    name,
    kind: 'simulated',
    simulated: true,
    stream: (request, callOptions) => guardedStream(model, request, callOptions),
    close: () => Promise.resolve(),
  };
}

/** Keeps the provider promise: whatever goes wrong arrives as a final `error` event. */
async function* guardedStream(
  model: SimulatedModel,
  request: ModelRequest,
  options: ProviderCallOptions = {},
): AsyncGenerator<ModelEvent, void, undefined> {
  let sentContent = false;
  try {
    for await (const event of model.stream(request, { signal: options.signal })) {
      sentContent ||= event.type !== 'usage' && event.type !== 'finish' && event.type !== 'error';
      yield event;
    }
  } catch (error) {
    yield { type: 'error', error: toRampartError(error), beforeContent: !sentContent };
  }
}
