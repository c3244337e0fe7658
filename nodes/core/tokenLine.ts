// The fast path of the stream reader (ndjson.ts): most lines of a generation are token lines.

// A JSON string's body, escapes included, written unrolled ([^"\\]*(\\.[^"\\]*)*): no alternation per character.
const STRING = '"([^"\\\\]*(?:\\\\.[^"\\\\]*)*)"';
/**
 * The exact shape Ollama (Go's encoding/json, fixed field order) gives the bulk of a stream: a
 * token line of /api/generate or /api/chat. Matching it is about twice as fast as JSON.parse;
 * any other line, or any deviation, goes through JSON.parse.
 */
const GENERATE_TOKEN = new RegExp(
	`^\\{"model":${STRING},"created_at":${STRING},"response":${STRING}(?:,"thinking":${STRING})?,"done":false\\}$`,
);
const CHAT_TOKEN = new RegExp(
	`^\\{"model":${STRING},"created_at":${STRING},"message":\\{"role":"assistant","content":${STRING}(?:,"thinking":${STRING})?\\},"done":false\\}$`,
);

function jsonString(raw: string): string {
	return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/** Token lines are short; long lines (contexts, images) go straight to JSON.parse. */
const TOKEN_LINE_MAX = 4096;

/** A token line decoded without JSON.parse, or undefined for any other line. */
export function tokenLine(text: string): object | undefined {
	if (text.length > TOKEN_LINE_MAX || text.charCodeAt(2) !== 0x6d /* m */) return undefined;
	let match = GENERATE_TOKEN.exec(text);
	if (match) {
		const line: Record<string, unknown> = {
			model: jsonString(match[1]),
			created_at: jsonString(match[2]),
			response: jsonString(match[3]),
		};
		if (match[4] !== undefined) line.thinking = jsonString(match[4]);
		line.done = false;
		return line;
	}
	match = CHAT_TOKEN.exec(text);
	if (!match) return undefined;
	const message: Record<string, unknown> = { role: 'assistant', content: jsonString(match[3]) };
	if (match[4] !== undefined) message.thinking = jsonString(match[4]);
	return { model: jsonString(match[1]), created_at: jsonString(match[2]), message, done: false };
}
