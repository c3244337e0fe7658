// The fast path of the SSE reader (sse.ts), as tokenLine.ts is the NDJSON reader's: most events
// of a /v1 stream are token chunks, in the one shape Ollama's Go encoder writes them.

// A JSON string's body, escapes included, written unrolled ([^"\\]*(\\.[^"\\]*)*): no alternation per character.
const STRING = '"([^"\\\\]*(?:\\\\.[^"\\\\]*)*)"';
const HEAD = `^\\{"id":${STRING},"object":`;

/**
 * A /v1/chat/completions token chunk (openai.ChatCompletionChunk, fixed field order): role on
 * the first chunk only in newer servers, then content and/or reasoning, no finish_reason.
 */
const CHAT_TOKEN = new RegExp(
	`${HEAD}"chat\\.completion\\.chunk","created":(0|[1-9]\\d{0,14}),"model":${STRING},"system_fingerprint":${STRING},` +
		`"choices":\\[\\{"index":0,"delta":\\{("role":"assistant",)?` +
		`(?:"content":${STRING}(?:,"reasoning":${STRING})?|"reasoning":${STRING})` +
		'\\},"finish_reason":null\\}\\]\\}$',
);

/** A /v1/completions token chunk (openai.CompletionChunk: choices come before model). */
const COMPLETION_TOKEN = new RegExp(
	`${HEAD}"text_completion","created":(0|[1-9]\\d{0,14}),"choices":\\[\\{"text":${STRING},"index":0,"finish_reason":null\\}\\],` +
		`"model":${STRING},"system_fingerprint":${STRING}\\}$`,
);

function jsonString(raw: string): string {
	return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/** Token chunks are short; long events go straight to JSON.parse. */
const TOKEN_EVENT_MAX = 4096;

/** A token chunk decoded without JSON.parse (what JSON.parse would give), or undefined for any other data. */
export function openAiTokenLine(data: string): object | undefined {
	if (data.length > TOKEN_EVENT_MAX || !data.startsWith('{"id":')) return undefined;
	let match = CHAT_TOKEN.exec(data);
	if (match) {
		const delta: Record<string, unknown> = {};
		if (match[5] !== undefined) delta.role = 'assistant';
		if (match[6] !== undefined) delta.content = jsonString(match[6]);
		const reasoning = match[7] ?? match[8];
		if (reasoning !== undefined) delta.reasoning = jsonString(reasoning);
		return {
			id: jsonString(match[1]),
			object: 'chat.completion.chunk',
			created: Number(match[2]),
			model: jsonString(match[3]),
			system_fingerprint: jsonString(match[4]),
			choices: [{ index: 0, delta, finish_reason: null }],
		};
	}
	match = COMPLETION_TOKEN.exec(data);
	if (!match) return undefined;
	return {
		id: jsonString(match[1]),
		object: 'text_completion',
		created: Number(match[2]),
		choices: [{ text: jsonString(match[3]), index: 0, finish_reason: null }],
		model: jsonString(match[4]),
		system_fingerprint: jsonString(match[5]),
	};
}
