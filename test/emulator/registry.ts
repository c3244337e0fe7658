// Installed models, their blobs, and which of them are loaded until when.

import { createHash } from 'crypto';
import { MAX_DURATION_NS, monoNs, nowNs, since } from './clock';
import type { Capability, ModelSeed, ThinkStyle } from './models';
import { displayName, nameKey, parseName, type ModelName } from './names';
import { sleep } from './latency';

export interface Layer {
	mediaType: string;
	digest: string;
	size: number;
}

export interface ChatMessage {
	role: string;
	content: string;
}

export interface Model {
	name: ModelName;
	/** `llama3.2:latest` */
	display: string;
	key: string;
	/** Manifest digest, 64 hex. */
	digest: string;
	size: number;
	modifiedNs: bigint;
	format: string;
	family: string;
	families: string[];
	architecture: string;
	parameterSize: string;
	parameterCount: number;
	quantizationLevel: string;
	parentModel: string;
	contextLength: number;
	embeddingLength: number;
	template: string;
	system: string;
	parameters: Record<string, unknown>;
	license: string[];
	messages: ChatMessage[];
	capabilities: Capability[];
	thinkStyle: ThinkStyle;
	replyText?: string;
	replyTokens?: number;
	layers: Layer[];
}

export interface LoadState {
	contextLength: number;
	expiresNs: bigint;
	refs: number;
	loading?: Promise<void>;
}

export const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

const architectures: Record<string, string> = { 'nomic-bert': 'nomic-bert', bert: 'bert' };

/** Builds a full model record from a seed. */
export function modelFromSeed(seed: ModelSeed): Model {
	const name = parseName(seed.name);
	if (!name) throw new Error(`invalid model name: ${seed.name}`);
	const family = seed.family ?? 'llama';
	const capabilities = seed.capabilities ?? ['completion'];
	const size = seed.size ?? 1_000_000_000;
	const model: Model = {
		name,
		display: displayName(name),
		key: nameKey(name),
		digest: '',
		size,
		modifiedNs: nowNs(),
		format: 'gguf',
		family,
		families: seed.families ?? [family],
		architecture: seed.architecture ?? architectures[family] ?? family,
		parameterSize: seed.parameterSize ?? '3B',
		parameterCount: seed.parameterCount ?? 3_000_000_000,
		quantizationLevel: seed.quantizationLevel ?? 'Q4_K_M',
		parentModel: '',
		contextLength: seed.contextLength ?? 8192,
		embeddingLength: seed.embeddingLength ?? (capabilities.includes('embedding') ? 768 : 4096),
		template: seed.template ?? '{{ .Prompt }}',
		system: seed.system ?? '',
		parameters: seed.parameters ?? {},
		license: seed.license ? [seed.license] : [],
		messages: [],
		capabilities,
		thinkStyle: seed.thinkStyle ?? (capabilities.includes('thinking') ? 'field' : 'none'),
		replyText: seed.replyText,
		replyTokens: seed.replyTokens,
		layers: [],
	};
	const weights = {
		mediaType: 'application/vnd.ollama.image.model',
		digest: 'sha256:' + sha256(`weights\0${model.key}`),
		size,
	};
	model.layers = [weights, ...metadataLayers(model)];
	model.size = model.layers.reduce((sum, l) => sum + l.size, 0);
	model.digest = manifestDigest(model);
	return model;
}

/** Layers for the text parts of a model: template, system, params, license, messages. */
export function metadataLayers(m: Model): Layer[] {
	const layer = (kind: string, text: string) => ({
		mediaType: `application/vnd.ollama.image.${kind}`,
		digest: 'sha256:' + sha256(text),
		size: Buffer.byteLength(text),
	});
	const out: Layer[] = [];
	if (m.template) out.push(layer('template', m.template));
	if (m.system) out.push(layer('system', m.system));
	if (Object.keys(m.parameters).length) out.push(layer('params', JSON.stringify(m.parameters)));
	for (const l of m.license) out.push(layer('license', l));
	if (m.messages.length) out.push(layer('messages', JSON.stringify(m.messages)));
	return out;
}

