// GET /, /api/version, /api/tags, /api/ps; POST /api/show, /api/copy; DELETE /api/delete

import { bind, CopyRequest, DeleteRequest, ShowRequest } from '../bind';
import { nowNs } from '../clock';
import { displayName, nameKey, parseName } from '../names';
import type { State } from '../state';
import { listItem, runningItem, showResponse } from '../views';
import type { Exchange } from '../wire';

export async function root(ex: Exchange): Promise<void> {
	await ex.text(200, 'Ollama is running', 'text/plain; charset=utf-8');
}

export async function version(ex: Exchange, _body: Buffer, state: State): Promise<void> {
	await ex.json(200, { version: state.config.version });
}

export async function tags(ex: Exchange, _body: Buffer, state: State): Promise<void> {
	await ex.json(200, { models: state.registry.list().map(listItem) });
}

export async function ps(ex: Exchange, _body: Buffer, state: State): Promise<void> {
	await ex.json(200, {
		models: state.registry.running().map(({ model, state: s }) => runningItem(model, s)),
	});
}

interface ShowBody {
	model?: string;
	name?: string;
	system?: string;
	verbose?: boolean;
}

export async function show(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bind<ShowBody>(body, ShowRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const raw = bound.value.model || bound.value.name || '';
	if (raw === '') return ex.json(400, { error: 'model is required' });
	const name = parseName(raw);
	if (!name) return ex.json(400, { error: 'invalid model name' });
	const model = state.registry.find(raw);
	if (!model) return ex.json(404, { error: `model '${displayName(name)}' not found` });
	await ex.json(200, showResponse(model, bound.value.verbose === true, bound.value.system));
}

export async function copy(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bind<{ source?: string; destination?: string }>(body, CopyRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const { source = '', destination = '' } = bound.value;
	const src = parseName(source);
	if (!src) return ex.json(400, { error: `source ${JSON.stringify(source)} is invalid` });
	const dst = parseName(destination);
	if (!dst) return ex.json(400, { error: `destination ${JSON.stringify(destination)} is invalid` });
	const model = state.registry.find(source);
	if (!model) return ex.json(404, { error: `model ${JSON.stringify(source)} not found` });
	state.registry.add({
		...model,
		name: dst,
		display: displayName(dst),
		key: nameKey(dst),
		modifiedNs: nowNs(),
	});
	ex.empty(200);
}

export async function remove(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const bound = bind<{ model?: string; name?: string }>(body, DeleteRequest);
	if (!bound.ok) return ex.json(400, { error: bound.error });
	const raw = bound.value.model || bound.value.name || '';
	if (raw === '') return ex.json(400, { error: 'model is required' });
	if (!parseName(raw)) return ex.json(400, { error: `name ${JSON.stringify(raw)} is invalid` });
	const model = state.registry.find(raw);
	if (!model) return ex.json(404, { error: `model '${raw}' not found` });
	state.registry.delete(model);
	ex.empty(200);
}
