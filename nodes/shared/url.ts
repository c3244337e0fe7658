const DEFAULT_PORT = '11434';

/**
 * Turns what a user types as the Ollama address into the base URL requests are built on.
 * Follows ollama-js's `formatHost` for addresses without a scheme (`1.2.3.4` → `http://1.2.3.4:11434`,
 * `:8080` → `http://127.0.0.1:8080`) and also tolerates the `/api` suffix people copy from docs.
 * A scheme given without a port keeps the scheme's default port.
 */
export function normalizeBaseUrl(input: string): string {
	let url = (input ?? '').trim();
	if (url === '') throw new Error('The Base URL is empty. Enter the address of the Ollama server.');
	if (url.startsWith(':')) url = `127.0.0.1${url}`;
	const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
	if (!hasScheme) url = `http://${url}`;

	const parsed = tryParseUrl(url);
	if (!parsed) {
		throw new Error(
			`The Base URL "${input}" is not a valid address. Use a form like http://localhost:11434.`,
		);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new Error(`The Base URL "${input}" must start with http:// or https://.`);
	}
	if (parsed.hostname === '') {
		throw new Error(`The Base URL "${input}" has no host. Use a form like http://localhost:11434.`);
	}
	if (!hasScheme && parsed.port === '') parsed.port = DEFAULT_PORT;

	const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api$/i, '');
	const auth = parsed.username
		? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@`
		: '';
	return `${parsed.protocol}//${auth}${parsed.host}${path}`;
}

/** The base URL as shown in messages: without any user:password part. */
export function displayUrl(baseUrl: string): string {
	return baseUrl.replace(/\/\/[^/@]*@/, '//');
}

function tryParseUrl(url: string): URL | undefined {
	try {
		return new URL(url);
	} catch {
		return undefined;
	}
}
