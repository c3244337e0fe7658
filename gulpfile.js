const { task, src, dest, parallel } = require('gulp');

// encoding: false keeps binary icons (PNG) byte-identical; gulp 5 reads files as UTF-8 by default.
const copy = (from, to) => () => src(from, { encoding: false, allowEmpty: true }).pipe(dest(to));

task(
	'build:icons',
	parallel(
		copy('nodes/**/*.{png,svg}', 'dist/nodes'),
		copy('credentials/**/*.{png,svg}', 'dist/credentials'),
	),
);
