import type { ChatResult, GenerateResult, ProgressResult } from './aggregate';
import { ChatAggregator, GenerateAggregator, ProgressAggregator } from './aggregate';
import type { BlobOutcome, ModelFile } from './blobs';
import { blobPath, checkFileNames, hashFile } from './blobs';
import { OllamaFailure, isModelNotFound } from './failures';
import { IdleWatch } from './idleWatch';
import { consumeOllamaStream } from './ndjson';
import type { ServerApi } from './openai';
import {
	fromOpenAiEmbeddings,
	fromOpenAiModel,
	fromOpenAiModels,
	notOnOpenAi,
	openAiChatBody,
	openAiCompletionBody,
	openAiEmbedBody,
} from './openai';
import { OpenAiChatAggregator, OpenAiCompletionAggregator } from './openaiAggregate';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY, withRetry } from './retry';
import type { ClientHost, HttpMethod, OllamaRequest } from './transport';
import { errorCode, sendRequest } from './transport';
import { consumeSseStream } from './sse';
import type { HostPool, PoolHooks } from './pool';
import { sharedPool } from './pool';
import type {
	ChatRequest,
	CopyRequest,
	CreateRequest,
	DeleteRequest,
	EmbedRequest,
	EmbedResponse,
	EmbeddingsRequest,
	EmbeddingsResponse,
	GenerateRequest,
	ListResponse,
	ProcessResponse,
	ProgressResponse,
	PullRequest,
	PushRequest,
	ShowRequest,
	ShowResponse,
	VersionResponse,
} from './types';
import { displayUrl, normalizeBaseUrl } from './url';

/** Metadata endpoints answer at once; a server that does not within this is not healthy. */
export const METADATA_TIMEOUT_MS = 30_000;

export interface ClientSettings {
	retry?: Partial<RetryPolicy>;
	/** Idle timeout for generation, embedding and progress requests; 0 = none (the default). */
	timeoutMs?: number;
	/** The API the server speaks (the credential's choice); Ollama's native one by default. */
	api?: ServerApi;
	/** Further hosts beside the base URL: all of them are used as one pool. */
	hosts?: string[];
}

/** How long a probe of a host back from its time out may take. */
const PROBE_TIMEOUT_MS = 3_000;

/** What a call with `missingIsResult` returns for an HTTP 404. */
const MISSING: unique symbol = Symbol('missing');

export interface CallOptions {
	timeoutMs?: number;
	/** Set to 1 to make exactly one attempt. */
	maxAttempts?: number;
	/** Return a marker instead of failing when the server answers 404. */
	missingIsResult?: boolean;
	/** Stops this call alone (a caller's own abort); the execution's stop still applies. */
	signal?: AbortSignal;
}

export interface StreamCallOptions<Delta> extends CallOptions {
	/**
	 * Called with every piece of new output as it arrives. Returns true once it passed output on
	 * to a caller (live streaming): such a request stays on its host, so nobody sees text twice.
	 */
	onDelta?: (delta: Delta) => boolean | void;
}

/** Reads a streamed answer, handing each message to `push`: NDJSON (native) or SSE (/v1). */
type StreamReader = (
	source: AsyncIterable<Buffer>,
	push: (message: never) => void,
	context: { path: string; onChunk: () => void },
) => Promise<void>;

/** Files a create sends to the server first: the model's own, and adapters (LoRA). */
export interface CreateUpload {
	files?: ModelFile[];
	adapters?: ModelFile[];
}

export interface CreateResult extends ProgressResult {
	/** The files of the create, each with whether it was sent or already on the server. */
	blobs: BlobOutcome[];
}

/** How a streamed call reads its answer, and what it does on the host before sending. */
interface StreamHow {
	/** The request may be repeated after output arrived (a pull resumes). */
	repeatableAfterOutput?: boolean;
	read?: StreamReader;
	/** Runs on the chosen host before each attempt's request (uploads a create's files). */
	prepare?: (baseUrl: string) => Promise<void>;
}

interface Folder<Chunk, Result> {
	push(chunk: Chunk): unknown;
	result(): Result;
}

