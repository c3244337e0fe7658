const { build, ensureDependencies, main } = require('./run');

main(() => {
	ensureDependencies();
	build();
});
