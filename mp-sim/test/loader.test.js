import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLoader, resolvePath } from '../runtime/loader.js';

test('relative paths resolve against the requiring module', () => {
  assert.equal(resolvePath('pages/pay/pay.js', '../../utils/payment.js'), 'utils/payment.js');
  assert.equal(resolvePath('utils/payment.js', './graphql'), 'utils/graphql');
  assert.equal(resolvePath('pages/a.js', '/utils/x.js'), 'utils/x.js');
  assert.equal(resolvePath('a.js', '../x.js'), null);
});

test('a module runs once and its exports are shared', () => {
  let runs = 0;
  const loader = createLoader({
    'utils/count.js': (require, module) => {
      runs += 1;
      module.exports = { n: 42 };
    },
    'pages/a.js': (require, module, exports) => {
      exports.n = require('../utils/count').n;
    },
    'pages/b.js': (require, module, exports) => {
      exports.same = require('../utils/count.js') === require('/utils/count');
    },
  });
  assert.equal(loader.require('pages/a.js').n, 42);
  assert.equal(loader.require('pages/b.js').same, true);
  assert.equal(runs, 1);
});

test('a missing module names itself and its requirer', () => {
  const loader = createLoader({ 'pages/a.js': (require) => require('./nope.js') });
  assert.throws(() => loader.require('pages/a.js'), /module "pages\/nope.js" is not defined, required by "pages\/a.js"/);
});

test('factories receive the globals', () => {
  const loader = createLoader({ 'app.js': (require, module, exports, App, wx) => App(wx.name) }, () => [(x) => x + '!', { name: 'wx' }]);
  assert.doesNotThrow(() => loader.require('app.js'));
});

test('a module that did not parse fails where it is required, naming itself and the error', () => {
  const loader = createLoader({ 'pages/a.js': (require) => require('../lib/broken') }, () => [], { 'lib/broken.js': new SyntaxError("Cannot use 'import.meta' outside a module") });
  assert.equal(loader.has('lib/broken.js'), true);
  assert.throws(() => loader.require('pages/a.js'), /module "lib\/broken.js", required by "pages\/a.js" does not run: Cannot use 'import.meta' outside a module/);
});
