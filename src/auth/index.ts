/** Request authentication: API keys from `Authorization: Bearer` or `x-api-key`. */
export { parseBearer } from './parse-bearer.js';
export { authenticateRequest, type RequestHeaders } from './authenticate-request.js';
