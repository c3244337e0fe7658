import { parseKeepAlive } from '../../nodes/core/keepAlive';

describe('parseKeepAlive: what is sent as keep_alive', () => {
	it.each([undefined, null, '', '   '])('sends nothing for an empty value (%p)', (value) => {
		expect(parseKeepAlive(value)).toBeUndefined();
	});

	it.each([
		[300, 300],
		[0, 0],
		[-1, -1],
		[1.5, 1.5],
	])('sends a number of seconds as it is: %p', (value, sent) => {
		expect(parseKeepAlive(value)).toBe(sent);
	});

	it.each([
		['300', 300],
		['-1', -1],
		['+2', 2],
		['0', 0],
		['1.5', 1.5],
		['1.', 1],
		['.5', 0.5],
		['.25', 0.25],
		[' 60 ', 60],
	])('sends a unitless text as a number (Ollama refuses "300"): %p', (value, sent) => {
		expect(parseKeepAlive(value)).toBe(sent);
	});

	it.each([
		['5m', '5m'],
		['1h30m', '1h30m'],
		['300ms', '300ms'],
		['1.5h', '1.5h'],
		['.5s', '.5s'],
		['10us', '10us'],
		['10µs', '10µs'],
		['10μs', '10μs'],
		['100ns', '100ns'],
		['-1m', '-1m'],
		['+5m', '+5m'],
		['  24h  ', '24h'],
	])('sends a Go duration as text: %p', (value, sent) => {
		expect(parseKeepAlive(value)).toBe(sent);
	});

	it.each(['abc', '5 m', 'm', '5d', '5mm', '-', '+', '5m30', 'h5', '1..5s', '5M'])(
		'refuses what is not a duration, saying what works: %p',
		(value) => {
			expect(() => parseKeepAlive(value)).toThrow(
				`Keep Alive "${value.trim()}" is not a duration. Use e.g. 5m, 1h30m or 300ms, a number of seconds, -1 to keep the model loaded, or 0 to unload it at once.`,
			);
		},
	);

	it.each([Infinity, -Infinity, NaN])('refuses a number that is not finite: %p', (value) => {
		expect(() => parseKeepAlive(value)).toThrow(
			`Keep Alive must be a finite number, not ${value}.`,
		);
	});
});
