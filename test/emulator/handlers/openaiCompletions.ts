// POST /v1/completions: Ollama's CompletionsMiddleware and CompleteWriter (O:middleware/openai.go;
// O:openai/openai.go FromCompleteRequest, ToCompletion, ToCompleteChunk) over the native
// generate handler.

import { CompletionRequest, type StreamOptionsBody } from '../openaiBind';
import type { State } from '../state';
import type { Exchange } from '../wire';
import { generate } from './generate';
import { usageOf } from './openaiChatWriter';
import {
	abort,
	bindOpenAI,
	completionId,
	encode,
	FINGERPRINT,
	goType,
	OpenAIWriter,
	sse,
	SSE_DONE,
	unixSeconds,
} from './openaiWire';

interface CompletionBody {
	model?: string;
	prompt?: string;
	frequency_penalty?: number;
	max_tokens?: number;
	presence_penalty?: number;
	seed?: number;
	stop?: unknown;
	stream?: boolean;
	stream_options?: StreamOptionsBody;
	temperature?: number;
	top_p?: number;
	suffix?: string;
	logprobs?: number;
}

/** An api.GenerateResponse as the writer decodes it. */
interface NativeGenerate {
	model?: string;
	created_at?: string;
	response?: string;
	done?: boolean;
	done_reason?: string;
	prompt_eval_count?: number;
	eval_count?: number;
}

/** FromCompleteRequest: the native /api/generate request. Returns the 400 text when refused. */
export function fromCompleteRequest(r: CompletionBody): Record<string, unknown> | string {
	const options: Record<string, unknown> = {};
	if (typeof r.stop === 'string') options.stop = [r.stop];
	else if (Array.isArray(r.stop)) {
		for (const s of r.stop) {
			if (typeof s !== 'string') return `invalid type for 'stop' field: ${goType(s)}`;
		}
		options.stop = r.stop.length ? r.stop : null;
	}
	if (r.max_tokens !== undefined) options.num_predict = r.max_tokens;
	options.temperature = r.temperature ?? 1.0;
	if (r.seed !== undefined) options.seed = r.seed;
	options.frequency_penalty = r.frequency_penalty ?? 0;
	options.presence_penalty = r.presence_penalty ?? 0;
	options.top_p = r.top_p ? r.top_p : 1.0;
	const logprobs = r.logprobs !== undefined && r.logprobs > 0;
	return {
		model: r.model ?? '',
		prompt: r.prompt ?? '',
		options,
		stream: r.stream === true,
		suffix: r.suffix || undefined,
		logprobs: logprobs || undefined,
		top_logprobs: logprobs ? r.logprobs : undefined,
	};
}

function choice(r: NativeGenerate) {
	return { text: r.response ?? '', index: 0, finish_reason: r.done_reason || null };
}

class CompleteWriter extends OpenAIWriter {
	constructor(
		stream: boolean,
		private readonly includeUsage: boolean,
		private readonly id: string,
	) {
		super(stream);
	}

	protected writeResponse(body: unknown): string {
		const r = body as NativeGenerate;
		if (!this.stream) {
			return encode({
				id: this.id,
				object: 'text_completion',
				created: unixSeconds(r.created_at, false),
				model: r.model ?? '',
				system_fingerprint: FINGERPRINT,
				choices: [choice(r)],
				usage: usageOf(r),
			});
		}
		// Chunks carry the time they are written, and zero usage while include_usage is on.
		const c = {
			id: this.id,
			object: 'text_completion',
			created: Math.floor(Date.now() / 1000),
			choices: [choice(r)] as unknown[],
			model: r.model ?? '',
			system_fingerprint: FINGERPRINT,
			usage: this.includeUsage ? usageOf({}) : undefined,
		};
		let out = sse(c);
		if (r.done) {
			if (this.includeUsage) out += sse({ ...c, choices: [], usage: usageOf(r) });
			out += SSE_DONE;
		}
		return out;
	}
}

export async function openaiCompletions(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bindOpenAI<CompletionBody>(body, CompletionRequest);
	if (!bound.ok) return abort(ex, 400, bound.error);
	const req = bound.value;
	const native = fromCompleteRequest(req);
	if (typeof native === 'string') return abort(ex, 400, native);
	const includeUsage = req.stream_options?.include_usage === true;
	ex.dialect = new CompleteWriter(req.stream === true, includeUsage, completionId('cmpl', ex));
	await generate(ex, Buffer.from(JSON.stringify(native), 'utf8'), state);
}
