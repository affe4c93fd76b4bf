// Injected before any page script runs: a request the app sends to its real Zion project's
// GraphQL endpoint (path /zero/<project>/api/graphql-v2, on any host or on the configured
// hosts) goes to this scenario's mock-zion instead, and so does a WebSocket opened to its
// subscription endpoint (wss://<host>/zero/<project>/api/graphql-subscription), so an
// unmodified app can be tested. Other hosts are left alone; the browser's sinkhole blocks and
// names them.
(() => {
  const target = __ZION_GRAPHQL_URL__;
  const socketTarget = __ZION_SUBSCRIPTION_URL__;
  const hosts = __ZION_HOSTS__;
  const zionPath = /^\/zero\/[^/]+\/api\/graphql-v2\/?$/;
  const socketPath = /^\/zero\/[^/]+\/api\/graphql-subscription\/?$/;
  const rerouteTo = (input, path, to) => {
    try {
      const url = new URL(input, window.location.href);
      const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
      const named = hosts.length === 0 || hosts.includes(url.hostname.toLowerCase());
      return !loopback && named && path.test(url.pathname) ? to : input;
    } catch (e) {
      return input;
    }
  };
  const reroute = (input) => rerouteTo(input, zionPath, target);
  const OriginalWebSocket = window.WebSocket;
  if (OriginalWebSocket && socketTarget) {
    // A subclass keeps WebSocket.OPEN and friends, and `instanceof WebSocket`.
    window.WebSocket = class WebSocket extends OriginalWebSocket {
      constructor(url, protocols) {
        const to = rerouteTo(String(url), socketPath, socketTarget);
        if (protocols === undefined) super(to);
        else super(to, protocols);
      }
    };
  }
  const originalFetch = window.fetch;
  window.fetch = function fetch(input, init) {
    if (input instanceof Request) {
      const to = reroute(input.url);
      return originalFetch.call(this, to === input.url ? input : new Request(to, input), init);
    }
    return originalFetch.call(this, reroute(String(input)), init);
  };
  const originalOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function open(method, url, ...rest) {
    return originalOpen.call(this, method, reroute(String(url)), ...rest);
  };
})();
