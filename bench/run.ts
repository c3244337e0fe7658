/**
 * `npm run bench`: every benchmark, each measuring ours against its anchor in the same run;
 * prints the figures and writes bench/RESULTS.md.
 */
import { writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join } from 'path';

import { batchGenerateLines } from './batchGenerate';
import { blobUploadLines } from './blobUpload';
import { embedBenchmarkLines } from './embed';
import { runNdjsonBenchmark } from './ndjson';
import { overheadLines } from './overhead';
import { poolBenchmarkLines } from './pool';
import { sseBenchmarkLines } from './sse';
import { subnodesLines } from './subnodes';

const benchmarks: Record<string, () => Promise<string[]>> = {
	ndjson: runNdjsonBenchmark,
	sse: sseBenchmarkLines,
	overhead: overheadLines,
	embed: () => embedBenchmarkLines(),
	batchGenerate: () => batchGenerateLines(),
	subnodes: () => subnodesLines(),
	pool: () => poolBenchmarkLines(),
	blobUpload: () => blobUploadLines(),
};

async function main(): Promise<void> {
	const only = process.argv.slice(2);
	const sections: string[] = [];
	for (const [name, run] of Object.entries(benchmarks)) {
		if (only.length && !only.includes(name)) continue;
		const lines = await run();
		for (const line of lines) process.stdout.write(`${line}\n`);
		sections.push(`## ${name}\n\n\`\`\`\n${lines.join('\n')}\n\`\`\``);
	}
	const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
	const text = `# Benchmark results\n\nMachine: ${machine}. Run: ${new Date().toISOString()}. Each figure is measured against its anchor in the same run (\`npm run bench\`).\n\n${sections.join('\n\n')}\n`;
	// A partial run (`npm run bench -- ndjson`) prints only: RESULTS.md always holds a whole run.
	if (only.length === 0) writeFileSync(join(__dirname, '..', '..', 'bench', 'RESULTS.md'), text);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
