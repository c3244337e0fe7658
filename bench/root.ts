import { join } from 'path';

/** The repository root, from bench/ (ts-node, jest) or from .build/bench/ (npm run bench). */
export const root = join(
	__dirname,
	'..',
	...(__dirname.includes(`${join('.build', 'bench')}`) ? ['..'] : []),
);
