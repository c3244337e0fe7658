import type { IDataObject } from 'n8n-workflow';

import type { ProgressResult } from '../../core/aggregate';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes as Ollama's CLI shows them (decimal units): 2019393189 → "2.0 GB". */
export function humanBytes(bytes: number): string {
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < UNITS.length - 1) {
		value /= 1000;
		unit++;
	}
	return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A pull, push or create stream as one result a person can read. */
export function progressOutput(
	model: string,
	progress: ProgressResult,
	startedAt: number,
): IDataObject {
	return {
		model,
		status: progress.status,
		statuses: progress.statuses,
		layers: progress.layers as unknown as IDataObject[],
		totalBytes: progress.totalBytes,
		completedBytes: progress.completedBytes,
		size: humanBytes(progress.totalBytes),
		durationMs: Date.now() - startedAt,
	};
}