export function manifestDigest(m: Model): string {
	return sha256(JSON.stringify({ layers: m.layers.map((l) => l.digest), caps: m.capabilities }));
}

export class Registry {
	readonly models = new Map<string, Model>();
	readonly remote = new Map<string, Model>();
	readonly blobs = new Map<string, number>();
	readonly loaded = new Map<string, LoadState>();

	constructor(local: ModelSeed[], remote: ModelSeed[]) {
		for (const seed of remote) {
			const m = modelFromSeed(seed);
			this.remote.set(m.key, m);
		}
		for (const seed of local) this.add(modelFromSeed(seed));
	}

	add(model: Model): void {
		this.models.set(model.key, model);
		for (const l of model.layers) this.blobs.set(l.digest, l.size);
	}

	/** Case-insensitive lookup by any spelling of the name. */
	find(raw: string): Model | undefined {
		const n = parseName(raw);
		return n ? this.models.get(nameKey(n)) : undefined;
	}

	findRemote(raw: string): Model | undefined {
		const n = parseName(raw);
		return n ? this.remote.get(nameKey(n)) : undefined;
	}

	delete(model: Model): void {
		this.models.delete(model.key);
		this.loaded.delete(model.key);
	}

	/** Models sorted as /api/tags lists them (newest first). */
	list(): Model[] {
		return [...this.models.values()].sort((a, b) =>
			a.modifiedNs === b.modifiedNs
				? a.display.localeCompare(b.display)
				: a.modifiedNs > b.modifiedNs
					? -1
					: 1,
		);
	}

	/** Loaded models that have not expired, latest expiry first. */
	running(): { model: Model; state: LoadState }[] {
		this.expire();
		const out: { model: Model; state: LoadState }[] = [];
		for (const [key, state] of this.loaded) {
			const model = this.models.get(key);
			if (model && !state.loading) out.push({ model, state });
		}
		return out.sort((a, b) =>
			a.state.expiresNs === b.state.expiresNs ? 0 : a.state.expiresNs > b.state.expiresNs ? -1 : 1,
		);
	}

	private expire(): void {
		const now = nowNs();
		for (const [key, state] of this.loaded) {
			if (state.refs === 0 && !state.loading && state.expiresNs <= now) this.loaded.delete(key);
		}
	}

	/**
	 * Makes sure `model` is loaded with `contextLength`, sleeping `loadMs` for a cold load. Returns
	 * the load duration in nanoseconds (only the caller that waited for a load sees a long one).
	 */
	async load(
		model: Model,
		contextLength: number,
		loadMs: number,
		keepAliveNs: bigint,
	): Promise<number> {
		const start = monoNs();
		this.expire();
		let state = this.loaded.get(model.key);
		if (state?.loading) await state.loading;
		state = this.loaded.get(model.key);
		if (!state || state.contextLength !== contextLength) {
			const loading = sleep(loadMs).then(() => undefined);
			state = { contextLength, expiresNs: 0n, refs: state?.refs ?? 0, loading };
			this.loaded.set(model.key, state);
			await loading;
			state.loading = undefined;
		}
		state.expiresNs = expiry(keepAliveNs);
		return since(start);
	}

	/** A request starts using a loaded model. */
	begin(model: Model): void {
		const state = this.loaded.get(model.key);
		if (state) state.refs++;
	}

	/** A request is done: the keep_alive countdown restarts; 0 unloads once idle. */
	end(model: Model, keepAliveNs: bigint): void {
		const state = this.loaded.get(model.key);
		if (!state) return;
		state.refs = Math.max(0, state.refs - 1);
		state.expiresNs = expiry(keepAliveNs);
		if (keepAliveNs === 0n && state.refs === 0) this.loaded.delete(model.key);
	}

	unload(model: Model): void {
		this.loaded.delete(model.key);
	}
}

function expiry(keepAliveNs: bigint): bigint {
	return keepAliveNs >= MAX_DURATION_NS ? nowNs() + MAX_DURATION_NS : nowNs() + keepAliveNs;
}
