// cdktn ships CommonJS; nothing to transform in node_modules.
module.exports = require('../../jest.preset.js')(__dirname);
