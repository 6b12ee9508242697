'use strict';
// Runs bench.ts without a build step: TypeScript is transpiled on require (types are checked by `npm run lint`).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ts = require('typescript');

// n8n-core writes an encryption key into N8N_USER_FOLDER (else ~/.n8n) when it loads its instance settings.
// Every bench process (this one and the fresh ones bench.ts starts for the memory rows) gets its own
// throwaway folder, set before n8n-core is loaded and removed when the process ends, so a benchmark never
// writes into the user's n8n folder. test/bench/bench-home.test.ts checks it.
const n8nFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitrix24-vibecode-bench-'));
process.env.N8N_USER_FOLDER = n8nFolder;
process.on('exit', () => fs.rmSync(n8nFolder, { recursive: true, force: true }));
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

// `.ts` must be tried before `.json`: `Bitrix24.node` names both Bitrix24.node.ts and the codex Bitrix24.node.json.
const { '.json': json, '.node': native } = require.extensions;
delete require.extensions['.json'];
delete require.extensions['.node'];
require.extensions['.ts'] = (module, filename) => {
	const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
		fileName: filename,
	});
	module._compile(outputText, filename);
};
require.extensions['.json'] = json;
require.extensions['.node'] = native;

require('./bench.ts');
