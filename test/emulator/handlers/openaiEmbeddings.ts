// POST /v1/embeddings: Ollama's EmbeddingsMiddleware and EmbedWriter (O:middleware/openai.go;
// O:openai/openai.go ToEmbeddingList, floatsToBase64) over the native /api/embed handler.

import { Float32s } from '../json';
import { OpenAIEmbedRequest } from '../openaiBind';
import type { State } from '../state';
import type { Exchange } from '../wire';
import { embed } from './embed';
import { abort, bindOpenAI, encode, OpenAIWriter } from './openaiWire';

interface EmbedBody {
	input?: unknown;
	model?: string;
	dimensions?: number;
	encoding_format?: string;
}

interface NativeEmbed {
	embeddings?: (Float32s | number[])[] | null;
	prompt_eval_count?: number;
}

/** The vector as little-endian float32 bytes in standard base64. */
export function float32Base64(values: number[]): string {
	const buf = Buffer.alloc(values.length * 4);
	values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
	return buf.toString('base64');
}

class EmbedWriter extends OpenAIWriter {
	constructor(
		private readonly model: string,
		private readonly base64: boolean,
	) {
		super(false);
	}

	protected writeResponse(body: unknown): string {
		const r = body as NativeEmbed;
		if (!r.embeddings) {
			return encode({ object: '', data: null, model: '', usage: usageOf(0) });
		}
		const data = r.embeddings.map((e, index) => {
			const values = e instanceof Float32s ? e.values : e;
			return {
				object: 'embedding',
				embedding: this.base64 ? float32Base64(values) : new Float32s(values),
				index,
			};
		});
		return encode({
			object: 'list',
			data: data.length ? data : null,
			model: this.model,
			usage: usageOf(r.prompt_eval_count ?? 0),
		});
	}
}

const usageOf = (tokens: number) => ({ prompt_tokens: tokens, total_tokens: tokens });

export async function openaiEmbeddings(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bindOpenAI<EmbedBody>(body, OpenAIEmbedRequest);
	if (!bound.ok) return abort(ex, 400, bound.error);
	const req = bound.value;
	const format = (req.encoding_format ?? '').toLowerCase();
	if (req.encoding_format && format !== 'float' && format !== 'base64') {
		return abort(
			ex,
			400,
			`Invalid value for 'encoding_format' = ${req.encoding_format}. Supported values: ['float', 'base64'].`,
		);
	}
	let input = req.input;
	if (input === '') input = [''];
	if (input === undefined || (Array.isArray(input) && input.length === 0)) {
		return abort(ex, 400, 'invalid input');
	}
	ex.dialect = new EmbedWriter(req.model ?? '', format === 'base64');
	const native = { model: req.model ?? '', input, dimensions: req.dimensions || undefined };
	await embed(ex, Buffer.from(JSON.stringify(native), 'utf8'), state);
}