/**
 * The Ollama client every node uses: one method per endpoint, streams aggregated, retries by
 * the policy. It knows nothing of n8n: its host hands it the HTTP call and a timer, and it
 * throws only OllamaFailures, which carry Ollama's own text (the host presents them).
 */
export class OllamaClient {
	private readonly policy: RetryPolicy;

	private readonly timeoutMs: number;

	/** The base URL cannot make a request: every call fails with this. */
	private readonly configurationFailure?: OllamaFailure;

	readonly baseUrl: string;

	readonly api: ServerApi;

	/** With further hosts: the process's pool of them all. */
	private readonly pool?: HostPool;

	private readonly settings: ClientSettings;

	/**
	 * `baseUrl` as the user typed it; an invalid one does not throw here but fails every call,
	 * so each item gets its own error (Continue On Fail).
	 */
	constructor(
		private readonly host: ClientHost,
		baseUrl: string,
		settings: ClientSettings = {},
	) {
		this.settings = settings;
		this.policy = { ...DEFAULT_RETRY_POLICY, ...settings.retry };
		this.timeoutMs = settings.timeoutMs ?? 0;
		this.api = settings.api ?? 'ollama';
		try {
			this.baseUrl = normalizeBaseUrl(baseUrl, this.api);
			const more = (settings.hosts ?? []).map((url) => normalizeBaseUrl(url, this.api));
			// A host named twice is one host; More Hosts that only repeat the Base URL make no pool.
			const all = [...new Set([this.baseUrl, ...more])];
			if (all.length > 1) this.pool = sharedPool(`${this.api} ${all.join(' ')}`, all);
		} catch (error) {
			this.baseUrl = '';
			this.configurationFailure = new OllamaFailure((error as Error).message, {
				kind: 'configuration',
			});
		}
	}

	/** The base URL without any user:password, for output and messages. */
	get displayUrl(): string {
		return displayUrl(this.baseUrl);
	}

	/** Every host of the credential, the base URL first, as shown (without user:password). */
	get hostUrls(): string[] {
		const all = this.pool ? this.pool.hosts.map((host) => host.baseUrl) : [this.baseUrl];
		return [...new Set(all.map(displayUrl))];
	}

	/**
	 * A client for one host alone, named as in `hostUrls`: same HTTP, settings and API, no pool
	 * (for acting on each host in turn). Undefined for a URL that is not one of the hosts.
	 */
	onHost(url: string): OllamaClient | undefined {
		const all = this.pool ? this.pool.hosts.map((host) => host.baseUrl) : [this.baseUrl];
		const baseUrl = all.find((candidate) => displayUrl(candidate) === url);
		if (baseUrl === undefined || this.configurationFailure) return undefined;
		return new OllamaClient(this.host, baseUrl, { ...this.settings, hosts: [] });
	}

	async generate(
		request: GenerateRequest,
		options: StreamCallOptions<{ response: string; thinking: string }> = {},
	): Promise<GenerateResult> {
		if (this.api === 'openai') {
			return await this.streamed(
				'/v1/completions',
				openAiCompletionBody(request),
				request.model,
				options,
				() => folderWithDeltas(new OpenAiCompletionAggregator(), options.onDelta),
				{ read: consumeSseStream },
			);
		}
		return await this.streamed('/api/generate', request, request.model, options, () =>
			folderWithDeltas(new GenerateAggregator(), options.onDelta),
		);
	}

	async chat(
		request: ChatRequest,
		options: StreamCallOptions<ReturnType<ChatAggregator['push']>> = {},
	): Promise<ChatResult> {
		if (this.api === 'openai') {
			return await this.streamed(
				'/v1/chat/completions',
				openAiChatBody(request),
				request.model,
				options,
				() => folderWithDeltas(new OpenAiChatAggregator(), options.onDelta),
				{ read: consumeSseStream },
			);
		}
		return await this.streamed('/api/chat', request, request.model, options, () =>
			folderWithDeltas(new ChatAggregator(), options.onDelta),
		);
	}

