// Signing in to lungflow's pages. Each page names the role it needs in <meta name="lungflow-role">.
// The bearer token comes from the address (#token=…, as ./lungflow token and ./lungflow demo print
// it; it is removed from the address at once) or is pasted into the sign-in bar, and is kept for
// this browser tab only (sessionStorage). Every API call of the page goes through lungflowAuth.fetch.
(function () {
  'use strict';
  const KEY = 'lungflow.token';
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  const roleMeta = document.querySelector('meta[name="lungflow-role"]');
  const role = roleMeta ? roleMeta.content : 'viewer';

  function claims(token) {
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload));
    } catch (e) {
      return {};
    }
  }

  function bar(message) {
    let el = document.getElementById('lungflow-signin');
    if (!el) {
      el = document.createElement('form');
      el.id = 'lungflow-signin';
      el.style.cssText = 'padding:.4rem .8rem;background:#f3f0e6;border-bottom:1px solid #ccc;font:14px sans-serif';
      document.body.prepend(el);
    }
    el.replaceChildren();
    const text = document.createElement('span');
    text.textContent = message + ' ';
    el.append(text);
    const token = sessionStorage.getItem(KEY);
    if (token && !message.startsWith('Not')) {
      const out = document.createElement('button');
      out.type = 'button';
      out.textContent = 'Sign out';
      out.addEventListener('click', () => { sessionStorage.removeItem(KEY); location.reload(); });
      el.append(out);
      return;
    }
    const input = document.createElement('input');
    input.id = 'lungflow-token';
    input.placeholder = 'bearer token (./lungflow token ' + role + ')';
    input.size = 48;
    const go = document.createElement('button');
    go.textContent = 'Sign in';
    el.append(input, go);
    el.onsubmit = (event) => {
      event.preventDefault();
      if (input.value.trim()) {
        sessionStorage.setItem(KEY, input.value.trim());
        location.reload();
      }
    };
  }

  function show() {
    const token = sessionStorage.getItem(KEY);
    if (!token) {
      bar('Sign in as ' + role + ':');
      return;
    }
    const c = claims(token);
    const roles = (c.groups || []).join(', ');
    bar('Signed in as ' + (c.upn || c.sub || 'unknown') + ' (' + (roles || 'no role') + ').');
  }

  window.lungflowAuth = {
    role,
    async fetch(url, options) {
      const opts = Object.assign({}, options || {});
      opts.headers = Object.assign({}, opts.headers || {});
      const token = sessionStorage.getItem(KEY);
      if (token) {
        opts.headers.Authorization = 'Bearer ' + token;
      }
      const response = await fetch(url, opts);
      if (response.status === 401) {
        bar('Not signed in, or the token has expired: sign in as ' + role + ':');
      }
      return response;
    },
  };
  document.addEventListener('DOMContentLoaded', show);
})();
