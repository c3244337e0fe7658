// Faults that answer before any byte of the reply: a status, busy, rate limit, runner crash,
// sign-in required, or a connection reset or stall before the headers.

import { RUNNER_CRASH } from './faults';
import { sleep } from './latency';
import { JSON_PLAIN, JSON_UTF8, type Exchange } from './wire';

/** Answers the exchange's pre-header fault, if it has one. Returns true when the reply is done. */
export async function answerPreHeaderFault(ex: Exchange, streaming: boolean): Promise<boolean> {
	const f = ex.fault;
	if (!f) return false;
	// Ollama writes errors of its streaming routes before switching to NDJSON, without a charset.
	const runnerType = streaming ? JSON_PLAIN : JSON_UTF8;
	switch (f.type) {
		case 'status':
			if (f.body !== undefined) {
				await ex.text(f.status, f.body, f.contentType ?? 'text/plain', f.headers);
			} else {
				await ex.json(
					f.status,
					{ error: f.error ?? 'error' },
					f.contentType ?? JSON_UTF8,
					f.headers,
				);
			}
			return true;
		case 'busy':
			await ex.json(503, {
				error: 'server busy, please try again.  maximum pending requests exceeded',
			});
			return true;
		case 'rateLimit':
			await ex.json(429, { error: 'rate limit exceeded' }, runnerType, {
				'Retry-After': String(f.retryAfter ?? 1),
			});
			return true;
		case 'runnerCrash':
			await ex.json(500, { error: RUNNER_CRASH + (f.detail ? `: ${f.detail}` : '') }, runnerType);
			return true;
		case 'unauthorized': {
			const key = Buffer.from('ssh-ed25519 emulator').toString('base64url');
			const signin = f.signinUrl ?? `https://ollama.com/connect?name=emulator&key=${key}`;
			await ex.json(401, { error: 'unauthorized', signin_url: signin });
			return true;
		}
		case 'reset':
			if (f.afterChunks !== undefined) return false;
			ex.stopped = true;
			ex.req.socket.destroy();
			return true;
		case 'stall':
			if (f.afterChunks !== undefined) return false;
			await sleep(f.ms, ex.signal);
			return ex.closed;
		default:
			return false;
	}
}
