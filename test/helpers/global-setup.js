// Builds dist/ once before any test file runs: the real-n8n suites install the package from `npm pack` of
// dist/, and two suites building at once could pack a half-written file.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
	execFileSync('npm', ['run', '--silent', 'build'], { cwd: path.resolve(__dirname, '..', '..'), stdio: 'ignore' });
};
