/** The `anthropic` provider: Anthropic's Messages API over HTTP. */
export {
  createAnthropicProvider,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  DEFAULT_ANTHROPIC_VERSION,
  type AnthropicProviderOptions,
} from './anthropic-provider.js';
