// Real n8n for `npm start` and the e2e tests: provisioning, user folders, servers, the editor in
// chromium. Types: index.d.ts.
module.exports = {
	...require('./provision'),
	...require('./instance'),
	...require('./servers'),
	...require('./redis'),
	...require('./processes'),
	...require('./examples'),
	...require('./http'),
	...require('./ports'),
	...require('./browser'),
};
