// One n8n user folder and the CLI commands run against it: import credentials and workflows,
// publish, execute. Servers (n8n start / worker) are in servers.js.
const fs = require('fs');
const os = require('os');
const path = require('path');

const { n8nEnv, TEST_ENCRYPTION_KEY } = require('./env');
const { installPackage } = require('./package');
const { freePort } = require('./ports');
const { runCommand } = require('./processes');
const { paths } = require('./provision');

class N8nInstance {
	/**
	 * @param {object} o
	 * @param {string} o.userFolder     N8N_USER_FOLDER; data lives in <userFolder>/.n8n
	 * @param {string} [o.encryptionKey] omit for n8n's own (kept in .n8n/config)
	 * @param {object} [o.env]          extra variables for every command and server
	 * @param {object} [o.n8n]          provision() result; defaults to the cache paths
	 */
	constructor({ userFolder, encryptionKey, env = {}, n8n = paths() }) {
		this.userFolder = userFolder;
		this.encryptionKey = encryptionKey;
		this.extraEnv = env;
		this.n8n = n8n;
		this.logFolder = path.join(userFolder, 'logs');
		fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
		fs.mkdirSync(this.logFolder, { recursive: true });
	}

	/** A fresh folder under the OS temp dir with the fixed test key. */
	static temporary(prefix = 'n8n-ollama-e2e-') {
		const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
		return new N8nInstance({ userFolder, encryptionKey: TEST_ENCRYPTION_KEY });
	}

	env(extra = {}) {
		return n8nEnv({
			userFolder: this.userFolder,
			nodeBin: this.n8n.nodeBin,
			encryptionKey: this.encryptionKey,
			extra: { ...this.extraEnv, ...extra },
		});
	}

	/** The command and arguments that run `n8n <args>` on Node 24. */
	command(args) {
		return [this.n8n.nodeBin, [this.n8n.n8nBin, ...args]];
	}

	/**
	 * Runs `n8n <args>` to its end: { code, stdout, stderr }. Every n8n command starts a task
	 * broker (default port 5679): give it a free port so commands and servers never clash.
	 */
	async run(args, extraEnv = {}) {
		const [command, fullArgs] = this.command(args);
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: await freePort(), ...extraEnv });
		return await runCommand(command, fullArgs, { env, cwd: this.userFolder });
	}

	/** Like run(), but a non-zero exit is an error carrying n8n's output. */
	async runOrThrow(args, extraEnv = {}) {
		const result = await this.run(args, extraEnv);
		if (result.code !== 0) {
			const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
			throw new Error(`n8n ${args.join(' ')} exited with ${result.code}:\n${output}`);
		}
		return result;
	}

	/** Copies the built package into .n8n/nodes/node_modules, as a user's install looks. */
	installPackage() {
		return installPackage(this.userFolder);
	}

	/** Imports credentials given as plain data ([{ id, name, type, data }]); n8n encrypts them. */
	async importCredentials(credentials) {
		const file = this.writeTemp('credentials.json', credentials);
		try {
			await this.runOrThrow(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** Imports workflow JSON files (each keeps its id; imported workflows are inactive). */
	async importWorkflows(files) {
		const folder = fs.mkdtempSync(path.join(this.userFolder, 'import-'));
		try {
			for (const file of files) fs.copyFileSync(file, path.join(folder, path.basename(file)));
			await this.runOrThrow(['import:workflow', '--separate', `--input=${folder}`]);
		} finally {
			fs.rmSync(folder, { recursive: true, force: true });
		}
	}

	/** Activates a workflow (n8n 2.x "publish"); servers started afterwards register its webhooks. */
	async publishWorkflow(id) {
		await this.runOrThrow(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * `n8n execute --id`: returns { code, run, error, logs } where `run` is the execution data
	 * (resultData.runData per node, resultData.error) and `error` its error, if any.
	 */
	async execute(id) {
		const result = await this.run(['execute', `--id=${id}`, '--rawOutput'], {
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_FORMAT: 'json',
		});
		const logs = `${result.stdout}\n${result.stderr}`;
		const run = findExecution(logs);
		if (!run) {
			throw new Error(
				`n8n execute --id=${id} printed no execution (exit ${result.code}):\n${tail(logs)}`,
			);
		}
		return {
			code: result.code,
			signal: result.signal,
			run,
			error: run.data.resultData.error,
			logs,
		};
	}

	writeTemp(name, value) {
		const file = path.join(this.userFolder, `${process.pid}-${Date.now()}-${name}`);
		fs.writeFileSync(file, JSON.stringify(value, null, '\t'));
		return file;
	}

	logFile(name) {
		return path.join(this.logFolder, `${name}.log`);
	}

	/** Deletes the user folder (for temporary instances, after their servers are stopped). */
	remove() {
		fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** The execution in JSON-format logs: the entry whose message parses to { data.resultData }. */
function findExecution(logs) {
	for (const line of logs.split('\n')) {
		if (!line.startsWith('{')) continue;
		let entry;
		try {
			entry = JSON.parse(line);
		} catch {
			continue;
		}
		if (typeof entry.message !== 'string' || !entry.message.startsWith('{')) continue;
		try {
			const value = JSON.parse(entry.message);
			if (value?.data?.resultData) return value;
		} catch {}
	}
	return undefined;
}

const tail = (text, lines = 40) => text.trim().split('\n').slice(-lines).join('\n');

module.exports = { N8nInstance, findExecution };
