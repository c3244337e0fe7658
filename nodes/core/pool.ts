/**
 * Several Ollama hosts behind one credential, used as one pool: each request goes to the host
 * with the fewest requests in flight from this process (ties: a host that has the model loaded,
 * then the order of the credential). A host that fails as a host (no connection, no answer in
 * time, 502/503/504, cut mid-stream) is out of the pool for a growing time and is probed before
 * it gets traffic again. The state lives as long as the process: every execution shares it.
 */
import { OllamaFailure, isModelNotFound } from './failures';
import { normalizeModelName } from './modelName';
import { displayUrl } from './url';

/** The first time out of the pool; doubles with each failure in a row, up to MAX_DOWN_MS. */
export const FIRST_DOWN_MS = 1_000;
export const MAX_DOWN_MS = 30_000;
/** How long a host that lacked a model is not asked for it again. */
const MISSING_MS = 60_000;
/** How often a host's loaded models (/api/ps) are looked up. */
export const LOADED_REFRESH_MS = 30_000;

const HOST_DOWN_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
]);

export class PoolHost {
	inFlight = 0;
	/** Failures in a row; 0 = in the pool. */
	failures = 0;
	/** Out of the pool until then (ms since epoch). */
	downUntil = 0;
	/** What the host said last time it failed, for the error when every host failed. */
	lastFailure?: OllamaFailure;
	/** A probe running after the host's time out of the pool. */
	probing?: Promise<boolean>;
	loaded = new Set<string>();
	loadedAt = Number.NEGATIVE_INFINITY;
	private readonly missing = new Map<string, number>();

	constructor(readonly baseUrl: string) {}

	lacks(model: string | undefined, now: number): boolean {
		if (model === undefined) return false;
		const until = this.missing.get(normalizeModelName(model));
		return until !== undefined && until > now;
	}

	markMissing(model: string, now: number): void {
		this.missing.set(normalizeModelName(model), now + MISSING_MS);
	}

	markPresent(model: string): void {
		this.missing.delete(normalizeModelName(model));
	}

	hasLoaded(model: string | undefined): boolean {
		return model !== undefined && this.loaded.has(normalizeModelName(model));
	}
}

/** What the pool asks of the calling client (its HTTP belongs to the running execution). */
export interface PoolHooks {
	/** Whether the host answers at all (a cheap request with a short timeout). */
	probe: (baseUrl: string) => Promise<boolean>;
	/** The models the host has loaded; undefined when it cannot say (no /api/ps). */
	loadedModels?: (baseUrl: string) => Promise<string[] | undefined>;
}

/** How a failure on one host bears on the pool. */
export type HostVerdict = 'hostDown' | 'modelMissing' | 'final';

/**
 * Whether a failure says the host is down (go to another host at once), lacks the model
 * (another host may have it), or is the request's own (the same on any host).
 * `liveOutput`: tokens of this request already reached the caller, who must not see them twice.
 */
export function verdictOf(failure: unknown, liveOutput: boolean): HostVerdict {
	if (!(failure instanceof OllamaFailure) || liveOutput) return 'final';
	if (isModelNotFound(failure)) return 'modelMissing';
	switch (failure.kind) {
		case 'network':
			return failure.code === undefined || HOST_DOWN_CODES.has(failure.code) ? 'hostDown' : 'final';
		case 'timeoutBeforeResponse':
		case 'timeoutIdle':
		case 'truncated':
			return 'hostDown';
		case 'http':
			return failure.status === 502 || failure.status === 503 || failure.status === 504
				? 'hostDown'
				: 'final';
		default:
			return 'final';
	}
}

export class HostPool {
	readonly hosts: PoolHost[];

	constructor(
		baseUrls: string[],
		private readonly now: () => number = Date.now,
	) {
		this.hosts = baseUrls.map((url) => new PoolHost(url));
	}

	/**
	 * Runs `send` on the best host for `model`, and on the next one when a host is down or lacks
	 * the model, until one answers or every host has failed (then one failure names them all).
	 * `send` reports whether output reached the caller live, which pins the request to its host.
	 */
	async run<T>(
		model: string | undefined,
		hooks: PoolHooks,
		send: (baseUrl: string) => Promise<T>,
		isLive: () => boolean = () => false,
		/** A pull of `model`: any host may take it, including those that lack the model. */
		pull = false,
	): Promise<T> {
		const tried = new Map<PoolHost, unknown>();
		for (;;) {
			const host = await this.choose(pull ? undefined : model, tried, hooks);
			if (!host) throw this.allFailed(model, tried);
			let failure: unknown;
			try {
				const result = await send(host.baseUrl);
				this.succeeded(host, model);
				return result;
			} catch (error) {
				failure = error;
			} finally {
				host.inFlight--;
			}
			const verdict = verdictOf(failure, isLive());
			if (verdict === 'final') {
				if (failure instanceof OllamaFailure) failure.baseUrl ??= displayUrl(host.baseUrl);
				throw failure;
			}
			if (verdict === 'hostDown') this.failed(host, failure as OllamaFailure);
			else host.markMissing(model!, this.now());
			tried.set(host, failure);
		}
	}

