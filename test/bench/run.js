'use strict';
// Runs bench.ts without a build step: TypeScript is transpiled on require (types are checked by `npm run lint`).
const fs = require('node:fs');
const ts = require('typescript');

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
