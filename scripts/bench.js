// `npm run bench [-- name…]`: compiles bench/ with the code it measures and runs it.
const path = require('path');
const { bin, ensureDependencies, main, root, run } = require('./run');

main(() => {
	ensureDependencies();
	run(bin('tsc'), ['-p', 'tsconfig.bench.json']);
	run(process.execPath, [
		'--expose-gc',
		path.join(root, '.build', 'bench', 'run.js'),
		...process.argv.slice(2),
	]);
});
