// Emulator settings: latency model, reply shape, server quirks. Programmatic defaults are instant.

export interface LatencyConfig {
	/** Requests a loaded model serves at once (OLLAMA_NUM_PARALLEL). */
	parallel: number;
	/** Requests allowed to wait for a slot before 503 (OLLAMA_MAX_QUEUE). */
	maxQueue: number;
	/** Cold load time when the model is not loaded, reported as load_duration. */
	loadMs: number;
	/** Time from slot to the first chunk (prompt evaluation). */
	firstTokenMs: number;
	/** Time per generated token after the first. */
	tokenMs: number;
	/** Time between pull/push/create progress lines. */
	pullIntervalMs: number;
	/** Progress lines per downloaded layer. */
	pullSteps: number;
}

export interface EmulatorConfig {
	latency: LatencyConfig;
	/** Answer /api/embed with 404 like a server older than v0.3.0. */
	legacyOnly: boolean;
	/** Reported by /api/version. */
	version: string;
	/** Natural answer length in tokens. */
	replyTokens: number;
	/** Thinking length in tokens. */
	thinkingTokens: number;
	/** Draw reply words from a vocabulary with multi-byte UTF-8 characters. */
	multibyte: boolean;
	/** Force every generate/chat answer to this text. */
	replyText?: string;
	/** keep_alive when the request has none (OLLAMA_KEEP_ALIVE). */
	defaultKeepAlive: string | number;
	/** Context length a model loads with when options.num_ctx is absent (OLLAMA_CONTEXT_LENGTH). */
	numCtx: number;
	/** Reject Host headers that are not local (403), as Ollama does on a loopback address. */
	checkHost: boolean;
	/** Extra allowed CORS origins (OLLAMA_ORIGINS), `*` wildcards allowed. */
	origins: string[];
}

export type ConfigPatch = Partial<Omit<EmulatorConfig, 'latency'>> & {
	latency?: Partial<LatencyConfig>;
};

export function defaultConfig(): EmulatorConfig {
	return {
		latency: {
			parallel: 1,
			maxQueue: 512,
			loadMs: 0,
			firstTokenMs: 0,
			tokenMs: 0,
			pullIntervalMs: 0,
			pullSteps: 4,
		},
		legacyOnly: false,
		version: '0.12.11',
		replyTokens: 12,
		thinkingTokens: 8,
		multibyte: false,
		defaultKeepAlive: '5m',
		numCtx: 4096,
		checkHost: true,
		origins: [],
	};
}

export function applyConfig(config: EmulatorConfig, patch: ConfigPatch): void {
	const { latency, ...rest } = patch;
	for (const [k, v] of Object.entries(rest)) {
		if (v !== undefined) (config as unknown as Record<string, unknown>)[k] = v;
	}
	if (latency) {
		for (const [k, v] of Object.entries(latency)) {
			if (v !== undefined) (config.latency as unknown as Record<string, unknown>)[k] = v;
		}
	}
}
