/** Unit, workflow (n8n-core engine) and end-to-end (real n8n) tests; see README "Tests". */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	setupFiles: ['<rootDir>/test/helpers/env.js'],
	globalSetup: '<rootDir>/test/helpers/global-setup.js',
	testTimeout: 60_000,
	maxWorkers: 2,
	// n8n-core leaves something alive after a workflow run (no handle is reported), so jest would never exit.
	forceExit: true,
};