	async pull(
		request: PullRequest,
		options: StreamCallOptions<ProgressResponse> = {},
	): Promise<ProgressResult> {
		this.nativeOnly('Pulling a model');
		// A pull resumes where it stopped, so it may be repeated even after progress arrived.
		return await this.progress('/api/pull', request, options, { repeatableAfterOutput: true });
	}

	async push(
		request: PushRequest,
		options: StreamCallOptions<ProgressResponse> = {},
	): Promise<ProgressResult> {
		this.nativeOnly('Pushing a model');
		return await this.progress('/api/push', request, options);
	}

	/**
	 * Creates a model. Its `files` (GGUF or safetensors) and `adapters` are hashed here, sent to
	 * the chosen host unless it has them already, and named in the request by their digests.
	 */
	async create(
		request: CreateRequest,
		options: StreamCallOptions<ProgressResponse> = {},
		upload: CreateUpload = {},
	): Promise<CreateResult> {
		this.nativeOnly('Creating a model');
		const files = upload.files ?? [];
		const adapters = upload.adapters ?? [];
		if (files.length + adapters.length === 0)
			return { ...(await this.progress('/api/create', request, options)), blobs: [] };

		let hashed: Array<{ file: ModelFile; digest: string; size: number }>;
		try {
			if (this.configurationFailure) throw this.configurationFailure;
			checkFileNames([...files, ...adapters]);
			const sha256 = this.host.sha256;
			if (!sha256)
				throw new OllamaFailure('This host cannot hash files.', { kind: 'configuration' });
			hashed = [];
			for (const file of [...files, ...adapters])
				hashed.push({ file, ...(await hashFile(file, sha256)) });
		} catch (error) {
			throw this.annotate(error, request.model);
		}
		const named = (list: ModelFile[], given?: Record<string, string>) => {
			const digests = { ...given };
			for (const { file, digest } of hashed) if (list.includes(file)) digests[file.name] = digest;
			return Object.keys(digests).length > 0 ? digests : undefined;
		};
		const body: CreateRequest = {
			...request,
			files: named(files, request.files),
			adapters: named(adapters, request.adapters),
		};
		let blobs: BlobOutcome[] = [];
		const progress = await this.progress('/api/create', body, options, {
			prepare: async (baseUrl) => {
				blobs = [];
				for (const { file, digest, size } of hashed) {
					const uploaded = await this.sendBlob(baseUrl, file, digest, size, options);
					blobs.push({ name: file.name, digest, size, uploaded });
				}
			},
		});
		return { ...progress, blobs };
	}

	/** Sends a file to the blob store of `baseUrl` unless it is there; true when it was sent. */
	private async sendBlob(
		baseUrl: string,
		file: ModelFile,
		digest: string,
		size: number,
		options: StreamCallOptions<ProgressResponse>,
	): Promise<boolean> {
		const host = this.hostFor(options);
		const path = blobPath(digest);
		const signal = options.signal;
		const present = await sendRequest(host, baseUrl, {
			method: 'HEAD',
			path,
			timeoutMs: METADATA_TIMEOUT_MS,
			signal,
		}).then(
			() => true,
			(error: unknown) => {
				if (error instanceof OllamaFailure && error.status === 404) return false;
				throw error;
			},
		);
		if (present) return false;
		options.onDelta?.({ status: `uploading ${file.name}`, digest, total: size, completed: 0 });
		await sendRequest(host, baseUrl, {
			method: 'POST',
			path,
			content: { bytes: await file.open(), length: size },
			timeoutMs: options.timeoutMs ?? this.timeoutMs,
			signal,
		});
		options.onDelta?.({ status: `uploading ${file.name}`, digest, total: size, completed: size });
		return true;
	}

	async embed(request: EmbedRequest, options: CallOptions = {}): Promise<EmbedResponse> {
		if (this.api === 'openai') {
			const list = await this.json<unknown>(
				'POST',
				'/v1/embeddings',
				openAiEmbedBody(request),
				request.model,
				options,
				this.timeoutMs,
				{ field: 'data', type: 'list' },
			);
			return fromOpenAiEmbeddings(list, request.model);
		}
		return await this.json<EmbedResponse>(
			'POST',
			'/api/embed',
			request,
			request.model,
			options,
			this.timeoutMs,
			{ field: 'embeddings', type: 'list' },
		);
	}

