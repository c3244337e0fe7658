// POST /api/create

import { bind, CreateRequest } from '../bind';
import { nowNs } from '../clock';
import { displayName, nameKey, parseName } from '../names';
import { manifestDigest, metadataLayers, modelFromSeed, sha256, type Model } from '../registry';
import type { State } from '../state';
import type { Exchange } from '../wire';
import { ProgressReply } from './progress';
import { pullModel } from './transfer';

interface CreateBody {
	model?: string;
	name?: string;
	from?: string;
	files?: Record<string, string>;
	adapters?: Record<string, string>;
	template?: string;
	license?: unknown;
	system?: string;
	parameters?: Record<string, unknown>;
	messages?: { role?: string; content?: string }[];
	quantize?: string;
	quantization?: string;
	stream?: boolean;
}

const digestRe = /^sha256[:-][0-9a-fA-F]{64}$/;

export async function create(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bind<CreateBody>(body, CreateRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const req = bound.value;
	const name = parseName(req.model || req.name || '');
	if (!name) return ex.json(400, { error: 'invalid model name' });
	if (!req.from && !req.files) {
		return ex.json(400, { error: "neither 'from' or 'files' was specified" });
	}
	for (const [file, digest] of Object.entries({ ...req.files, ...req.adapters })) {
		if (file.startsWith('/') || file.includes('..'))
			return ex.json(400, { error: 'file path must be relative' });
		if (!digestRe.test(digest)) return ex.json(400, { error: 'invalid digest format' });
	}

	const reply = new ProgressReply(ex, state, req.stream !== false);
	let base: Model | undefined;
	if (req.from) {
		base = state.registry.find(req.from);
		if (!base) {
			if (!parseName(req.from)) return reply.fail(`invalid model name`, 400);
			base = await pullModel(reply, state, req.from, false);
			if (!base) return;
		}
	} else {
		for (const digest of Object.values(req.files ?? {})) {
			const key = 'sha256:' + digest.slice(7).toLowerCase();
			if (!state.registry.blobs.has(key)) {
				return reply.fail(
					`open /root/.ollama/models/blobs/sha256-${key.slice(7)}: no such file or directory`,
					400,
				);
			}
		}
		if (!(await reply.send({ status: 'parsing GGUF' }))) return;
		base = modelFromSeed({ name: displayName(name) });
		base.layers = [
			{
				mediaType: 'application/vnd.ollama.image.model',
				digest:
					'sha256:' +
					Object.values(req.files ?? {})[0]
						.slice(7)
						.toLowerCase(),
				size:
					state.registry.blobs.get(
						'sha256:' +
							Object.values(req.files ?? {})[0]
								.slice(7)
								.toLowerCase(),
					) ?? 0,
			},
		];
		base.template = '';
		base.parameters = {};
		base.license = [];
	}

	const model: Model = {
		...base,
		name,
		display: displayName(name),
		key: nameKey(name),
		modifiedNs: nowNs(),
		parentModel: req.from ? base.display : '',
		template: req.template ?? base.template,
		system: req.system ?? base.system,
		parameters: { ...base.parameters, ...(req.parameters ?? {}) },
		license:
			req.license === undefined
				? base.license
				: Array.isArray(req.license)
					? req.license.map(String)
					: [String(req.license)],
		messages: req.messages
			? req.messages.map((m) => ({ role: m.role ?? 'user', content: m.content ?? '' }))
			: base.messages,
	};

	let weights = base.layers[0];
	const quantize = (req.quantize || req.quantization || '').toUpperCase();
	if (quantize) {
		const total = weights.size;
		const digest = '0000000000000000000';
		const steps = Math.max(1, state.config.latency.pullSteps);
		for (let k = 0; k <= steps; k++) {
			const completed = Math.floor((total * k) / steps);
			if (
				!(await reply.send({
					status: `quantizing F16 model to ${quantize}`,
					digest,
					total,
					completed,
				}))
			)
				return;
		}
		weights = {
			...weights,
			digest: 'sha256:' + sha256(`${weights.digest}\0${quantize}`),
			size: Math.floor(weights.size * 0.3),
		};
		model.quantizationLevel = quantize;
	}
	model.layers = [weights, ...metadataLayers(model)];
	for (const layer of model.layers) {
		const known = state.registry.blobs.has(layer.digest);
		const status = `${known ? 'using existing' : 'creating new'} layer ${layer.digest}`;
		if (!(await reply.send({ status }))) return;
		state.registry.blobs.set(layer.digest, layer.size);
	}
	model.size = model.layers.reduce((sum, l) => sum + l.size, 0);
	model.digest = manifestDigest(model);
	if (!(await reply.send({ status: 'writing manifest' }))) return;
	state.registry.add(model);
	if (!(await reply.send({ status: 'success' }))) return;
	await reply.finish();
}
