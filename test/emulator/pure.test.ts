import { base64Error } from './base64';
import { rfc3339Nano } from './clock';
import { float32Text, goDecode, goMarshal, Float32s } from './json';
import { parseGoDuration, parseKeepAlive } from './keepAlive';
import { displayName, parseName } from './names';
import { replyFor, tokenise } from './text';

describe('Go JSON encoding', () => {
	test('escapes HTML characters, line separators and lone surrogates; keeps key order', () => {
		expect(goMarshal({ b: '<a&b>', a: '\u2028\u2029', c: '\ud800' })).toBe(
			'{"b":"\\u003ca\\u0026b\\u003e","a":"\\u2028\\u2029","c":"\\ufffd"}',
		);
		expect(goMarshal({ x: undefined, y: 1.5, z: [true, null], s: '\u0001\b\f\n' })).toBe(
			'{"y":1.5,"z":[true,null],"s":"\\u0001\\b\\f\\n"}',
		);
	});

	test('float32 values use the shortest float32 form', () => {
		expect(float32Text(0.1)).toBe('0.1');
		expect(float32Text(Math.fround(0.123456789))).toBe('0.12345679');
		expect(goMarshal(new Float32s([1, -0.5, 1e-7]))).toBe('[1,-0.5,1e-7]');
	});
});

describe('Go JSON decoding errors', () => {
	const err = (s: string) => {
		const r = goDecode(Buffer.from(s));
		return 'error' in r ? r.error : 'eof' in r ? 'EOF' : 'ok';
	};
	test.each([
		['', 'EOF'],
		[' \n\t', 'EOF'],
		['{"a":1} trailing', 'ok'],
		['{', 'unexpected EOF'],
		['{"a":"x', 'unexpected EOF'],
		['nul', 'unexpected EOF'],
		['nulx', "invalid character 'x' in literal null (expecting 'l')"],
		['{"a":-}', "invalid character '}' in numeric literal"],
		['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
		['{"a":"\\q"}', "invalid character 'q' in string escape code"],
		['{"a":"\n"}', "invalid character '\\n' in string literal"],
		["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
		['[1,]', "invalid character ']' looking for beginning of value"],
		['[1 2]', "invalid character '2' after array element"],
	])('%j → %s', (input, expected) => {
		expect(err(input)).toBe(expected);
	});
});

describe('durations and keep_alive', () => {
	test('Go time.ParseDuration', () => {
		expect(parseGoDuration('5m')).toBe(300e9);
		expect(parseGoDuration('1h30m')).toBe(5400e9);
		expect(parseGoDuration('1.5s')).toBe(1.5e9);
		expect(parseGoDuration('300ms')).toBe(300e6);
		expect(parseGoDuration('0')).toBe(0);
		expect(parseGoDuration('-1m')).toBe(-60e9);
		expect(() => parseGoDuration('300')).toThrow('time: missing unit in duration "300"');
		expect(() => parseGoDuration('5x')).toThrow('time: unknown unit "x" in duration "5x"');
		expect(() => parseGoDuration('')).toThrow('time: invalid duration ""');
	});

	test('keep_alive values', () => {
		expect(parseKeepAlive(1.5)).toBe(1_500_000_000n);
		expect(parseKeepAlive(-1)).toBe(9223372036854775807n);
		expect(parseKeepAlive('-5m')).toBe(9223372036854775807n);
		expect(() => parseKeepAlive([1])).toThrow("Unsupported type: '[]interface {}'");
	});
});

describe('base64 error positions (Go StdEncoding)', () => {
	test.each([
		['aGVsbG8=', undefined],
		['aGVsbG8', 'illegal base64 data at input byte 4'],
		['data:image/png;base64,AAAA', 'illegal base64 data at input byte 4'],
		['aGk=\n', undefined],
		['aG=k', 'illegal base64 data at input byte 2'],
		['a===', 'illegal base64 data at input byte 1'],
		['aGk=x', 'illegal base64 data at input byte 4'],
	])('%j', (input, expected) => {
		expect(base64Error(input)).toBe(expected);
	});
});

describe('names and time', () => {
	test('normalised names', () => {
		expect(displayName(parseName('llama3.2')!)).toBe('llama3.2:latest');
		expect(displayName(parseName('user/m:v1')!)).toBe('user/m:v1');
		expect(parseName('bad name!')).toBeUndefined();
		expect(parseName('')).toBeUndefined();
	});

	test('RFC3339Nano trims trailing zeros', () => {
		expect(rfc3339Nano(1717637247256766425n)).toBe('2024-06-06T01:27:27.256766425Z');
		expect(rfc3339Nano(1717637247250000000n)).toBe('2024-06-06T01:27:27.25Z');
		expect(rfc3339Nano(1717637247000000000n)).toBe('2024-06-06T01:27:27Z');
	});
});

describe('replyFor', () => {
	test('is deterministic and depends on model, prompt, system and seed', () => {
		const a = replyFor({ model: 'llama3.2', prompt: 'hi' });
		expect(replyFor({ model: 'LLAMA3.2:latest', prompt: 'hi' })).toEqual(a);
		expect(replyFor({ model: 'llama3.2', prompt: 'ho' }).response).not.toBe(a.response);
		expect(replyFor({ model: 'llama3.2', prompt: 'hi', system: 's' }).response).not.toBe(
			a.response,
		);
		expect(replyFor({ model: 'llama3.2', prompt: 'hi', seed: 7 }).response).not.toBe(a.response);
		expect(a.chunks).toHaveLength(12);
		expect(a.chunks.join('')).toBe(a.response);
	});

	test('num_predict counts thinking tokens too', () => {
		const r = replyFor({ model: 'qwen3', prompt: 'x', numPredict: 3 });
		expect(r.thinkingChunks).toHaveLength(3);
		expect(r.response).toBe('');
		expect(r.doneReason).toBe('length');
	});

	test('tokenise keeps tags whole', () => {
		expect(tokenise('<think>a b</think>c')).toEqual(['<think>', 'a', ' b', '</think>', 'c']);
	});
});
