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

test('require.async loads the subpackage first, and a failure rejects with mod and errMsg', async () => {
  const factories = {
    'app.js': (require, module, exports) => {
      exports.later = require.async('./sub/util.js');
      exports.missing = require.async('./sub/nope.js');
    },
  };
  const loaded = [];
  const loader = createLoader(factories, () => [], {}, async (path) => {
    loaded.push(path);
    // The subpackage's scripts arrive when it loads, as in the browser.
    factories['sub/util.js'] = (require, module) => {
      module.exports = { answer: 42 };
    };
  });
  const app = loader.require('app.js');
  assert.deepEqual(await app.later, { answer: 42 });
  await assert.rejects(app.missing, (error) => {
    assert.equal(error.mod, './sub/nope.js');
    assert.match(error.errMsg, /module "sub\/nope.js" is not defined, required by "app.js"/);
    return true;
  });
  assert.deepEqual(loaded, ['sub/util.js', 'sub/nope.js']);
});
