// One Ollama request from arrival to handler: the request log, the Host/CORS check, gin's routing
// (404, 405, the trailing-slash redirect), the fault for this request, then the route's handler.

import type { IncomingMessage, ServerResponse } from 'http';
import { accessAllowed } from './access';
import type { FaultQueue } from './faults';
import type { RequestLogEntry } from './log';
import { answerPreHeaderFault } from './preHeaderFault';
import { OpenAIWriter } from './handlers/openaiWire';
import { isOpenAIPath, routeFor } from './routes';
import type { State } from './state';
import { Exchange, readBody } from './wire';

export interface DispatchContext {
	readonly state: State;
	readonly faults: FaultQueue;
	readonly requests: RequestLogEntry[];
	readonly exchanges: Set<Exchange>;
	/** The address the server listens on (the Host check applies on loopback only). */
	readonly host: string;
	readonly logLimit?: number;
	nextId: number;
}

const streamingPaths = new Set([
	'/api/generate',
	'/api/chat',
	'/api/pull',
	'/api/push',
	'/api/create',
]);

function parseLoose(body: Buffer): unknown {
	if (body.length === 0) return undefined;
	const text = body.toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** The model a request names (`model`, or `name` on the older management routes). */
function modelOf(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const { model, name } = body as { model?: unknown; name?: unknown };
	if (typeof model === 'string' && model) return model;
	return typeof name === 'string' ? name : undefined;
}

function log(ctx: DispatchContext, entry: RequestLogEntry): void {
	ctx.requests.push(entry);
	const limit = ctx.logLimit;
	if (limit !== undefined && limit > 0 && ctx.requests.length > limit) {
		ctx.requests.splice(0, ctx.requests.length - limit);
	}
}

async function redirect(ex: Exchange, location: string, method: string): Promise<void> {
	if (method === 'GET') {
		const html = `<a href="${location}">Moved Permanently</a>.\n\n`;
		return ex.text(301, html, 'text/html; charset=utf-8', { Location: location });
	}
	ex.res.setHeader('Location', location);
	ex.empty(307);
}

export async function dispatch(
	ctx: DispatchContext,
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
): Promise<void> {
	const receivedAt = Date.now();
	const method = req.method ?? 'GET';
	// A blob upload may be gigabytes: its handler reads it as a stream, as Ollama does.
	const upload = method === 'POST' && path.startsWith('/api/blobs/');
	const body = upload ? Buffer.alloc(0) : await readBody(req);
	const entry: RequestLogEntry = {
		id: ctx.nextId++,
		method,
		path,
		headers: { ...req.headers },
		body: parseLoose(body),
		bodyBytes: upload ? undefined : body.length,
		receivedAt,
		clientDisconnected: false,
	};
	log(ctx, entry);
	const ex = new Exchange(req, res, entry);
	ctx.exchanges.add(ex);
	res.on('close', () => ctx.exchanges.delete(ex));

	const { config } = ctx.state;
	if (!accessAllowed(ex, config, ctx.host)) return;
	const route = config.legacyOnly && path === '/api/embed' ? undefined : routeFor(path);
	if (!route) {
		const bare = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : undefined;
		if (bare !== undefined && routeFor(bare)?.[method]) return redirect(ex, bare, method);
		return ex.text(404, '404 page not found', 'text/plain');
	}
	const handler = route[method];
	if (!handler) return ex.text(405, '405 method not allowed', 'text/plain');

	ex.fault = ctx.faults.take(path, modelOf(entry.body));
	entry.fault = ex.fault?.type;
	const streaming =
		streamingPaths.has(path) && (entry.body as { stream?: unknown } | undefined)?.stream !== false;
	// On /v1 these faults come back through Ollama's OpenAI writer, as the /v1 error object.
	if (isOpenAIPath(path)) ex.dialect = new OpenAIWriter();
	if (await answerPreHeaderFault(ex, streaming)) return;
	ex.dialect = undefined;
	await handler(ex, body, ctx.state);
}
