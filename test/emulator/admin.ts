// The admin API under /_emulator/: faults, the request log, config, models and reset, for tests
// and workflows that drive the emulator over HTTP.

import type { IncomingMessage, ServerResponse } from 'http';
import type { ConfigPatch } from './config';
import type { FaultSpec } from './faults';
import type { ModelSeed } from './models';
import type { Emulator } from './server';
import { readBody } from './wire';

export async function answerAdmin(
	emulator: Emulator,
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
): Promise<void> {
	const body = await readBody(req);
	const reply = (status: number, value: unknown) => {
		const text = JSON.stringify(value);
		res.writeHead(status, {
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(text),
		});
		res.end(text);
	};
	let input: unknown;
	try {
		input = body.length ? JSON.parse(body.toString('utf8')) : undefined;
	} catch (e) {
		return reply(400, { error: `invalid JSON: ${(e as Error).message}` });
	}
	const key = `${req.method} ${path.replace(/\/$/, '')}`;
	try {
		switch (key) {
			case 'POST /_emulator/faults':
				emulator.addFault(input as FaultSpec | FaultSpec[]);
				return reply(200, { faults: emulator.pendingFaults });
			case 'GET /_emulator/faults':
				return reply(200, { faults: emulator.pendingFaults });
			case 'DELETE /_emulator/faults':
				emulator.clearFaults();
				return reply(200, { faults: [] });
			case 'GET /_emulator/requests':
				return reply(200, { requests: emulator.requests });
			case 'DELETE /_emulator/requests':
				emulator.clearRequests();
				return reply(200, { requests: [] });
			case 'GET /_emulator/config':
				return reply(200, emulator.config);
			case 'POST /_emulator/config':
				emulator.configure((input ?? {}) as ConfigPatch);
				return reply(200, emulator.config);
			case 'POST /_emulator/models': {
				const { remote, ...seed } = (input ?? {}) as ModelSeed & { remote?: boolean };
				emulator.addModel(seed, { remote });
				return reply(200, { ok: true });
			}
			case 'POST /_emulator/reset':
				emulator.reset();
				return reply(200, { ok: true });
			default:
				return reply(404, { error: `unknown admin route: ${key}` });
		}
	} catch (e) {
		return reply(400, { error: (e as Error).message });
	}
}
