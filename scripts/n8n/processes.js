// Child processes the scripts start: commands that run to the end, and services that keep
// running until stopped. Every service gets its own process group (detached), so Ctrl-C in the
// terminal reaches only the script, which then stops its services in order, by PID.
const { spawn } = require('child_process');
const fs = require('fs');

const TAIL_CHARS = 20000;
const running = new Set();

/**
 * Runs a command to its end; resolves with { code, signal, stdout, stderr } whatever the exit
 * code (a process killed by a signal has code 128 and the signal's name).
 */
function runCommand(command, args, { env, cwd, input } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
		const out = [];
		const err = [];
		child.stdout.on('data', (chunk) => out.push(chunk));
		child.stderr.on('data', (chunk) => err.push(chunk));
		child.once('error', reject);
		child.once('close', (code, signal) =>
			resolve({
				code: code ?? (signal ? 128 : 1),
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
			}),
		);
		child.stdin.end(input);
	});
}

/**
 * Starts a long-running process. Output goes to `logFile` (if given), to the terminal when
 * `echo` is set, and into a tail kept in memory (`service.output()`).
 */
function startService(name, command, args, { env, cwd, logFile, echo = false } = {}) {
	const child = spawn(command, args, {
		env,
		cwd,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
	let tail = '';
	const listeners = new Set();
	const onData = (stream) => (chunk) => {
		const text = chunk.toString('utf8');
		tail = (tail + text).slice(-TAIL_CHARS);
		log?.write(chunk);
		if (echo) stream.write(chunk);
		for (const listener of listeners) listener(text);
	};
	child.stdout.on('data', onData(process.stdout));
	child.stderr.on('data', onData(process.stderr));
	const service = {
		name,
		pid: child.pid,
		child,
		exited: undefined,
		output: () => tail,
		/** Calls `listener(text)` for every piece of output from now on; returns an unsubscribe. */
		onOutput(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		stop: (timeoutMs) => stopService(service, timeoutMs),
	};
	child.once('error', (error) => {
		service.exited = `could not start: ${error.message}`;
	});
	child.once('exit', (code, signal) => {
		service.exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
		running.delete(service);
		log?.end();
	});
	running.add(service);
	return service;
}

/** SIGTERM to the PID, then SIGKILL to its process group if it has not exited in time. */
async function stopService(service, timeoutMs = 15000) {
	if (service.exited) return;
	const done = new Promise((resolve) => service.child.once('exit', resolve));
	try {
		process.kill(service.pid, 'SIGTERM');
	} catch {
		return;
	}
	let timer;
	const timeout = new Promise((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	const outcome = await Promise.race([done, timeout]);
	clearTimeout(timer);
	if (outcome === 'timeout') {
		killGroup(service.pid);
		await done;
	}
	// n8n's task runners live in the same group; make sure none is left behind.
	killGroup(service.pid);
}

function killGroup(pid) {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {}
}

/** Stops the given services one after the other (last started first by default). */
async function stopAll(services = [...running].reverse()) {
	for (const service of services) await service.stop();
}

// Last resort: nothing we started outlives this process (exit handlers must be synchronous).
process.once('exit', () => {
	for (const service of running) killGroup(service.pid);
});

module.exports = { runCommand, startService, stopService, stopAll, running };
