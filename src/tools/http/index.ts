export { createHttpTool, type HttpToolOptions } from './http-tool.js';
