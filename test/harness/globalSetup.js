// One N8N_USER_FOLDER for the whole jest run (n8n-core writes its instance settings there when
// first loaded), handed to the workers through the environment; globalTeardown.js removes it.
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

module.exports = async () => {
	if (process.env.N8N_USER_FOLDER) return;
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
	process.env.N8N_HARNESS_FOLDER = process.env.N8N_USER_FOLDER;
};