	async embeddings(
		request: EmbeddingsRequest,
		options: CallOptions = {},
	): Promise<EmbeddingsResponse> {
		this.nativeOnly('The legacy /api/embeddings endpoint');
		return await this.json<EmbeddingsResponse>(
			'POST',
			'/api/embeddings',
			request,
			request.model,
			options,
			this.timeoutMs,
			{ field: 'embedding', type: 'list' },
		);
	}

	async list(options: CallOptions = {}): Promise<ListResponse> {
		if (this.api === 'openai') {
			const body = await this.json<unknown>(
				'GET',
				'/v1/models',
				undefined,
				undefined,
				options,
				METADATA_TIMEOUT_MS,
				{},
			);
			return fromOpenAiModels(body);
		}
		return await this.json<ListResponse>(
			'GET',
			'/api/tags',
			undefined,
			undefined,
			options,
			METADATA_TIMEOUT_MS,
			{ field: 'models', type: 'list' },
		);
	}

	async ps(options: CallOptions = {}): Promise<ProcessResponse> {
		this.nativeOnly('Listing the running models');
		return await this.json<ProcessResponse>(
			'GET',
			'/api/ps',
			undefined,
			undefined,
			options,
			METADATA_TIMEOUT_MS,
			{ field: 'models', type: 'list' },
		);
	}

	async show(request: ShowRequest, options: CallOptions = {}): Promise<ShowResponse> {
		if (this.api === 'openai') {
			const body = await this.json<unknown>(
				'GET',
				`/v1/models/${encodeURIComponent(request.model)}`,
				undefined,
				request.model,
				options,
				METADATA_TIMEOUT_MS,
				{},
			);
			return fromOpenAiModel(body);
		}
		return await this.json<ShowResponse>(
			'POST',
			'/api/show',
			request,
			request.model,
			options,
			METADATA_TIMEOUT_MS,
			{},
		);
	}

	async version(options: CallOptions = {}): Promise<VersionResponse> {
		this.nativeOnly("The server's version");
		return await this.json<VersionResponse>(
			'GET',
			'/api/version',
			undefined,
			undefined,
			options,
			METADATA_TIMEOUT_MS,
			{ field: 'version', type: 'text' },
		);
	}

	async copy(request: CopyRequest, options: CallOptions = {}): Promise<void> {
		this.nativeOnly('Copying a model');
		await this.json<unknown>('POST', '/api/copy', request, request.source, options);
	}

	/** True when deleted; false when the model was not there and `ignoreMissing` is set. */
	async delete(
		request: DeleteRequest,
		options: CallOptions & { ignoreMissing?: boolean } = {},
	): Promise<boolean> {
		this.nativeOnly('Deleting a model');
		const missing = await this.json<unknown>('DELETE', '/api/delete', request, request.model, {
			...options,
			missingIsResult: options.ignoreMissing,
		});
		return missing !== MISSING;
	}

	private async json<T>(
		method: HttpMethod,
		path: string,
		body: object | undefined,
		model: string | undefined,
		options: CallOptions,
		defaultTimeoutMs = METADATA_TIMEOUT_MS,
		shape?: Shape,
	): Promise<T> {
		const request: OllamaRequest = {
			method,
			path,
			body,
			timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
			signal: options.signal,
		};
		const host = this.hostFor(options);
		return await this.attempt(model, options, async (baseUrl) => {
			const response = await sendRequest(host, baseUrl, request).catch((error: unknown) => {
				if (options.missingIsResult && isModelNotFound(error)) return undefined;
				throw error;
			});
			if (response === undefined) return MISSING as T;
			if (typeof response.body === 'string') {
				const text = response.body.trim();
				if (text === '') return undefined as T;
				// A JSON body that stops short: the connection ended before the answer did.
				const kind = text.startsWith('{') ? 'truncated' : 'protocol';
				const message =
					kind === 'truncated'
						? `Ollama's answer to ${path} ended before it was complete (${text.length} characters).`
						: `Ollama's answer to ${path} is not JSON: ${text.slice(0, 200)}`;
				throw new OllamaFailure(message, { kind, path });
			}
			if (shape) checkShape(response.body, shape, path);
			return response.body as T;
		});
	}

