const DEFAULT_PORT = '11434';

/**
 * Turns what a user types as the Ollama address into the base URL requests are built on.
 * Follows ollama-js's `formatHost` for addresses without a scheme (`1.2.3.4` → `http://1.2.3.4:11434`,
 * `:8080` → `http://127.0.0.1:8080`) and also tolerates the `/api` suffix people copy from docs
 * (for an OpenAI-compatible server, the `/v1` suffix).
 * A scheme given without a port keeps the scheme's default port.
 */
export function normalizeBaseUrl(input: string, api: 'ollama' | 'openai' = 'ollama'): string {
	let url = (input ?? '').trim();
	if (url === '') throw new Error('The Base URL is empty. Enter the address of the Ollama server.');
	if (url.startsWith(':')) url = `127.0.0.1${url}`;
	const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
	if (!hasScheme) url = `http://${url}`;

	// Messages quote the input without its user:password part: they reach outputs and logs.
	const shown = displayUrl(input.trim());
	const parsed = tryParseUrl(url);
	if (!parsed) {
		throw new Error(
			`The Base URL "${shown}" is not a valid address. Use a form like http://localhost:11434.`,
		);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new Error(`The Base URL "${shown}" must start with http:// or https://.`);
	}
	if (parsed.hostname === '') {
		throw new Error(`The Base URL "${shown}" has no host. Use a form like http://localhost:11434.`);
	}
	if (!hasScheme && parsed.port === '') parsed.port = DEFAULT_PORT;

	// Requests add /api/… (native) or /v1/… (OpenAI-compatible) themselves.
	const path = parsed.pathname
		.replace(/\/+$/, '')
		.replace(api === 'openai' ? /\/v1$/i : /\/api$/i, '');
	const auth = parsed.username
		? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@`
		: '';
	return `${parsed.protocol}//${auth}${parsed.host}${path}`;
}

/**
 * An address as shown in messages: without any user:password part, whether or not it has a
 * scheme or parses at all. Everything up to the last `@` after the scheme goes, so a password
 * holding `@`, `/` or spaces leaves nothing behind.
 */
export function displayUrl(address: string): string {
	const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(address)?.[0] ?? '';
	const at = address.lastIndexOf('@');
	return at < scheme.length ? address : scheme + address.slice(at + 1);
}

function tryParseUrl(url: string): URL | undefined {
	try {
		return new URL(url);
	} catch {
		return undefined;
	}
}
