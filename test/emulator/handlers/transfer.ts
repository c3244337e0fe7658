// POST /api/pull and /api/push

import { bind, PullRequest, PushRequest } from '../bind';
import { nowNs } from '../clock';
import { displayName, nameKey, parseName } from '../names';
import type { Model } from '../registry';
import type { State } from '../state';
import type { Exchange } from '../wire';
import { ProgressReply, transferLayer } from './progress';

interface TransferBody {
	model?: string;
	name?: string;
	stream?: boolean;
	insecure?: boolean;
}

export const MANIFEST_MISSING = 'pull model manifest: file does not exist';

/** Downloads `raw` from the catalogue into the registry, reporting progress. */
export async function pullModel(
	reply: ProgressReply,
	state: State,
	raw: string,
	finalLines: boolean,
): Promise<Model | undefined> {
	if (!(await reply.send({ status: 'pulling manifest' }))) return undefined;
	const remote = state.registry.findRemote(raw);
	if (!remote) {
		await reply.fail(MANIFEST_MISSING);
		return undefined;
	}
	for (const layer of remote.layers) {
		const cached = state.registry.blobs.has(layer.digest);
		if (!(await transferLayer(reply, state, 'pulling', layer.digest, layer.size, cached)))
			return undefined;
		state.registry.blobs.set(layer.digest, layer.size);
	}
	if (!(await reply.send({ status: 'verifying sha256 digest' }))) return undefined;
	if (!(await reply.send({ status: 'writing manifest' }))) return undefined;
	const name = parseName(raw)!;
	const model: Model = {
		...remote,
		name,
		display: displayName(name),
		key: nameKey(name),
		modifiedNs: nowNs(),
	};
	state.registry.add(model);
	if (finalLines && !(await reply.send({ status: 'success' }))) return undefined;
	return model;
}

export async function pull(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bind<TransferBody>(body, PullRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const raw = bound.value.model || bound.value.name || '';
	if (!parseName(raw)) return ex.json(400, { error: 'invalid model name' });
	const reply = new ProgressReply(ex, state, bound.value.stream !== false);
	if (await pullModel(reply, state, raw, true)) await reply.finish();
}

export async function push(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bind<TransferBody>(body, PushRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const raw = bound.value.model || bound.value.name || '';
	if (raw === '') return ex.json(400, { error: 'model is required' });
	const name = parseName(raw);
	if (!name) return ex.json(400, { error: 'invalid model name' });
	const reply = new ProgressReply(ex, state, bound.value.stream !== false);
	if (!(await reply.send({ status: 'retrieving manifest' }))) return;
	const model = state.registry.find(raw);
	if (!model) {
		if (!(await reply.send({ status: "couldn't retrieve manifest" }))) return;
		const path = `${name.host}/${name.namespace}/${name.model}/${name.tag}`;
		return reply.fail(`open /root/.ollama/models/manifests/${path}: no such file or directory`);
	}
	for (const layer of model.layers) {
		if (!(await transferLayer(reply, state, 'pushing', layer.digest, layer.size, false))) return;
	}
	if (!(await reply.send({ status: 'pushing manifest' }))) return;
	if (!(await reply.send({ status: 'success' }))) return;
	await reply.finish();
}