	/** A pull, push or create: its progress lines folded into one result. */
	private async progress(
		path: string,
		request: { model: string },
		options: StreamCallOptions<ProgressResponse>,
		how: StreamHow = {},
	): Promise<ProgressResult> {
		return await this.streamed(
			path,
			request,
			request.model,
			options,
			() => folderWithDeltas(new ProgressAggregator(), options.onDelta, true),
			how,
		);
	}

	/** An NDJSON endpoint (`stream: true` is added), its messages folded into one result. */
	private async streamed<Chunk extends object, Result>(
		path: string,
		body: object,
		model: string | undefined,
		options: StreamCallOptions<never>,
		makeFolder: () => Folder<Chunk, Result>,
		{ repeatableAfterOutput = false, read = consumeOllamaStream, prepare }: StreamHow = {},
	): Promise<Result> {
		const timeoutMs = options.timeoutMs ?? this.timeoutMs;
		const request: OllamaRequest = {
			method: 'POST',
			path,
			body: { ...body, stream: true },
			stream: true,
			timeoutMs,
		};
		const host = this.hostFor(options);
		// Tokens passed on live pin a request to its host: the caller must not see them twice.
		let live = false;
		const run = async (baseUrl: string) => {
			const folder = makeFolder();
			const idle = new IdleWatch(timeoutMs, this.host.sleep);
			const progress = { chunks: 0, idle };
			try {
				await prepare?.(baseUrl);
				const response = await sendRequest(host, baseUrl, {
					...request,
					signal: anySignal(idle.signal, options.signal),
				});
				idle.touch();
				await read(
					response.body as AsyncIterable<Buffer>,
					(chunk: Chunk) => {
						progress.chunks++;
						if (folder.push(chunk) === true) live = true;
					},
					{ path, onChunk: () => idle.touch() },
				);
			} catch (error) {
				const failure = streamFailure(error, host, request, progress);
				if (repeatableAfterOutput) failure.outputStarted = false;
				throw failure;
			} finally {
				idle.stop();
			}
			return folder.result();
		};
		return await this.attempt(model, options, run, () => live, path === '/api/pull');
	}

	/**
	 * Runs `run` on the server (with several hosts: on the pool's choice, and on the next host
	 * when one is down or lacks the model, which is not one of the Max Attempts), repeated by
	 * the retry policy.
	 */
	private async attempt<T>(
		model: string | undefined,
		options: CallOptions,
		run: (baseUrl: string) => Promise<T>,
		isLive?: () => boolean,
		pulls = false,
	): Promise<T> {
		const policy = options.maxAttempts
			? { ...this.policy, maxAttempts: options.maxAttempts }
			: this.policy;
		const pool = this.pool;
		const once = pool
			? async () => await pool.run(model, this.poolHooks(options), run, isLive, pulls)
			: async () => await run(this.baseUrl);
		try {
			if (this.configurationFailure) throw this.configurationFailure;
			return await withRetry(once, policy, {
				signal: this.hostFor(options).cancelSignal?.(),
				wait: this.host.sleep,
			});
		} catch (error) {
			throw this.annotate(error, model);
		}
	}

	/** How the pool probes a host back from its time out, and learns what it has loaded. */
	private poolHooks(options: CallOptions): PoolHooks {
		const host = this.hostFor(options);
		const get = async (baseUrl: string, path: string) =>
			await sendRequest(host, baseUrl, { method: 'GET', path, timeoutMs: PROBE_TIMEOUT_MS });
		return {
			probe: async (baseUrl) => {
				await get(baseUrl, this.api === 'openai' ? '/v1/models' : '/api/version');
				return true;
			},
			loadedModels:
				this.api === 'openai'
					? undefined
					: async (baseUrl) => {
							const { body } = await get(baseUrl, '/api/ps');
							const models = (body as Partial<ProcessResponse> | null)?.models;
							return Array.isArray(models) ? models.map((model) => model.name) : undefined;
						},
		};
	}

