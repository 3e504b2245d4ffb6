import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RampartError } from '../../core/errors.js';
import { dashboardAssets, type Asset, type DashboardAssets } from './assets.js';

/**
 * The page runs only its own files: no inline script or style, nothing from another origin, and
 * no HTML sinks for strings (Trusted Types), so a tool or model name from config can never run
 * as code in an operator's browser.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

/** Asset URLs carry a content hash, so a browser may keep them until the next release. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('cross-origin-resource-policy', 'same-origin');
}

function acceptsGzip(request: FastifyRequest): boolean {
  const accepted = request.headers['accept-encoding'];
  return typeof accepted === 'string' && /\bgzip\b/.test(accepted);
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset) {
  secure(reply).header('cache-control', IMMUTABLE).header('vary', 'accept-encoding');
  reply.type(asset.contentType);
  if (asset.gzip && acceptsGzip(request)) {
    return reply.header('content-encoding', 'gzip').send(asset.gzip);
  }
  return reply.send(asset.body);
}

type AssetRoute = { Params: { version: string; file: string } };

/**
 * `GET /dashboard`: the monitoring page. The shell holds no data and needs no key; the page asks
 * for one and reads `/v1/stats`, `/v1/stats/timeline` and `/v1/alerts` with it, so every figure
 * stays behind the same checks as the API (the admin role, or `stats:read` and `alerts:read`).
 */
export function registerDashboard(
  app: FastifyInstance,
  assets: DashboardAssets = dashboardAssets(),
) {
  app.get('/dashboard', async (_request, reply) => {
    // Revalidated each time: the shell names the current asset version.
    secure(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    return reply.send(assets.page);
  });
  // The page's relative URLs resolve from `/dashboard`, not from a trailing-slash path.
  app.get('/dashboard/', async (_request, reply) => reply.redirect('../dashboard', 301));
  app.get<AssetRoute>('/dashboard/assets/:version/:file', async (request, reply) => {
    const { version, file } = request.params;
    const asset = version === assets.version ? assets.files.get(file) : undefined;
    if (asset === undefined) {
      throw new RampartError(
        'RAMPART_NOT_FOUND',
        `Unknown dashboard asset: ${version}/${file}`.slice(0, 200),
      );
    }
    return sendAsset(request, reply, asset);
  });
}