	/**
	 * The host to send to, its request already counted in flight (parallel items choose in the
	 * same tick). A host back from its time out is probed first.
	 */
	private async choose(
		model: string | undefined,
		tried: Map<PoolHost, unknown>,
		hooks: PoolHooks,
	): Promise<PoolHost | undefined> {
		this.refreshLoaded(hooks);
		for (;;) {
			const now = this.now();
			const candidates = this.hosts.filter(
				(host) => !tried.has(host) && !host.lacks(model, now) && host.downUntil <= now,
			);
			if (candidates.length === 0) return undefined;
			const best = candidates.reduce((a, b) => (this.better(b, a, model) ? b : a));
			best.inFlight++;
			if (best.failures === 0) return best;
			// Back from its time out: it gets traffic only once it answers.
			if (await this.probe(best, hooks)) return best;
			best.inFlight--;
			tried.set(best, best.lastFailure);
		}
	}

	private better(a: PoolHost, b: PoolHost, model: string | undefined): boolean {
		if (a.inFlight !== b.inFlight) return a.inFlight < b.inFlight;
		return a.hasLoaded(model) && !b.hasLoaded(model);
	}

	private async probe(host: PoolHost, hooks: PoolHooks): Promise<boolean> {
		host.probing ??= hooks
			.probe(host.baseUrl)
			.catch(() => false)
			.then((up) => {
				host.probing = undefined;
				if (up) host.failures = 0;
				else this.takeOut(host);
				return up;
			});
		return await host.probing;
	}

	private succeeded(host: PoolHost, model: string | undefined): void {
		host.failures = 0;
		host.downUntil = 0;
		if (model !== undefined) host.markPresent(model);
	}

	private failed(host: PoolHost, failure: OllamaFailure): void {
		host.lastFailure = failure;
		// Requests that were in flight when it went down fail too: one time out, not one each.
		if (host.downUntil <= this.now()) this.takeOut(host);
	}

	private takeOut(host: PoolHost): void {
		host.failures++;
		const ms = Math.min(MAX_DOWN_MS, FIRST_DOWN_MS * 2 ** (host.failures - 1));
		host.downUntil = this.now() + ms;
	}

	/** Looks up loaded models in the background, at most every LOADED_REFRESH_MS per host. */
	private refreshLoaded(hooks: PoolHooks): void {
		const lookup = hooks.loadedModels;
		if (!lookup) return;
		const now = this.now();
		for (const host of this.hosts) {
			if (now - host.loadedAt < LOADED_REFRESH_MS || host.failures > 0) continue;
			host.loadedAt = now;
			void lookup(host.baseUrl)
				.then((models) => {
					if (models) host.loaded = new Set(models.map(normalizeModelName));
				})
				.catch(() => undefined);
		}
	}

	/** One failure that says what each host said (or that it was out of the pool). */
	private allFailed(model: string | undefined, tried: Map<PoolHost, unknown>): OllamaFailure {
		const parts = this.hosts.map((host) => {
			const said = tried.get(host) ?? host.lastFailure;
			const text =
				said instanceof OllamaFailure
					? said.message
					: host.lacks(model, this.now())
						? `has no model "${model}"`
						: 'out of the pool after failing';
			return `${displayUrl(host.baseUrl)}: ${text}`;
		});
		const last = [...tried.values()].reverse().find((e) => e instanceof OllamaFailure) as
			OllamaFailure | undefined;
		const missingEverywhere = this.hosts.every((host) => host.lacks(model, this.now()));
		const failure = new OllamaFailure(`Every Ollama host failed. ${parts.join(' · ')}`, {
			kind: last?.kind ?? 'network',
			status: last?.status,
			code: last?.code ?? (last ? undefined : 'ECONNREFUSED'),
			ollamaMessage: missingEverywhere ? last?.ollamaMessage : undefined,
			retryAfterMs: last?.retryAfterMs,
			path: last?.path,
		});
		return failure;
	}
}

const pools = new Map<string, HostPool>();

/** The process's pool for these hosts (one per credential's host list and API). */
export function sharedPool(key: string, baseUrls: string[]): HostPool {
	let pool = pools.get(key);
	if (!pool) {
		pool = new HostPool(baseUrls);
		pools.set(key, pool);
	}
	return pool;
}
