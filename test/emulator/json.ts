// Go's encoding/json, as Ollama writes and reads it.

/** A []float32 value: marshalled with float32 shortest formatting, as Go does. */
export class Float32s {
	constructor(readonly values: number[]) {}
}

/** JSON text written as is (huge generated values, where building numbers one by one is slow). */
export class RawJson {
	constructor(readonly text: string) {}
}

const hex = '0123456789abcdef';

const GO_ONLY_ESCAPES = /[<>&\u2028\u2029]/g;

/** A Go-escaped JSON string literal: HTML characters, U+2028/9 and lone surrogates included. */
export function goString(s: string): string {
	// JSON.stringify escapes what Go escapes except these; native, so 50 MB lines stay fast.
	if ((s as unknown as { isWellFormed(): boolean }).isWellFormed()) {
		return JSON.stringify(s).replace(
			GO_ONLY_ESCAPES,
			(c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
		);
	}
	let out = '"';
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c === 0x22) out += '\\"';
		else if (c === 0x5c) out += '\\\\';
		else if (c === 0x0a) out += '\\n';
		else if (c === 0x0d) out += '\\r';
		else if (c === 0x09) out += '\\t';
		else if (c === 0x08) out += '\\b';
		else if (c === 0x0c) out += '\\f';
		else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
			out += '\\u' + hex[(c >> 12) & 15] + hex[(c >> 8) & 15] + hex[(c >> 4) & 15] + hex[c & 15];
		} else if (c >= 0xd800 && c <= 0xdbff) {
			const next = s.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				out += s[i] + s[i + 1];
				i++;
			} else out += '\\ufffd';
		} else if (c >= 0xdc00 && c <= 0xdfff) out += '\\ufffd';
		else out += s[i];
	}
	return out + '"';
}

/** strconv.FormatFloat(f, 'g'-ish, -1, 32) as encoding/json uses it for float32. */
export function float32Text(n: number): string {
	const f = Math.fround(n);
	if (f === 0) return '0';
	for (let p = 1; p <= 9; p++) {
		const s = f.toPrecision(p);
		if (Math.fround(Number(s)) === f) return String(Number(s));
	}
	return String(f);
}

function numberText(n: number): string {
	if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
	return Object.is(n, -0) ? '-0' : String(n);
}

function isPlainNumber(n: unknown): boolean {
	return typeof n === 'number' && Number.isFinite(n) && !Object.is(n, -0);
}

/** json.Marshal: compact, keys in insertion order (build objects in Go field order), undefined omitted. */
export function goMarshal(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') return goString(value);
	if (typeof value === 'number') return numberText(value);
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (value instanceof RawJson) return value.text;
	if (value instanceof Float32s) return '[' + value.values.map(float32Text).join(',') + ']';
	if (Array.isArray(value)) {
		if (value.every(isPlainNumber)) return '[' + value.join(',') + ']';
		return '[' + value.map(goMarshal).join(',') + ']';
	}
	const parts: string[] = [];
	for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
		if (v === undefined) continue;
		parts.push(goString(k) + ':' + goMarshal(v));
	}
	return '{' + parts.join(',') + '}';
}

/** Drops keys whose value is Go's zero value, for `omitempty` fields. */
export function omitEmpty<T extends Record<string, unknown>>(obj: T, keys: (keyof T)[]): T {
	for (const k of keys) {
		const v = obj[k];
		if (
			v === undefined ||
			v === null ||
			v === '' ||
			v === 0 ||
			v === false ||
			(Array.isArray(v) && v.length === 0)
		) {
			delete obj[k];
		}
	}
	return obj;
}

/** Go's %q for simple strings. */
export function goQuote(s: string): string {
	return JSON.stringify(s);
}

// --- Decoding: the error texts of Go's json.Decoder for malformed input ---

function quoteChar(b: number): string {
	if (b === 0x27) return "'\\''";
	if (b === 0x22) return `'"'`;
	const named: Record<number, string> = {
		7: '\\a',
		8: '\\b',
		9: '\\t',
		10: '\\n',
		11: '\\v',
		12: '\\f',
		13: '\\r',
		0x5c: '\\\\',
	};
	if (named[b]) return `'${named[b]}'`;
	if (b < 0x20 || b === 0x7f) return `'\\x${hex[b >> 4]}${hex[b & 15]}'`;
	if (b >= 0x80 && b < 0xa0) return `'\\u00${hex[b >> 4]}${hex[b & 15]}'`;
	if (b === 0xad) return "'\\u00ad'";
	return `'${String.fromCharCode(b)}'`;
}

