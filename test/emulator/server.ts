// The HTTP server: gin-like routing, Host/CORS checks, pre-header faults, the request log, and the
// admin API under /_emulator/.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { isIP, type AddressInfo, type Socket } from 'net';
import { CORS_HEADERS, hostAllowed, isLoopbackListener, originAllowed } from './access';
import { applyConfig, defaultConfig, type ConfigPatch, type EmulatorConfig } from './config';
import { FaultQueue, RUNNER_CRASH, type FaultSpec } from './faults';
import { routeFor } from './routes';
import { Slots, sleep } from './latency';
import type { RequestLogEntry } from './log';
import { DEFAULT_MODELS, REMOTE_MODELS, type ModelSeed } from './models';
import { modelFromSeed, Registry } from './registry';
import type { State } from './state';
import { Exchange, JSON_PLAIN, JSON_UTF8 } from './wire';

export interface EmulatorOptions extends ConfigPatch {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Installed models (default: DEFAULT_MODELS). */
	models?: ModelSeed[];
	/** Extra models `/api/pull` can find (besides DEFAULT_MODELS and REMOTE_MODELS). */
	remoteModels?: ModelSeed[];
	/** The request log keeps the newest this many entries (default: all). */
	logLimit?: number;
}

export interface Emulator {
	/** `http://127.0.0.1:<port>` */
	readonly url: string;
	readonly port: number;
	readonly host: string;
	/** Live config; change it with configure(). */
	readonly config: EmulatorConfig;
	/** Live request log (Ollama routes only). */
	readonly requests: RequestLogEntry[];
	/** Faults not yet consumed. */
	readonly pendingFaults: FaultSpec[];
	addFault(spec: FaultSpec | FaultSpec[]): void;
	clearFaults(): void;
	clearRequests(): void;
	configure(patch: ConfigPatch): void;
	/** Installs a model (or, with `remote`, makes it pullable). */
	addModel(seed: ModelSeed, options?: { remote?: boolean }): void;
	/** Models, faults, log and config back to the startup state. */
	reset(): void;
	close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const parts: Buffer[] = [];
		req.on('data', (c: Buffer) => parts.push(c));
		req.on('end', () => resolve(Buffer.concat(parts)));
		req.on('error', reject);
	});
}

