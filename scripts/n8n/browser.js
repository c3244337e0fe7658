// The editor in a real browser: Debian's chromium driven by playwright-core (no browser download;
// the machine has no outside network). Opens n8n, completes the owner setup on first visit,
// opens a workflow and one of its nodes, reads what the node's panel shows, opens its model list
// and saves a screenshot.
const fs = require('fs');
const os = require('os');
const path = require('path');

const { ensureDebianPackage } = require('./apt');

const CHROMIUM = '/usr/bin/chromium';

/** Flags for a machine without outside network: nothing phones home, nothing updates. */
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** The owner account the check creates in a fresh user folder (it never leaves the machine). */
const OWNER = {
	email: 'owner@n8n-nodes-ollama.invalid',
	firstName: 'Ollama',
	lastName: 'Example',
	password: 'Example-Passw0rd',
};

/** /usr/bin/chromium, installing Debian's package when missing. */
function ensureChromium() {
	return ensureDebianPackage('browser', 'chromium', () =>
		fs.existsSync(CHROMIUM) ? CHROMIUM : undefined,
	);
}

/** A headless chromium with a fresh, empty profile; close() also deletes the profile. */
async function launchChromium({ viewport = { width: 1440, height: 900 } } = {}) {
	const { chromium } = require('playwright-core');
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-ollama-chromium-'));
	// launchPersistentContext passes the fresh profile as --user-data-dir.
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: ensureChromium(),
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport,
		timeout: 60000,
	});
	const close = context.close.bind(context);
	context.close = async () => {
		await close().catch(() => {});
		fs.rmSync(profile, { recursive: true, force: true });
	};
	return context;
}

/** Signs in, creating the owner account first when n8n asks for it (its first visit). */
async function signIn(page, baseUrl, owner = OWNER) {
	await page.goto(`${baseUrl}/`, { waitUntil: 'domcontentloaded' });
	await page.waitForURL((url) => /^\/(setup|signin)/.test(url.pathname), { timeout: 60000 });
	const setup = new URL(page.url()).pathname.startsWith('/setup');
	if (setup) {
		await page.fill('input[name=email]', owner.email);
		await page.fill('input[name=firstName]', owner.firstName);
		await page.fill('input[name=lastName]', owner.lastName);
		await page.fill('input[name=password]', owner.password);
	} else {
		await page.fill('input[name=emailOrLdapLoginId]', owner.email);
		await page.fill('input[name=password]', owner.password);
	}
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((url) => !/^\/(setup|signin)/.test(url.pathname), { timeout: 30000 });
	return setup ? 'owner set up' : 'signed in';
}

/**
 * Opens a route of the editor without reloading the app when it is already loaded (its router,
 * as a link click does), else by loading the page.
 */
async function openRoute(page, baseUrl, route) {
	const pushed = await page
		.evaluate(async (target) => {
			const router = document.querySelector('#app')?.__vue_app__?.config.globalProperties.$router;
			if (!router) return false;
			await router.push(target);
			return true;
		}, route)
		.catch(() => false);
	if (!pushed) await page.goto(`${baseUrl}${route}`, { waitUntil: 'domcontentloaded' });
}

/**
 * Opens workflow `workflowId` in the editor, then node `nodeName` (waiting until the parameters
 * in `expectParameters` render), and the list of its `model` parameter (a resource locator),
 * waiting until every name in `expectModels` shows. Returns what
 * the panel shows: the parameters rendered, the credential, the selected model and the models
 * listed. Saves `screenshot` (PNG) with the list open.
 */
async function checkEditor({
	baseUrl,
	workflowId,
	nodeName,
	expectParameters = [],
	expectModels = [],
	screenshot,
	timeoutMs = 60000,
}) {
	const context = await launchChromium();
	const timings = {};
	let started = Date.now();
	const lap = (name) => {
		timings[name] = Date.now() - started;
		started = Date.now();
	};
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(timeoutMs);
		const signedIn = await signIn(page, baseUrl);
		lap(signedIn);

		await openRoute(page, baseUrl, `/workflow/${workflowId}`);
		const node = page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`);
		await node.waitFor();
		const canvasNodes = await page
			.locator('[data-test-id=canvas-node]')
			.evaluateAll((els) => els.map((el) => el.getAttribute('data-node-name')));
		lap('workflow opened');

		await node.dblclick();
		const ndv = page.locator('[data-test-id=ndv]');
		await ndv.locator('[data-test-id=node-parameters]').waitFor();
		// Parameters render in steps (collections last): wait for the ones the caller names.
		for (const name of expectParameters) {
			await ndv.locator(`[data-test-id="parameter-input-${name}"]`).first().waitFor();
		}
		const parameters = await ndv
			.locator('[data-test-id^="parameter-input-"]')
			.evaluateAll((els) =>
				els
					.map((el) => el.getAttribute('data-test-id').replace(/^parameter-input-/, ''))
					.filter((name) => name !== 'field'),
			);
		const credential = await ndv
			.locator('[data-test-id=node-credentials-select] input')
			.first()
			.inputValue()
			.catch(() => undefined);
		const rlc = ndv.locator('[data-test-id=resource-locator-model]');
		const selectedModel = await rlc
			.locator('[data-test-id=rlc-input] input, input[data-test-id=rlc-input]')
			.first()
			.inputValue()
			.catch(async () =>
				(await rlc.locator('[data-test-id=rlc-input]').first().textContent())?.trim(),
			);
		lap('node opened');

		await rlc.locator('[data-test-id=rlc-input]').first().click();
		const items = page.locator('[data-test-id=rlc-item]');
		await items.first().waitFor();
		// The list shows the selected model at once and the server's models when they arrive.
		await page
			.waitForFunction(
				(expected) => {
					const shown = [...document.querySelectorAll('[data-test-id=rlc-item]')].map(
						(el) => el.textContent ?? '',
					);
					return expected.every((name) => shown.some((text) => text.includes(name)));
				},
				expectModels,
				{ timeout: 20000 },
			)
			.catch(() => {});
		const models = (await items.allTextContents()).map((text) => text.trim()).filter(Boolean);
		lap('model list');

		if (screenshot) {
			fs.mkdirSync(path.dirname(screenshot), { recursive: true });
			await page.screenshot({ path: screenshot });
		}
		return { signedIn, canvasNodes, parameters, credential, selectedModel, models, timings };
	} finally {
		await context.close();
	}
}

module.exports = {
	ensureChromium,
	launchChromium,
	checkEditor,
	signIn,
	CHROMIUM,
	CHROMIUM_FLAGS,
	OWNER,
};
