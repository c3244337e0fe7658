// The emulator's lifecycle: listening, live configuration, models, reset and close. Requests go
// to dispatch.ts (Ollama routes) or admin.ts (/_emulator/).

import { createServer, type Server } from 'http';
import type { AddressInfo, Socket } from 'net';
import { answerAdmin } from './admin';
import { applyConfig, defaultConfig, type ConfigPatch, type EmulatorConfig } from './config';
import { dispatch, type DispatchContext } from './dispatch';
import { FaultQueue, type FaultSpec } from './faults';
import { Slots } from './latency';
import type { RequestLogEntry } from './log';
import { DEFAULT_MODELS, REMOTE_MODELS, type ModelSeed } from './models';
import { modelFromSeed, Registry } from './registry';
import type { State } from './state';
import { JSON_UTF8, type Exchange } from './wire';

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

class EmulatorServer implements Emulator {
	readonly requests: RequestLogEntry[] = [];
	readonly config: EmulatorConfig;
	private readonly faults = new FaultQueue();
	private readonly state: State;
	private readonly exchanges = new Set<Exchange>();
	private readonly sockets = new Set<Socket>();
	private readonly dispatch: DispatchContext;
	url = '';
	port = 0;

	constructor(
		private readonly server: Server,
		readonly host: string,
		private readonly options: EmulatorOptions,
	) {
		this.config = this.startupConfig();
		this.state = {
			config: this.config,
			registry: this.startupRegistry(),
			slots: new Slots(() => this.config.latency),
		};
		this.dispatch = {
			state: this.state,
			faults: this.faults,
			requests: this.requests,
			exchanges: this.exchanges,
			host,
			logLimit: options.logLimit,
			nextId: 1,
		};
		server.on('connection', (s) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
		server.on('request', (req, res) => {
			const path = new URL(req.url ?? '/', 'http://emulator').pathname;
			const answer = path.startsWith('/_emulator/')
				? answerAdmin(this, req, res, path)
				: dispatch(this.dispatch, req, res, path);
			answer.catch((e) => {
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

	private startupRegistry(): Registry {
		const { models, remoteModels } = this.options;
		return new Registry(models ?? DEFAULT_MODELS, [...REMOTE_MODELS, ...(remoteModels ?? [])]);
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
		if (options.remote) this.state.registry.remote.set(model.key, model);
		else this.state.registry.add(model);
	}

	reset(): void {
		this.faults.clear();
		this.clearRequests();
		const fresh = this.startupConfig();
		for (const k of Object.keys(this.config) as (keyof EmulatorConfig)[]) delete this.config[k];
		Object.assign(this.config, fresh);
		this.state.registry = this.startupRegistry();
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
