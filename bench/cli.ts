import { join } from 'path';

/** The repository root, from bench/ (ts-node, jest) or from .build/bench/ (npm run bench). */
export const root = join(
	__dirname,
	'..',
	...(__dirname.includes(`${join('.build', 'bench')}`) ? ['..'] : []),
);

/** A numeric `--name N` command-line argument of a benchmark run on its own. */
export function argument(name: string): number | undefined {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? Number(process.argv[at + 1]) : undefined;
}
