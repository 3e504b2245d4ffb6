import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Counts the spans handed to the batch processor before passing them on. The batch processor
 * drops spans silently once its queue is full; spans counted here but never reported exported
 * or failed are how an operator sees that happen.
 */
export class CountingProcessor implements SpanProcessor {
  readonly #inner: SpanProcessor;
  readonly #onEnded: () => void;

  constructor(inner: SpanProcessor, onEnded: () => void) {
    this.#inner = inner;
    this.#onEnded = onEnded;
  }

  onStart(span: Span, parentContext: Context): void {
    this.#inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.#onEnded();
    this.#inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}