class SyntaxError_ extends Error {}

/**
 * Parses the first JSON value of `bytes` as Go's json.Decoder would, trailing data ignored.
 * Returns `{ eof: true }` for empty or whitespace-only input (Go's io.EOF).
 */
export function goDecode(bytes: Buffer): { value: unknown } | { error: string } | { eof: true } {
	let i = 0;
	const n = bytes.length;
	const fail = (ctx: string): never => {
		if (i >= n) throw new SyntaxError_('unexpected EOF');
		throw new SyntaxError_(`invalid character ${quoteChar(bytes[i])} ${ctx}`);
	};
	const ws = () => {
		while (
			i < n &&
			(bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
		)
			i++;
	};
	const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
	const literal = (word: string) => {
		for (let k = 0; k < word.length; k++) {
			if (i >= n) fail('');
			if (bytes[i] !== word.charCodeAt(k)) {
				if (k === 0) fail('looking for beginning of value');
				fail(`in literal ${word} (expecting '${word[k]}')`);
			}
			i++;
		}
	};
	const str = () => {
		i++;
		for (;;) {
			if (i >= n) fail('');
			const b = bytes[i];
			if (b === 0x22) {
				i++;
				return;
			}
			if (b < 0x20) fail('in string literal');
			if (b === 0x5c) {
				i++;
				if (i >= n) fail('');
				const e = bytes[i];
				if (e === 0x75) {
					i++;
					for (let k = 0; k < 4; k++) {
						if (i >= n) fail('');
						const h = bytes[i];
						const ok = isDigit(h) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46);
						if (!ok) fail('in \\u hexadecimal character escape');
						i++;
					}
					continue;
				}
				if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) fail('in string escape code');
			}
			i++;
		}
	};
	const num = () => {
		if (bytes[i] === 0x2d) {
			i++;
			if (i >= n || !isDigit(bytes[i])) fail('in numeric literal');
		}
		if (bytes[i] === 0x30) i++;
		else while (i < n && isDigit(bytes[i])) i++;
		if (i < n && bytes[i] === 0x2e) {
			i++;
			if (i >= n || !isDigit(bytes[i])) fail('after decimal point in numeric literal');
			while (i < n && isDigit(bytes[i])) i++;
		}
		if (i < n && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
			i++;
			if (i < n && (bytes[i] === 0x2b || bytes[i] === 0x2d)) i++;
			if (i >= n || !isDigit(bytes[i])) fail('in exponent of numeric literal');
			while (i < n && isDigit(bytes[i])) i++;
		}
	};
	const value = (): void => {
		ws();
		if (i >= n) fail('');
		const b = bytes[i];
		if (b === 0x7b) {
			i++;
			ws();
			if (bytes[i] === 0x7d) {
				i++;
				return;
			}
			for (;;) {
				ws();
				if (bytes[i] !== 0x22) fail('looking for beginning of object key string');
				str();
				ws();
				if (bytes[i] !== 0x3a) fail('after object key');
				i++;
				value();
				ws();
				if (bytes[i] === 0x2c) {
					i++;
					continue;
				}
				if (bytes[i] === 0x7d) {
					i++;
					return;
				}
				fail('after object key:value pair');
			}
		}
		if (b === 0x5b) {
			i++;
			ws();
			if (bytes[i] === 0x5d) {
				i++;
				return;
			}
			for (;;) {
				value();
				ws();
				if (bytes[i] === 0x2c) {
					i++;
					continue;
				}
				if (bytes[i] === 0x5d) {
					i++;
					return;
				}
				fail('after array element');
			}
		}
		if (b === 0x22) return str();
		if (b === 0x2d || isDigit(b)) return num();
		if (b === 0x74) return literal('true');
		if (b === 0x66) return literal('false');
		if (b === 0x6e) return literal('null');
		fail('looking for beginning of value');
	};
	ws();
	if (i >= n) return { eof: true };
	const start = i;
	try {
		value();
	} catch (e) {
		if (e instanceof SyntaxError_) return { error: e.message };
		throw e;
	}
	return { value: JSON.parse(bytes.subarray(start, i).toString('utf8')) };
}

/** The JSON kind Go names in UnmarshalTypeError. */
export function jsonKind(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (typeof v === 'object') return 'object';
	if (typeof v === 'boolean') return 'bool';
	return typeof v;
}
