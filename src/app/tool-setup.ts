import type { RampartConfig, ToolConfig } from '../config/index.js';
import { configError } from '../config/index.js';
import { builtinTools, createHttpTool, ToolRegistry, type ToolDefinition } from '../tools/index.js';

function httpTool(name: string, tool: ToolConfig, config: RampartConfig): ToolDefinition {
  const longestAssistantTimeout = Math.max(
    ...Object.values(config.assistants).map((assistant) => assistant.toolTimeoutMs),
  );
  const definition = createHttpTool({
    name,
    description: tool.description,
    parameters: tool.parameters,
    url: tool.handler.url,
    headers: tool.handler.headers,
    maxResponseBytes: tool.handler.maxResponseBytes,
    timeoutMs: tool.timeoutMs ?? longestAssistantTimeout,
  });
  // Without its own timeout the tool runs under each assistant's `toolTimeoutMs`.
  if (tool.timeoutMs === undefined) delete definition.timeoutMs;
  if (tool.dataClasses) definition.dataClasses = tool.dataClasses;
  definition.sideEffects = tool.sideEffects;
  return definition;
}

function checkAssistantTools(config: RampartConfig, registry: ToolRegistry) {
  for (const [assistantName, assistant] of Object.entries(config.assistants)) {
    assistant.tools.forEach((toolName, index) => {
      if (registry.has(toolName)) return;
      const known = registry
        .list()
        .map((tool) => tool.name)
        .join(', ');
      const key = `assistants.${assistantName}.tools[${index}]`;
      throw configError(key, `unknown tool "${toolName}" (known: ${known})`, config.source);
    });
  }
}

/**
 * The registry of every tool this process can run: the built-in demo tools, the `http` tools of
 * the config, and tools registered in code. Each assistant's tool list must name only these.
 */
export function buildToolRegistry(config: RampartConfig, codeTools: readonly ToolDefinition[]) {
  const registry = new ToolRegistry();
  for (const tool of builtinTools()) registry.register(tool);
  for (const [name, tool] of Object.entries(config.tools)) {
    registry.register(httpTool(name, tool, config));
  }
  for (const tool of codeTools) registry.register(tool);
  checkAssistantTools(config, registry);
  return registry;
}
