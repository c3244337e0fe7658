// `npm run emulator -- --port 11434`: the protocol-faithful Ollama emulator (see test/emulator/README.md).
const { buildEmulator, ensureDependencies, main, run } = require('./run');

main(() => {
	ensureDependencies();
	const cli = buildEmulator();
	run(process.execPath, [cli, ...process.argv.slice(2)]);
});
