import type { OllamaClient } from './client';
import { OllamaFailure, isModelNotFound } from './failures';

/** Pulls already started (or done) per client, so parallel batches of one execution pull once. */
const pulls = new WeakMap<OllamaClient, Map<string, Promise<unknown>>>();

/**
 * Runs `run`; when it fails because the server does not have `model`, pulls the model (once per
 * client and model, however many calls ask at the same time) and runs `run` once more.
 * Any other failure, a failed pull, or a second failure is passed on as it is.
 */
export async function withPullIfMissing<T>(
	client: OllamaClient,
	model: string,
	run: () => Promise<T>,
): Promise<T> {
	let failure: unknown;
	try {
		return await run();
	} catch (error) {
		failure = error;
	}
	// An OpenAI-compatible server cannot pull: its own error stands.
	if (!isModelNotFound(failure) || client.api === 'openai') throw failure;
	await pullOnce(client, model);
	return await run();
}

async function pullOnce(client: OllamaClient, model: string): Promise<void> {
	let byModel = pulls.get(client);
	if (!byModel) {
		byModel = new Map();
		pulls.set(client, byModel);
	}
	const key = model.trim().toLowerCase();
	let pull = byModel.get(key);
	if (!pull) {
		pull = client.pull({ model }).catch((error: unknown) => {
			if (error instanceof OllamaFailure) {
				error.during = `"${model}" was not on the server, and pulling it (Pull Model If Missing) failed.`;
			}
			return Promise.reject(error);
		});
		byModel.set(key, pull);
	}
	await pull;
}
