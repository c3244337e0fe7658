// Deterministic embedding vectors derived from a hash of the model and the text.

import { Rng } from './text';
import { displayName, parseName } from './names';

function rawVector(model: string, text: string, length: number): number[] {
	const n = parseName(model);
	const rng = new Rng(`embed\0${(n ? displayName(n) : model).toLowerCase()}\0${text}`);
	const v: number[] = [];
	for (let k = 0; k < length; k++) v.push(Math.fround(rng.next() * 2 - 1));
	return v;
}

function normalise(v: number[]): number[] {
	let sum = 0;
	for (const x of v) sum += x * x;
	const norm = Math.sqrt(sum);
	return v.map((x) => Math.fround(norm === 0 ? 0 : x / norm));
}

/** The /api/embed vector: L2-normalised float32 values; `dimensions` truncates and re-normalises. */
export function embeddingFor(
	model: string,
	text: string,
	length: number,
	dimensions?: number,
): number[] {
	let v = normalise(rawVector(model, text, length));
	if (dimensions !== undefined && dimensions > 0 && dimensions < v.length) {
		v = normalise(v.slice(0, dimensions));
	}
	return v;
}

/** The legacy /api/embeddings vector: float32 values widened to float64, not normalised. */
export function legacyEmbeddingFor(model: string, text: string, length: number): number[] {
	return rawVector(model, text, length);
}
