/**
 * The `openai` provider: OpenAI's Chat Completions API and every compatible server (vLLM,
 * Ollama, llama.cpp, Groq, Together, OpenRouter, Azure through a base URL).
 */
export { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js';
