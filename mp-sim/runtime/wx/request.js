// wx.request over the browser's fetch (PROTOCOLS.md, "wx APIs a payment page uses").
//
// `success` fires for any HTTP status with `{data, statusCode, header, errMsg: 'request:ok'}`;
// only a network failure, a timeout or `abort()` reaches `fail`. The default content type is
// JSON, an object `data` is a query string for GET and a JSON body otherwise, and the answer
// is JSON-parsed when it can be (`dataType: 'json'`). Calls to a Zion host are rerouted to
// the scenario's mock-zion by `reroute`, so an unmodified Mini Program runs.

/** The query string WeChat appends for a GET's `data`. */
export function queryString(data) {
  return Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : v)}`)
    .join('&');
}

/**
 * The implementation behind `wx.request`: returns a Promise of the success result (rejecting
 * with the failure reason) and fills `task` with `abort`.
 */
export function request(args, task, { fetch, reroute = (url) => url }) {
  if (typeof args.url !== 'string') {
    return Promise.reject(`parameter error: parameter.url should be String instead of ${typeName(args.url)};`);
  }
  const method = String(args.method ?? 'GET').toUpperCase();
  const headers = {};
  let hasContentType = false;
  for (const [name, value] of Object.entries(args.header ?? {})) {
    headers[name] = String(value);
    if (name.toLowerCase() === 'content-type') hasContentType = true;
  }
  if (!hasContentType) headers['content-type'] = 'application/json';
  let url = reroute(args.url);
  let body;
  const data = args.data;
  if (data !== undefined && data !== null) {
    if (method === 'GET') {
      const query = typeof data === 'object' ? queryString(data) : String(data);
      if (query) url += (url.includes('?') ? '&' : '?') + query;
    } else if (typeof data === 'string' || data instanceof ArrayBuffer) {
      body = data;
    } else if (/x-www-form-urlencoded/i.test(headers['content-type'] ?? headers['Content-Type'] ?? '')) {
      body = queryString(data);
    } else {
      body = JSON.stringify(data);
    }
  }
  const controller = new AbortController();
  let why = '';
  task.abort = () => {
    why = 'abort';
    controller.abort();
  };
  const timeout = Number(args.timeout ?? 60000);
  const timer = setTimeout(() => {
    why = 'timeout';
    controller.abort();
  }, timeout);
  // No `.finally` here: apps polyfill Promise.prototype.finally (litemall's drops the value
  // and leaves the rejection unhandled), and mp-sim shares their realm.
  return fetch(url, { method, headers, body, signal: controller.signal })
    .then(async (response) => {
      const text = await response.text();
      clearTimeout(timer);
      let parsed = text;
      if ((args.dataType ?? 'json') === 'json') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      const header = {};
      response.headers.forEach((value, name) => {
        header[name] = value;
      });
      return { data: parsed, statusCode: response.status, header, cookies: [] };
    })
    .catch((error) => {
      clearTimeout(timer);
      throw why || `${error?.message ?? error} (${url})`;
    });
}

/** A RequestTask: what `wx.request` returns. */
export function requestTask(handle) {
  return {
    abort: () => handle.abort?.(),
    onHeadersReceived() {},
    offHeadersReceived() {},
    onChunkReceived() {},
    offChunkReceived() {},
  };
}

/** WeChat's names for JavaScript types in "parameter error" messages. */
export function typeName(value) {
  if (value === undefined) return 'Undefined';
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  const type = typeof value;
  return type.charAt(0).toUpperCase() + type.slice(1);
}

/**
 * A reroute function: a URL whose path is Zion's GraphQL path (`/zero/<project>/api/graphql…`)
 * goes to `graphqlUrl` instead — on any host, or only on `hosts` when some are named.
 */
export function zionReroute(graphqlUrl, hosts = []) {
  const named = hosts.map((h) => h.toLowerCase());
  return (url) => {
    const match = /^https?:\/\/([^/:?#]+)(?::\d+)?(\/zero\/[^/?#]+\/api\/graphql[^?#]*)(\?[^#]*)?/.exec(url);
    if (!match || !graphqlUrl) return url;
    if (named.length > 0 && !named.includes(match[1].toLowerCase())) return url;
    return graphqlUrl + (match[3] ?? '');
  };
}
