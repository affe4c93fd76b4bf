// Injected before any page script runs when the run keeps virtual time: the page's clock
// (Date, performance.now, setTimeout, setInterval) becomes the scenario's clock, which is
// mock-zion's. It runs at the wall clock's pace plus a lead that only grows. While a step
// waits for something, the harness calls __zionClock.advance(limit): if the page is idle (no
// request in flight, no socket connecting, no timer firing, no load or navigation under way,
// no finite animation running, nothing for QUIET_MS), the page and the mock skip together to
// whichever comes first — the page's next timer or the mock's next event — so a 2 s
// setTimeout or a notification due in 5 s happens at once, in the same order as in real
// time. Nothing skips while the harness is not waiting, so no state a step looks at is
// jumped over. The lead lives in the mock: every document reads it when it starts.
(() => {
  if (window.__zionClock) return;
  const clockUrl = __ZION_CLOCK_URL__;
  const QUIET_MS = 40;
  const RealDate = Date;
  const realDateNow = RealDate.now;
  const realPerfNow = performance.now.bind(performance);
  const realSetTimeout = window.setTimeout;
  const realClearTimeout = window.clearTimeout;
  const realSetInterval = window.setInterval;
  const realOpen = XMLHttpRequest.prototype.open;
  const realSend = XMLHttpRequest.prototype.send;
  const realSetHeader = XMLHttpRequest.prototype.setRequestHeader;

  // The mock is on another origin: a GET and a text/plain POST need no preflight.
  const ask = (method, body) => {
    const xhr = new XMLHttpRequest();
    realOpen.call(xhr, method, clockUrl, false);
    if (body) realSetHeader.call(xhr, 'content-type', 'text/plain');
    realSend.call(xhr, body ? JSON.stringify(body) : null);
    if (xhr.status !== 200) throw new Error(`the mock's clock answered ${xhr.status}`);
    return JSON.parse(xhr.responseText);
  };

  let lead = 0;
  let known = false;
  try {
    const parent = window.parent !== window && window.parent.__zionClock;
    if (parent) {
      lead = parent.lead();
      known = true;
    }
  } catch (e) {
    // A cross-origin parent: ask the mock below.
  }
  if (!known && /^https?:$/.test(location.protocol)) {
    try {
      lead = ask('GET').lead_ms;
    } catch (e) {
      // The mock is gone (the scenario ended): the wall clock is all there is.
    }
  }

  const now = () => realPerfNow() + lead;

  // Timers: each keeps a real timer for its remaining time, re-armed when the clock skips.
  const timers = new Map();
  let order = 0;
  let firing = 0;
  let lastActivity = realPerfNow();
  // Counts every change a step could look at (the DOM, a request, a timer, a message): a skip
  // happens only when nothing changed since the harness's previous advance call, so the
  // step's look in between saw the page as it is — a success shown 2 s before the app goes
  // home is never jumped over.
  let changes = 0;
  let seen = -1;
  const touch = () => {
    lastActivity = realPerfNow();
    changes += 1;
  };
  new MutationObserver(touch).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
  const run = (id) => {
    const timer = timers.get(id);
    if (!timer) return;
    if (timer.every === null) timers.delete(id);
    else {
      timer.due += timer.every;
      arm(id, timer);
    }
    touch();
    timer.callback.apply(window, timer.args);
  };
  const arm = (id, timer) => {
    timer.real = realSetTimeout(() => run(id), Math.max(0, timer.due - now()));
  };
  const schedule = (callback, ms, args, repeat) => {
    const delay = Math.max(0, Number(ms) || 0);
    const timer = {
      callback,
      args,
      due: now() + delay,
      order: ++order,
      every: repeat ? Math.max(1, delay) : null,
    };
    let id;
    timer.real = realSetTimeout(() => run(id), delay);
    // The first real id names the timer for the app: ids are never reused, so it is unique.
    id = timer.real;
    timers.set(id, timer);
    return id;
  };
  const cancel = (id) => {
    const timer = timers.get(id);
    if (timer) {
      realClearTimeout(timer.real);
      timers.delete(id);
    } else realClearTimeout(id);
  };
  window.setTimeout = function setTimeout(callback, ms, ...args) {
    if (typeof callback !== 'function') return realSetTimeout(callback, ms, ...args);
    return schedule(callback, ms, args, false);
  };
  window.setInterval = function setInterval(callback, ms, ...args) {
    if (typeof callback !== 'function') return realSetInterval(callback, ms, ...args);
    return schedule(callback, ms, args, true);
  };
  window.clearTimeout = function clearTimeout(id) {
    cancel(id);
  };
  window.clearInterval = function clearInterval(id) {
    cancel(id);
  };

  // Date and performance.now read the scenario's clock.
  function ZionDate(...args) {
    if (!new.target) return new RealDate(realDateNow() + lead).toString();
    return Reflect.construct(RealDate, args.length ? args : [realDateNow() + lead], new.target);
  }
  ZionDate.prototype = RealDate.prototype;
  ZionDate.now = function now() {
    return realDateNow() + lead;
  };
  ZionDate.parse = RealDate.parse;
  ZionDate.UTC = RealDate.UTC;
  Object.defineProperty(ZionDate, 'name', { value: 'Date' });
  Object.defineProperty(RealDate.prototype, 'constructor', {
    value: ZionDate,
    writable: true,
    configurable: true,
  });
  window.Date = ZionDate;
  performance.now = function now() {
    return realPerfNow() + lead;
  };

  // What keeps the page busy: requests in flight, sockets connecting, loads, navigations.
  let inflight = 0;
  let leaving = false;
  const begin = () => {
    inflight += 1;
    touch();
  };
  const end = () => {
    inflight -= 1;
    touch();
  };
  const realFetch = window.fetch;
  window.fetch = function fetch(...args) {
    begin();
    const answer = realFetch.apply(this, args);
    answer.then(end, end);
    return answer;
  };
  XMLHttpRequest.prototype.send = function send(...args) {
    begin();
    this.addEventListener('loadend', end, { once: true });
    try {
      return realSend.apply(this, args);
    } catch (e) {
      end();
      throw e;
    }
  };
  const RealWebSocket = window.WebSocket;
  if (RealWebSocket) {
    window.WebSocket = class WebSocket extends RealWebSocket {
      constructor(...args) {
        super(...args);
        begin();
        let connecting = true;
        const opened = () => {
          if (connecting) end();
          connecting = false;
        };
        this.addEventListener('open', opened);
        this.addEventListener('close', opened);
        this.addEventListener('message', touch);
      }
    };
  }
  addEventListener('beforeunload', () => {
    leaving = true;
  });
  addEventListener('pagehide', () => {
    leaving = true;
  });
  addEventListener('pageshow', () => {
    leaving = false;
    touch();
  });
  addEventListener('load', touch);

  const busy = () => {
    if (leaving) return 'leaving the page';
    if (document.readyState !== 'complete') return 'loading';
    if (inflight > 0) return `${inflight} request(s) in flight`;
    if (firing > 0) return 'timers firing';
    if (realPerfNow() - lastActivity < QUIET_MS) return 'just active';
    const finite = (animation) => {
      const timing = animation.effect && animation.effect.getComputedTiming();
      return animation.playState === 'running' && timing && timing.endTime !== Infinity;
    };
    if (document.getAnimations && document.getAnimations().some(finite)) return 'animating';
    return null;
  };

  // Skips the page's clock by `ms`: what falls due fires in due order, one task each.
  const skip = (ms) => {
    lead += ms;
    const due = [];
    for (const [id, timer] of timers) {
      realClearTimeout(timer.real);
      if (timer.due <= now()) due.push([id, timer]);
      else arm(id, timer);
    }
    due.sort((a, b) => a[1].due - b[1].due || a[1].order - b[1].order);
    for (const [id] of due) {
      firing += 1;
      realSetTimeout(() => {
        firing -= 1;
        run(id);
      }, 0);
    }
    touch();
  };

  window.__zionClock = {
    lead: () => lead,
    // Skips to the next thing that happens by itself, at most `limit` ms ahead; says why not.
    advance(limit) {
      const unseen = changes !== seen;
      seen = changes;
      if (unseen) return { busy: 'changed since the last look' };
      const why = busy();
      if (why) return { busy: why };
      const mock = ask('GET');
      if (mock.lead_ms > lead) skip(mock.lead_ms - lead);
      let next = Infinity;
      for (const timer of timers.values()) next = Math.min(next, timer.due - now());
      if (next <= 0) return { busy: 'a timer is due' };
      const mockNext = mock.next_due_in_ms === null ? Infinity : mock.next_due_in_ms;
      // With nothing scheduled, nothing skips: what the step waits for may be real work the
      // page does not show (a script loading), and the wait's limit is also real time.
      if (next === Infinity && mockNext === Infinity) return { idle: true, skipped_ms: 0 };
      const step = Math.min(next, mockNext, limit);
      if (!(step > 0)) return { idle: true, skipped_ms: 0 };
      const answer = ask('POST', { advance_ms: step });
      skip(answer.lead_ms - lead);
      seen = changes;
      return { skipped_ms: step, page_timer: next <= step, mock_event: mockNext <= step };
    },
  };
})();
