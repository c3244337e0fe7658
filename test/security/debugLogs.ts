import { LoggerProxy } from 'n8n-workflow';
import { inspect } from 'util';

/**
 * Everything n8n logs while `run` runs, at every level and with each entry's metadata (where an
 * error object would carry a secret), plus whatever is written to stdout and stderr.
 * n8n-core logs through n8n-workflow's LoggerProxy; pointing it here sees every entry whatever
 * level or output the logger is configured for.
 */
export async function captureOutput<T>(
	run: () => Promise<T>,
): Promise<{ value: T; output: string }> {
	const pieces: string[] = [];
	const entry = (level: string) => (message: string, meta?: object) => {
		pieces.push(
			`${level} ${message} ${inspect(meta ?? {}, { depth: 10, maxStringLength: Infinity })}`,
		);
	};
	LoggerProxy.init({
		error: entry('error'),
		warn: entry('warn'),
		info: entry('info'),
		debug: entry('debug'),
	} as Parameters<typeof LoggerProxy.init>[0]);
	const write = (chunk: unknown) => {
		pieces.push(String(chunk));
		return true;
	};
	const spies = [
		jest.spyOn(process.stdout, 'write').mockImplementation(write),
		jest.spyOn(process.stderr, 'write').mockImplementation(write),
	];
	try {
		const value = await run();
		return { value, output: pieces.join('\n') };
	} finally {
		for (const spy of spies) spy.mockRestore();
	}
}
