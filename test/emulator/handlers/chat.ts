// POST /api/chat

import { bind, ChatRequest } from '../bind';
import { nowText, since } from '../clock';
import { MODEL_ERROR } from '../faults';
import type { Capability } from '../models';
import { parseName } from '../names';
import type { State } from '../state';
import { replyFor, tokenIds, type ToolLike } from '../text';
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

interface Message {
	role?: string;
	content?: string;
	thinking?: string;
	images?: string[];
	tool_calls?: unknown[];
	tool_name?: string;
	tool_call_id?: string;
}

interface ChatBody {
	model?: string;
	messages?: Message[];
	tools?: ToolLike[];
	stream?: boolean;
	format?: unknown;
	options?: Record<string, unknown>;
	keep_alive?: bigint;
	think?: boolean | string;
	logprobs?: boolean;
	top_logprobs?: number;
}

export async function chat(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bind<ChatBody>(body, ChatRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const req = bound.value;
	const name = req.model ?? '';
	const stream = req.stream !== false;
	const messages = (req.messages ?? []).map((m) => ({ ...m, role: (m.role ?? '').toLowerCase() }));

	const badTop = topLogprobsRefusal(req.top_logprobs);
	if (badTop) return ex.json(400, { error: badTop });
	if (name === '') return ex.json(400, { error: 'model is required' });
	if (!parseName(name)) return ex.json(400, { error: 'invalid model name' });
	const model = state.registry.find(name);
	if (!model) return ex.json(404, { error: `model '${name}' not found` });

	const keepAliveNs = keepAliveOf(req.keep_alive, state);
	const loadOnly = messages.length === 0;
	const empty = (reason: string) => ({
		model: name,
		created_at: nowText(),
		message: { role: 'assistant', content: '' },
		done: true,
		done_reason: reason,
	});
	if (loadOnly && req.keep_alive === 0n) {
		state.registry.unload(model);
		return ex.json(200, empty('unload'));
	}

	const needs: Capability[] = [];
	if (req.tools?.length) needs.push('tools');
	if (messages.some((m) => m.images?.length)) needs.push('vision');
	const refusal = runRefusal(model, name, 'chat', req, needs);
	if (refusal) return ex.json(400, { error: refusal });
	const thinking = model.capabilities.includes('thinking');

	const opts = optionsFor(model, req.options);
	if (typeof opts === 'string') return ex.json(500, { error: opts });

	const run = await schedule(ex, state, model, opts, keepAliveNs);
	if (!run) return;
	try {
		if (loadOnly) return await ex.json(200, empty('load'));
		const badFormat = formatError(req.format);
		if (badFormat) return await runnerError(ex, stream, badFormat);

		const fault = ex.fault;
		const forced = fault?.text ?? (fault?.type === 'text' ? fault.text : undefined);
		const history = [...model.messages, ...messages];
		const hasSystem = history.some((m) => m.role === 'system');
		const reply = replyFor({
			model: model.display,
			messages: history.map((m) => ({ role: m.role, content: m.content ?? '' })),
			system: hasSystem ? undefined : model.system || undefined,
			seed: opts.seed,
			format: req.format,
			think: thinking ? (req.think ?? true) : false,
			thinkStyle: model.thinkStyle,
			capabilities: model.capabilities,
			tools: req.tools,
			numPredict: opts.numPredict,
			stop: opts.stop,
			tokens: model.replyTokens ?? state.config.replyTokens,
			thinkingTokens: state.config.thinkingTokens,
			multibyte: state.config.multibyte,
			text: forced ?? model.replyText ?? state.config.replyText,
			toolCall: fault?.type === 'toolCall' ? fault : undefined,
		});

		const promptText =
			(hasSystem ? '' : model.system) +
			history.map((m) => `${m.role}\n${m.content ?? ''}`).join('\n');
		const promptCount = evaluatedPromptTokens(tokenIds(promptText).length + 8, model, state, opts);
		const pieces: { thinking: string; content: string; toolCalls?: unknown[] }[] = [
			...reply.thinkingChunks.map((t) => ({ thinking: t, content: '' })),
			...reply.chunks.map((c) => ({ thinking: '', content: c })),
		];
		if (reply.toolCalls.length)
			pieces.push({ thinking: '', content: '', toolCalls: reply.toolCalls });
		const top = req.top_logprobs ?? 0;
		const withLogprobs = req.logprobs === true || top > 0;

		const timing = await pace(ex, state, pieces.length, async (i) => {
			if (!stream) return true;
			const p = pieces[i];
			return ex.line({
				model: name,
				created_at: nowText(),
				message: {
					role: 'assistant',
					content: p.content,
					thinking: p.thinking || undefined,
					tool_calls: p.toolCalls,
				},
				done: false,
				logprobs:
					withLogprobs && !p.toolCalls ? logprobsFor(p.content || p.thinking, top) : undefined,
			});
		});
		if (!timing || ex.closed) return;

		let content = stream ? '' : reply.response;
		if (fault?.type === 'hugeLine') content += ' '.repeat(fault.bytes ?? 1 << 20);
		const final = {
			model: name,
			created_at: nowText(),
			message: {
				role: 'assistant',
				content,
				thinking: stream ? undefined : reply.thinking || undefined,
				tool_calls:
					!stream && req.tools?.length && reply.toolCalls.length ? reply.toolCalls : undefined,
			},
			done: true,
			done_reason: fault?.type === 'noDoneReason' ? undefined : reply.doneReason,
			logprobs:
				withLogprobs && !stream
					? pieces.flatMap((p) => (p.toolCalls ? [] : logprobsFor(p.content || p.thinking, top)))
					: undefined,
			total_duration: since(ex.startedNs),
			load_duration: run.loadNs,
			prompt_eval_count: promptCount,
			prompt_eval_duration: timing.promptNs,
			eval_count: reply.evalCount || undefined,
			eval_duration: reply.evalCount ? timing.evalNs : undefined,
		};
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
