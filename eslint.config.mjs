// Lint = n8n's verification scanner rules (@n8n/eslint-plugin-community-nodes) + the
// eslint-plugin-n8n-nodes-base rulesets for package.json, credentials and nodes. Zero findings allowed.
import tsParser from '@typescript-eslint/parser';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const shipped = ['nodes/**/*.ts', 'credentials/**/*.ts'];

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-host/**', '.n8n-data/**', 'test-results/**', '.lint-tools/**', '**/*.js', '**/*.mjs', 'test/**'] },
	{
		files: [...shipped, 'package.json'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] } },
		linterOptions: { reportUnusedDisableDirectives: 'error' },
	},
	{ files: [...shipped, 'package.json'], ...communityNodes.configs.recommended },
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Applies to n8n's own repository only; community credentials link to a full URL, which the scanner requires.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// The 1.x rules predate NodeConnectionTypes; the scanner's node-connection-type-literal rule requires it.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