	/** Model management beyond list and get exists on Ollama's own API only. */
	private nativeOnly(what: string): void {
		if (this.api === 'openai') throw notOnOpenAi(what);
	}

	/** The host as one call sees it: its own signal stops it as the execution's stop does. */
	private hostFor(options: CallOptions): ClientHost {
		const own = options.signal;
		if (!own) return this.host;
		return { ...this.host, cancelSignal: () => anySignal(this.host.cancelSignal?.(), own) };
	}

	/** Adds where a failure happened (server, model) for the host's hints. */
	private annotate(error: unknown, model: string | undefined): unknown {
		if (error instanceof OllamaFailure) {
			error.baseUrl ??= this.displayUrl;
			error.model ??= model;
			error.api ??= this.api;
		}
		return error;
	}
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
	const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
	return present.length > 1 ? AbortSignal.any(present) : present[0];
}

function streamFailure(
	error: unknown,
	host: ClientHost,
	request: OllamaRequest,
	progress: { chunks: number; idle: IdleWatch },
): OllamaFailure {
	if (error instanceof OllamaFailure) return error;
	const outputStarted = progress.chunks > 0;
	const path = request.path;
	if (host.cancelSignal?.()?.aborted) {
		return new OllamaFailure('The execution was cancelled.', {
			kind: 'cancelled',
			path,
			outputStarted,
		});
	}
	const idleMs = Date.now() - progress.idle.lastByteAt;
	if (request.timeoutMs > 0 && idleMs >= request.timeoutMs * 0.9) {
		return new OllamaFailure(
			`The stream from Ollama stalled: nothing arrived on ${path} for ${request.timeoutMs} ms (the Timeout option).`,
			{ kind: 'timeoutIdle', path, outputStarted, cause: error },
		);
	}
	return new OllamaFailure(`The connection to Ollama was cut while ${path} was streaming.`, {
		kind: 'network',
		code: errorCode(error) ?? 'ECONNRESET',
		path,
		outputStarted,
		cause: error,
	});
}

/** What a JSON answer must look like: an object, with `field` of `type` when given. */
interface Shape {
	field?: string;
	type?: 'list' | 'text';
}

/** A 200 answer of the wrong shape is a protocol failure naming the endpoint, not a crash later on. */
function checkShape(body: unknown, shape: Shape, path: string): void {
	const expected = shape.field
		? `an object with a "${shape.field}" ${shape.type === 'list' ? 'list' : 'text'}`
		: 'a JSON object';
	const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
	const value = isObject && shape.field ? (body as Record<string, unknown>)[shape.field] : body;
	const fits =
		isObject &&
		(!shape.field || (shape.type === 'list' ? Array.isArray(value) : typeof value === 'string'));
	if (fits) return;
	const got = Array.isArray(body) ? 'a list' : body === null ? 'null' : typeof body;
	throw new OllamaFailure(
		`Ollama's answer to ${path} is not what Ollama sends: expected ${expected}, got ${isObject ? JSON.stringify(body).slice(0, 120) : got}.`,
		{ kind: 'protocol', path },
	);
}

function folderWithDeltas<Chunk, Delta, Result>(
	aggregator: { push(chunk: Chunk): Delta | void; result(): Result },
	onDelta: ((delta: Delta) => boolean | void) | undefined,
	deltaIsChunk = false,
): Folder<Chunk, Result> {
	if (!onDelta) return aggregator;
	let passedOn = false;
	return {
		/** True once output went on to a caller. */
		push(chunk: Chunk) {
			const delta = aggregator.push(chunk);
			if (onDelta((deltaIsChunk ? chunk : delta) as Delta) === true) passedOn = true;
			return passedOn;
		},
		result: () => aggregator.result(),
	};
}
