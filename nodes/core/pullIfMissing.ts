import { NodeApiError } from 'n8n-workflow';

import type { OllamaClient } from './client';
import { OllamaFailure } from './failures';

/** Pulls already started (or done) per client, so parallel batches of one execution pull once. */
const pulls = new WeakMap<OllamaClient, Map<string, Promise<unknown>>>();

/**
 * Whether a failure is Ollama's "model not found": `model "x" not found, try pulling it first`
 * (embed), `model 'x' not found` (generate, chat, show). Works on the client's NodeApiErrors and
 * on raw OllamaFailures.
 */
export function isModelNotFoundError(error: unknown): boolean {
	let status: number | undefined;
	let text = '';
	if (error instanceof OllamaFailure) {
		status = error.status;
		text = error.ollamaMessage ?? '';
	} else if (error instanceof NodeApiError) {
		status = error.httpCode ? Number(error.httpCode) : undefined;
		text = error.message;
	}
	return status === 404 && /^model (['"]).+\1 not found/.test(text);
}

/**
 * Runs `run`; when it fails because the server does not have `model`, pulls the model (once per
 * client and model, however many calls ask at the same time) and runs `run` once more.
 * Any other failure, a failed pull, or a second failure is passed on as it is.
 */
export async function withPullIfMissing<T>(
	client: OllamaClient,
	model: string,
	itemIndex: number,
	run: () => Promise<T>,
): Promise<T> {
	let failure: unknown;
	try {
		return await run();
	} catch (error) {
		failure = error;
	}
	if (!isModelNotFoundError(failure)) throw failure;
	await pullOnce(client, model, itemIndex);
	return await run();
}

async function pullOnce(client: OllamaClient, model: string, itemIndex: number): Promise<void> {
	let byModel = pulls.get(client);
	if (!byModel) {
		byModel = new Map();
		pulls.set(client, byModel);
	}
	const key = model.trim().toLowerCase();
	let pull = byModel.get(key);
	if (!pull) {
		pull = client.pull({ model }, { itemIndex }).catch((error: unknown) => {
			if (error instanceof NodeApiError) {
				error.description =
					`"${model}" was not on the server, and pulling it (Pull Model If Missing) failed. ${error.description ?? ''}`.trim();
			}
			return Promise.reject(error);
		});
		byModel.set(key, pull);
	}
	await pull;
}
