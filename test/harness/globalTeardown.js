// Removes the N8N_USER_FOLDER that globalSetup.js made (never one given from outside).
const { rmSync } = require('fs');

module.exports = async () => {
	const folder = process.env.N8N_HARNESS_FOLDER;
	if (folder) rmSync(folder, { recursive: true, force: true });
};
