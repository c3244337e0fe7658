// The environment for every n8n process: offline, sqlite, the
// user folder given, community packages enabled, ports given (n8n and its task broker).
const path = require('path');

/** A fixed key for throw-away test folders (persistent folders let n8n generate its own). */
const TEST_ENCRYPTION_KEY = 'n8n-nodes-ollama-e2e-key';

const OFFLINE = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
	N8N_AI_ENABLED: 'false',
	// Without it, startup calls api.n8n.io/api/mcp-servers.
	N8N_DISABLED_MODULES: 'mcp-registry',
};

const BASE = {
	...OFFLINE,
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	DB_TYPE: 'sqlite',
	DB_SQLITE_POOL_SIZE: '2',
	GENERIC_TIMEZONE: 'UTC',
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
	N8N_LISTEN_ADDRESS: '127.0.0.1',
};

/**
 * Settings inherited from the caller's environment would make runs differ: drop them. NODE_ENV
 * too: jest sets it to "test", and n8n then prints no logs (so `execute` shows no result).
 */
const OWN_PREFIXES = ['N8N_', 'DB_', 'QUEUE_', 'EXECUTIONS_', 'WEBHOOK_URL', 'NODE_ENV', 'JEST_'];

/**
 * @param {object} o
 * @param {string} o.userFolder  N8N_USER_FOLDER (n8n keeps its data in <userFolder>/.n8n)
 * @param {string} o.nodeBin     the Node 24 binary (its folder goes first on PATH)
 * @param {string} [o.encryptionKey]  omit to let n8n generate and keep one in .n8n/config
 * @param {object} [o.extra]     more variables; they win over everything above
 */
function n8nEnv({ userFolder, nodeBin, encryptionKey, extra = {} }) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!OWN_PREFIXES.some((prefix) => key.startsWith(prefix))) env[key] = value;
	}
	env.PATH = `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`;
	Object.assign(env, BASE, { N8N_USER_FOLDER: userFolder });
	if (encryptionKey) env.N8N_ENCRYPTION_KEY = encryptionKey;
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined) delete env[key];
		else env[key] = String(value);
	}
	return env;
}

module.exports = { n8nEnv, TEST_ENCRYPTION_KEY };
