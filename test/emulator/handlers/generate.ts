// POST /api/generate

import { bind, GenerateRequest } from '../bind';
import { MODEL_ERROR } from '../faults';
import { nowText, since } from '../clock';
import { RawJson } from '../json';
import type { Capability } from '../models';
import { parseName } from '../names';
import type { State } from '../state';
import { replyFor, tokenId, tokenIds } from '../text';
import type { Exchange } from '../wire';
import {
	evaluatedPromptTokens,
	formatError,
	keepAliveOf,
	logprobsFor,
	optionsFor,
	pace,
	runnerError,
	schedule,
	runRefusal,
	topLogprobsRefusal,
} from './run';

interface GenerateBody {
	model?: string;
	prompt?: string;
	suffix?: string;
	system?: string;
	template?: string;
	context?: number[];
	stream?: boolean;
	raw?: boolean;
	format?: unknown;
	images?: string[];
	options?: Record<string, unknown>;
	keep_alive?: bigint;
	think?: boolean | string;
	logprobs?: boolean;
	top_logprobs?: number;
}

export async function generate(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bind<GenerateBody>(body, GenerateRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const req = bound.value;
	const name = req.model ?? '';
	const stream = req.stream !== false;

	const badTop = topLogprobsRefusal(req.top_logprobs);
	if (badTop) return ex.json(400, { error: badTop });
	if (name === '') return ex.json(404, { error: `model '' not found` });
	if (!parseName(name)) return ex.json(400, { error: 'invalid model name' });
	const model = state.registry.find(name);
	if (!model) return ex.json(404, { error: `model '${name}' not found` });
	if (req.raw && (req.template || req.system || req.context?.length)) {
		return ex.json(400, { error: 'raw mode does not support template, system, or context' });
	}

	const keepAliveNs = keepAliveOf(req.keep_alive, state);
	const prompt = req.prompt ?? '';
	if (prompt === '' && req.keep_alive === 0n) {
		state.registry.unload(model);
		return ex.json(200, {
			model: name,
			created_at: nowText(),
			response: '',
			done: true,
			done_reason: 'unload',
		});
	}

	const needs: Capability[] = [];
	if (req.suffix) needs.push('insert');
	if (req.images?.length) needs.push('vision');
	const refusal = runRefusal(model, name, 'generate', req, needs);
	if (refusal) return ex.json(400, { error: refusal });
	const thinking = model.capabilities.includes('thinking');

	const opts = optionsFor(model, req.options);
	if (typeof opts === 'string') return ex.json(500, { error: opts });

	const run = await schedule(ex, state, model, opts, keepAliveNs);
	if (!run) return;
	try {
		if (prompt === '') {
			return await ex.json(200, {
				model: name,
				created_at: nowText(),
				response: '',
				done: true,
				done_reason: 'load',
			});
		}
		const badFormat = formatError(req.format);
		if (badFormat) return await runnerError(ex, stream, badFormat);

		const fault = ex.fault;
		const forced = fault?.text ?? (fault?.type === 'text' ? fault.text : undefined);
		const system = req.system ?? model.system;
		const reply = replyFor({
			model: model.display,
			prompt,
			suffix: req.suffix,
			system: req.raw ? undefined : system,
			seed: opts.seed,
			format: req.format,
			think: thinking ? (req.think ?? true) : false,
			thinkStyle: model.thinkStyle,
			capabilities: model.capabilities,
			numPredict: opts.numPredict,
			stop: opts.stop,
			tokens: model.replyTokens ?? state.config.replyTokens,
			thinkingTokens: state.config.thinkingTokens,
			multibyte: state.config.multibyte,
			text: forced ?? model.replyText ?? state.config.replyText,
		});

		const promptText = req.raw ? prompt : `${system}${prompt}${req.suffix ?? ''}`;
		const promptIds = tokenIds(promptText);
		if (!req.raw) promptIds.push(...Array.from({ length: 8 }, (_, k) => 128000 + k));
		const pieces = [
			...reply.thinkingChunks.map((t) => ({ thinking: t, response: '' })),
			...reply.chunks.map((r) => ({ thinking: '', response: r })),
		];
		const top = req.top_logprobs ?? 0;
		const withLogprobs = req.logprobs === true || top > 0;

		const timing = await pace(ex, state, pieces.length, async (i) => {
			if (!stream) return true;
			const p = pieces[i];
			return ex.line({
				model: name,
				created_at: nowText(),
				response: p.response,
				thinking: p.thinking || undefined,
				done: false,
				logprobs: withLogprobs ? logprobsFor(p.response || p.thinking, top) : undefined,
			});
		});
		if (!timing || ex.closed) return;

		const context = req.raw
			? undefined
			: [
					...(req.context ?? []),
					...promptIds,
					...pieces.map((p) => tokenId(p.response || p.thinking)),
				];
		let contextJson: RawJson | undefined;
		if (context && fault?.type === 'hugeLine') {
			// Token ids 100000…127999 repeated until the line has the asked size.
			const target = fault.bytes ?? 1 << 20;
			const block = Array.from({ length: 28000 }, (_, k) => 100000 + k).join(',');
			const head = context.join(',');
			const blocks = Math.ceil(target / (block.length + 1));
			contextJson = new RawJson(
				`[${head}${head ? ',' : ''}${`${block},`.repeat(blocks - 1)}${block}]`,
			);
		}
		const final = {
			model: name,
			created_at: nowText(),
			response: stream ? '' : reply.response,
			thinking: stream ? undefined : reply.thinking || undefined,
			done: true,
			done_reason: fault?.type === 'noDoneReason' ? undefined : reply.doneReason,
			context: contextJson ?? context,
			total_duration: since(ex.startedNs),
			load_duration: run.loadNs,
			prompt_eval_count:
				evaluatedPromptTokens((req.context?.length ?? 0) + promptIds.length, model, state, opts) ||
				undefined,
			prompt_eval_duration: timing.promptNs,
			eval_count: reply.evalCount || undefined,
			eval_duration: reply.evalCount ? timing.evalNs : undefined,
			logprobs:
				withLogprobs && !stream
					? pieces.flatMap((p) => logprobsFor(p.response || p.thinking, top))
					: undefined,
		};
		if (!context && fault?.type === 'hugeLine')
			final.response += ' '.repeat(fault.bytes ?? 1 << 20);
		if (stream) {
			if (await ex.line(final, true)) ex.end();
			return;
		}
		if (fault?.type === 'errorLine')
			return await ex.json(500, { error: fault.error ?? MODEL_ERROR });
		await ex.json(200, final);
	} finally {
		run.done();
	}
}
