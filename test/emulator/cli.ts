// Command line: `node .build/test/emulator/cli.js --port 11434 [--parallel N ...]`.

import type { LatencyConfig } from './config';
import { startEmulator } from './server';

const usage = `Usage: cli.js [options]
  --port N            port to listen on (default 11434; 0 = any free port)
  --host H            address to listen on (default 127.0.0.1)
  --parallel N        requests served at once per model (OLLAMA_NUM_PARALLEL, default 1)
  --max-queue N       waiting requests before 503 (OLLAMA_MAX_QUEUE, default 512)
  --load-ms N         cold model load time (default 0)
  --first-token-ms N  time to the first token (default 0)
  --token-ms N        time per further token (default 0)
  --pull-interval-ms N  time between pull/push/create progress lines (default 0)
  --reply-tokens N    natural answer length in tokens (default 12)
  --keep-alive D      default keep_alive, e.g. 5m (default 5m)
  --multibyte         reply words with multi-byte UTF-8 characters
  --legacy-only       answer /api/embed with 404 like an old server
  --no-host-check     accept any Host header
  --log-limit N       request log entries kept, newest first (default 10000; 0 = all)
  --help              show this text`;

const numeric: Record<string, keyof LatencyConfig> = {
	'--parallel': 'parallel',
	'--max-queue': 'maxQueue',
	'--load-ms': 'loadMs',
	'--first-token-ms': 'firstTokenMs',
	'--token-ms': 'tokenMs',
	'--pull-interval-ms': 'pullIntervalMs',
};

function fail(message: string): never {
	process.stderr.write(`${message}\n\n${usage}\n`);
	process.exit(2);
}

async function main(argv: string[]): Promise<void> {
	let port = 11434;
	let host = '127.0.0.1';
	const latency: Partial<LatencyConfig> = {};
	// A long-running emulator (a user's CI, npm start) must not grow without bound.
	const rest: Parameters<typeof startEmulator>[0] = { logLimit: 10000 };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined) fail(`${flag} needs a value`);
			return v;
		};
		const num = () => {
			const n = Number(value());
			if (!Number.isFinite(n) || n < 0) fail(`${flag} needs a non-negative number`);
			return n;
		};
		if (flag === '--help' || flag === '-h') {
			process.stdout.write(usage + '\n');
			return;
		} else if (flag === '--port') port = num();
		else if (flag === '--host') host = value();
		else if (numeric[flag]) latency[numeric[flag]] = num();
		else if (flag === '--reply-tokens') rest.replyTokens = num();
		else if (flag === '--keep-alive') rest.defaultKeepAlive = value();
		else if (flag === '--multibyte') rest.multibyte = true;
		else if (flag === '--legacy-only') rest.legacyOnly = true;
		else if (flag === '--no-host-check') rest.checkHost = false;
		else if (flag === '--log-limit') rest.logLimit = num();
		else fail(`unknown option ${arg}`);
	}
	const emu = await startEmulator({ ...rest, port, host, latency });
	process.stdout.write(`Ollama emulator listening on ${emu.url}\n`);
	const stop = () => {
		emu.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((e) => {
	process.stderr.write(`${(e as Error).message}\n`);
	process.exit(1);
});
