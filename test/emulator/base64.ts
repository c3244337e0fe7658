// Go's base64.StdEncoding.Decode error positions, for `images` ([]byte fields in Ollama's API).

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const decodeMap = new Int16Array(256).fill(-1);
for (let k = 0; k < alphabet.length; k++) decodeMap[alphabet.charCodeAt(k)] = k;

const isNewline = (b: number) => b === 0x0a || b === 0x0d;

/** Returns Go's error text (`illegal base64 data at input byte N`), or undefined when valid. */
export function base64Error(text: string): string | undefined {
	const src = Buffer.from(text, 'utf8');
	const corrupt = (at: number) => `illegal base64 data at input byte ${at}`;
	let si = 0;
	while (si < src.length) {
		for (let j = 0; j < 4; j++) {
			if (si === src.length) {
				if (j === 0) return undefined;
				return corrupt(si - j);
			}
			const c = src[si];
			si++;
			if (decodeMap[c] !== -1) continue;
			if (isNewline(c)) {
				j--;
				continue;
			}
			if (c !== 0x3d) return corrupt(si - 1);
			// padding
			if (j === 0 || j === 1) return corrupt(si - 1);
			if (j === 2) {
				while (si < src.length && isNewline(src[si])) si++;
				if (si === src.length) return corrupt(src.length);
				if (src[si] !== 0x3d) return corrupt(si - 1);
				si++;
			}
			while (si < src.length && isNewline(src[si])) si++;
			if (si < src.length) return corrupt(si);
			return undefined;
		}
	}
	return undefined;
}