function parseLoose(body: Buffer): unknown {
	if (body.length === 0) return undefined;
	const text = body.toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

const streamingPaths = new Set([
	'/api/generate',
	'/api/chat',
	'/api/pull',
	'/api/push',
	'/api/create',
]);

class EmulatorServer implements Emulator {
	readonly requests: RequestLogEntry[] = [];
	readonly config: EmulatorConfig;
	private readonly faults = new FaultQueue();
	private readonly state: State;
	private readonly exchanges = new Set<Exchange>();
	private readonly sockets = new Set<Socket>();
	private nextId = 1;
	private localSeeds: ModelSeed[];
	private remoteSeeds: ModelSeed[];
	url = '';
	port = 0;

	constructor(
		private readonly server: Server,
		readonly host: string,
		private readonly options: EmulatorOptions,
	) {
		this.config = this.startupConfig();
		this.localSeeds = options.models ?? DEFAULT_MODELS;
		this.remoteSeeds = [...REMOTE_MODELS, ...(options.remoteModels ?? [])];
		this.state = {
			config: this.config,
			registry: new Registry(this.localSeeds, this.remoteSeeds),
			slots: new Slots(() => this.config.latency),
		};
		server.on('connection', (s) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
		server.on('request', (req, res) => {
			this.handle(req, res).catch((e) => {
				if (!res.headersSent) {
					res.writeHead(500, { 'Content-Type': JSON_UTF8 });
					res.end(JSON.stringify({ error: String(e?.message ?? e) }));
				} else res.destroy();
			});
		});
	}

	private startupConfig(): EmulatorConfig {
		const config = defaultConfig();
		const { port: _p, host: _h, models: _m, remoteModels: _r, ...patch } = this.options;
		applyConfig(config, patch);
		return config;
	}

	get pendingFaults(): FaultSpec[] {
		return this.faults.pending;
	}

	addFault(spec: FaultSpec | FaultSpec[]): void {
		this.faults.add(spec);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	clearRequests(): void {
		this.requests.length = 0;
	}

	configure(patch: ConfigPatch): void {
		applyConfig(this.config, patch);
		this.state.slots.wake();
	}

	addModel(seed: ModelSeed, options: { remote?: boolean } = {}): void {
		const model = modelFromSeed(seed);
		if (options.remote) {
			this.remoteSeeds.push(seed);
			this.state.registry.remote.set(model.key, model);
		} else {
			this.localSeeds = [...this.localSeeds, seed];
			this.state.registry.add(model);
		}
	}

	reset(): void {
		this.faults.clear();
		this.clearRequests();
		const fresh = this.startupConfig();
		for (const k of Object.keys(this.config) as (keyof EmulatorConfig)[]) delete this.config[k];
		Object.assign(this.config, fresh);
		this.localSeeds = this.options.models ?? DEFAULT_MODELS;
		this.remoteSeeds = [...REMOTE_MODELS, ...(this.options.remoteModels ?? [])];
		this.state.registry = new Registry(this.localSeeds, this.remoteSeeds);
		this.state.slots.wake();
	}

	async close(): Promise<void> {
		for (const ex of this.exchanges) ex.abort();
		this.state.slots.clear();
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			for (const s of this.sockets) s.destroy();
		});
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const receivedAt = Date.now();
		const path = new URL(req.url ?? '/', 'http://emulator').pathname;
		if (path.startsWith('/_emulator/')) return this.admin(req, res, path);
		const body = await readBody(req);
		const entry: RequestLogEntry = {
			id: this.nextId++,
			method: req.method ?? 'GET',
			path,
			headers: { ...req.headers },
			body: parseLoose(body),
			receivedAt,
			clientDisconnected: false,
		};
		this.requests.push(entry);
		const limit = this.options.logLimit;
		if (limit !== undefined && limit > 0 && this.requests.length > limit) {
			this.requests.splice(0, this.requests.length - limit);
		}
		const ex = new Exchange(req, res, entry);
		this.exchanges.add(ex);
		res.on('close', () => this.exchanges.delete(ex));

		if (!this.accessAllowed(ex)) return;
		const method = req.method ?? 'GET';
		const route = this.config.legacyOnly && path === '/api/embed' ? undefined : routeFor(path);
		if (!route) {
			const bare = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : undefined;
			const target = bare !== undefined ? routeFor(bare) : undefined;
			if (target?.[method]) return this.redirect(ex, bare!, method);
			return ex.text(404, '404 page not found', 'text/plain');
		}
		const handler = route[method];
		if (!handler) return ex.text(405, '405 method not allowed', 'text/plain');

		const parsed = entry.body as { model?: unknown; name?: unknown; stream?: unknown } | undefined;
		const model =
			parsed && typeof parsed === 'object'
				? typeof parsed.model === 'string' && parsed.model
					? parsed.model
					: typeof parsed.name === 'string'
						? parsed.name
						: undefined
				: undefined;
		ex.fault = this.faults.take(path, model);
		entry.fault = ex.fault?.type;
		const streaming = streamingPaths.has(path) && parsed?.stream !== false;
		if (await this.preHeaderFault(ex, streaming)) return;
		await handler(ex, body, this.state);
	}

	/** Faults that act before any byte of the reply. Returns true when the reply is done. */
	private async preHeaderFault(ex: Exchange, streaming: boolean): Promise<boolean> {
		const f = ex.fault;
		if (!f) return false;
		const runnerType = streaming ? JSON_PLAIN : JSON_UTF8;
		switch (f.type) {
			case 'status':
				if (f.body !== undefined) {
					await ex.text(f.status, f.body, f.contentType ?? 'text/plain', f.headers);
				} else {
					await ex.json(
						f.status,
						{ error: f.error ?? 'error' },
						f.contentType ?? JSON_UTF8,
						f.headers,
					);
				}
				return true;
			case 'busy':
				await ex.json(503, {
					error: 'server busy, please try again.  maximum pending requests exceeded',
				});
				return true;
			case 'rateLimit':
				await ex.json(429, { error: 'rate limit exceeded' }, runnerType, {
					'Retry-After': String(f.retryAfter ?? 1),
				});
				return true;
			case 'runnerCrash':
				await ex.json(500, { error: RUNNER_CRASH + (f.detail ? `: ${f.detail}` : '') }, runnerType);
				return true;
			case 'unauthorized': {
				const key = Buffer.from('ssh-ed25519 emulator').toString('base64url');
				const signin = f.signinUrl ?? `https://ollama.com/connect?name=emulator&key=${key}`;
				await ex.json(401, { error: 'unauthorized', signin_url: signin });
				return true;
			}
			case 'reset':
				if (f.afterChunks !== undefined) return false;
				ex.stopped = true;
				ex.req.socket.destroy();
				return true;
			case 'stall':
				if (f.afterChunks !== undefined) return false;
				await sleep(f.ms, ex.signal);
				return ex.closed;
			default:
				return false;
		}
	}

	private accessAllowed(ex: Exchange): boolean {
		if (!this.config.checkHost) return true;
		const origin = ex.req.headers.origin;
		if (origin) {
			if (!originAllowed(origin, this.config.origins)) {
				ex.empty(403);
				return false;
			}
			ex.res.setHeader('Access-Control-Allow-Origin', origin);
			ex.res.setHeader('Vary', 'Origin');
			if (ex.req.method === 'OPTIONS' && ex.req.headers['access-control-request-method']) {
				ex.res.setHeader('Access-Control-Allow-Methods', CORS_HEADERS.methods);
				ex.res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS.headers);
				ex.res.setHeader('Access-Control-Max-Age', '43200');
				ex.empty(204);
				return false;
			}
		}
		if (!isLoopbackListener(this.host)) return true;
		const host = ex.req.headers.host;
		if (!hostAllowed(host)) {
			ex.empty(403);
			return false;
		}
		// allowedHostsMiddleware answers OPTIONS itself when the Host is a name, not an IP.
		const bare = (host ?? '').replace(/:\d+$/, '');
		if (ex.req.method === 'OPTIONS' && host && !isIP(bare) && !bare.startsWith('[')) {
			ex.empty(204);
			return false;
		}
		return true;
	}

	private async redirect(ex: Exchange, location: string, method: string): Promise<void> {
		if (method === 'GET') {
			const html = `<a href="${location}">Moved Permanently</a>.\n\n`;
			return ex.text(301, html, 'text/html; charset=utf-8', { Location: location });
		}
		ex.res.setHeader('Location', location);
		ex.empty(307);
	}

	private async admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
		const body = await readBody(req);
		const reply = (status: number, value: unknown) => {
			const text = JSON.stringify(value);
			res.writeHead(status, {
				'Content-Type': 'application/json',
				'Content-Length': Buffer.byteLength(text),
			});
			res.end(text);
		};
		let input: unknown;
		try {
			input = body.length ? JSON.parse(body.toString('utf8')) : undefined;
		} catch (e) {
			return reply(400, { error: `invalid JSON: ${(e as Error).message}` });
		}
		const key = `${req.method} ${path.replace(/\/$/, '')}`;
		try {
			switch (key) {
				case 'POST /_emulator/faults':
					this.addFault(input as FaultSpec | FaultSpec[]);
					return reply(200, { faults: this.pendingFaults });
				case 'GET /_emulator/faults':
					return reply(200, { faults: this.pendingFaults });
				case 'DELETE /_emulator/faults':
					this.clearFaults();
					return reply(200, { faults: [] });
				case 'GET /_emulator/requests':
					return reply(200, { requests: this.requests });
				case 'DELETE /_emulator/requests':
					this.clearRequests();
					return reply(200, { requests: [] });
				case 'GET /_emulator/config':
					return reply(200, this.config);
				case 'POST /_emulator/config':
					this.configure((input ?? {}) as ConfigPatch);
					return reply(200, this.config);
				case 'POST /_emulator/models': {
					const { remote, ...seed } = (input ?? {}) as ModelSeed & { remote?: boolean };
					this.addModel(seed, { remote });
					return reply(200, { ok: true });
				}
				case 'POST /_emulator/reset':
					this.reset();
					return reply(200, { ok: true });
				default:
					return reply(404, { error: `unknown admin route: ${key}` });
			}
		} catch (e) {
			return reply(400, { error: (e as Error).message });
		}
	}
}

/** Starts an emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const host = options.host ?? '127.0.0.1';
	const server = createServer({ requestTimeout: 0, headersTimeout: 0, keepAliveTimeout: 5000 });
	const emu = new EmulatorServer(server, host, options);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	emu.port = port;
	emu.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	return emu;
}
