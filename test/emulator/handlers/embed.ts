// POST /api/embed and the legacy POST /api/embeddings

import { bind, EmbeddingRequest, EmbedRequest } from '../bind';
import { since } from '../clock';
import { embeddingFor, legacyEmbeddingFor } from '../embedding';
import { MODEL_ERROR } from '../faults';
import { Float32s } from '../json';
import { parseName } from '../names';
import type { State } from '../state';
import { countTokens } from '../text';
import type { Exchange } from '../wire';
import { contextWindow, keepAliveOf, optionsFor, pace, schedule } from './run';

interface EmbedBody {
	model?: string;
	input?: unknown;
	truncate?: boolean;
	dimensions?: number;
	options?: Record<string, unknown>;
	keep_alive?: bigint;
}

const notFound = (name: string) => `model ${JSON.stringify(name)} not found, try pulling it first`;

export async function embed(ex: Exchange, body: Buffer, state: State): Promise<void> {
	if (state.config.legacyOnly) return ex.text(404, '404 page not found', 'text/plain');
	const bound = bind<EmbedBody>(body, EmbedRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const req = bound.value;
	const name = req.model ?? '';

	let input: string[] = [];
	if (typeof req.input === 'string') {
		if (req.input.length > 0) input = [req.input];
	} else if (Array.isArray(req.input)) {
		if (req.input.some((v) => typeof v !== 'string'))
			return ex.json(400, { error: 'invalid input type' });
		input = req.input as string[];
	} else if (req.input !== undefined && req.input !== null) {
		return ex.json(400, { error: 'invalid input type' });
	}

	if (name === '' || !parseName(name)) return ex.json(404, { error: `model '${name}' not found` });
	const model = state.registry.find(name);
	if (!model) return ex.json(404, { error: notFound(name) });
	const opts = optionsFor(model, req.options);
	if (typeof opts === 'string') return ex.json(500, { error: opts });

	const run = await schedule(ex, state, model, opts, keepAliveOf(req.keep_alive, state));
	if (!run) return;
	try {
		if (input.length === 0) return await ex.json(200, { model: name, embeddings: [] });
		// Each text is cut to the window on its own; the count is the sum of what was embedded.
		const limit = contextWindow(model, state, opts);
		let promptTokens = 0;
		for (const text of input) {
			const tokens = countTokens(text);
			if (tokens > limit && req.truncate === false) {
				return await ex.json(400, { error: 'the input length exceeds the context length' });
			}
			promptTokens += Math.min(tokens, limit);
		}
		const timing = await pace(ex, state, 1, async () => true);
		if (!timing) return;
		if (ex.fault?.type === 'errorLine')
			return await ex.json(500, { error: ex.fault.error ?? MODEL_ERROR });
		const embeddings = input.map(
			(text) =>
				new Float32s(embeddingFor(model.display, text, model.embeddingLength, req.dimensions)),
		);
		await ex.json(200, {
			model: name,
			embeddings,
			total_duration: since(ex.startedNs),
			load_duration: run.loadNs,
			prompt_eval_count: promptTokens,
		});
	} finally {
		run.done();
	}
}

interface EmbeddingBody {
	model?: string;
	prompt?: string;
	options?: Record<string, unknown>;
	keep_alive?: bigint;
}

export async function embeddings(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bind<EmbeddingBody>(body, EmbeddingRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const req = bound.value;
	const name = req.model ?? '';
	if (name === '' || !parseName(name)) return ex.json(400, { error: 'model is required' });
	const model = state.registry.find(name);
	if (!model) return ex.json(404, { error: notFound(name) });
	const opts = optionsFor(model, req.options);
	if (typeof opts === 'string') return ex.json(500, { error: opts });

	const run = await schedule(ex, state, model, opts, keepAliveOf(req.keep_alive, state));
	if (!run) return;
	try {
		const prompt = req.prompt ?? '';
		if (prompt === '') return await ex.json(200, { embedding: [] });
		const timing = await pace(ex, state, 1, async () => true);
		if (!timing) return;
		await ex.json(200, {
			embedding: legacyEmbeddingFor(model.display, prompt, model.embeddingLength),
		});
	} finally {
		run.done();
	}
}
