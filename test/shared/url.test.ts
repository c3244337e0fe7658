import { displayUrl, normalizeBaseUrl } from '../../nodes/core/url';

describe('normalizeBaseUrl', () => {
	it.each([
		['http://localhost:11434', 'http://localhost:11434'],
		['http://localhost:11434/', 'http://localhost:11434'],
		['http://localhost:11434///', 'http://localhost:11434'],
		['http://localhost:11434/api', 'http://localhost:11434'],
		['http://localhost:11434/api/', 'http://localhost:11434'],
		['https://ollama.com/api', 'https://ollama.com'],
		['https://proxy.example.com/ollama/api/', 'https://proxy.example.com/ollama'],
		['  http://127.0.0.1:11434  ', 'http://127.0.0.1:11434'],
	])('tolerates slashes and a trailing /api: %s', (input, expected) => {
		expect(normalizeBaseUrl(input)).toBe(expected);
	});

	it.each([
		['1.2.3.4', 'http://1.2.3.4:11434'],
		['localhost', 'http://localhost:11434'],
		['example.com:56789/', 'http://example.com:56789'],
		[':56789', 'http://127.0.0.1:56789'],
		['host.docker.internal', 'http://host.docker.internal:11434'],
	])(
		'adds http:// and port 11434 to an address without a scheme, as ollama-js does: %s',
		(input, expected) => {
			expect(normalizeBaseUrl(input)).toBe(expected);
		},
	);

	it('keeps the scheme default port when a scheme is given without one', () => {
		expect(normalizeBaseUrl('http://example.com')).toBe('http://example.com');
		expect(normalizeBaseUrl('https://example.com/')).toBe('https://example.com');
	});

	it('keeps user info for basic auth in the URL', () => {
		expect(normalizeBaseUrl('https://user:pw@example.com/api')).toBe('https://user:pw@example.com');
	});

	it.each([
		['', /empty/],
		['   ', /empty/],
		['ftp://example.com', /must start with http/],
		['http://', /not a valid address|no host/],
	])('rejects %j with a clear message', (input, message) => {
		expect(() => normalizeBaseUrl(input)).toThrow(message);
	});
});

describe('displayUrl', () => {
	it('hides user and password', () => {
		expect(displayUrl('https://user:secret@example.com/x')).toBe('https://example.com/x');
		expect(displayUrl('http://localhost:11434')).toBe('http://localhost:11434');
	});
});
