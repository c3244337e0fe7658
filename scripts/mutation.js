// `npm run mutation`: StrykerJS over the client core's pure modules (stryker.config.mjs).
// Not part of `npm test`: on two cores it takes tens of minutes. Extra arguments go to Stryker.
const { bin, ensureDependencies, main, run, step } = require('./run');

main(async () => {
	ensureDependencies();
	step('Mutation testing of nodes/core (report: reports/mutation/index.html)');
	run(bin('stryker'), ['run', ...process.argv.slice(2)]);
});
