// ipvs-checkd status page: polls /api/v1/status once a second and redraws the table.
// Everything is built with textContent (never innerHTML), so names from the config cannot inject markup.
// At ten thousand realservers: "only problems" and the service filter are applied by the daemon (?problems=1,
// ?service=NAME), the table shows one page of PAGE_ROWS realservers, and a poll of an unchanged view is answered
// 304 (If-None-Match) and redraws nothing; every FULL_EVERY-th poll asks without it, so counters stay fresh.
"use strict";
(function () {
  const POLL_MS = 1000;
  const PAGE_ROWS = 250;
  const FULL_EVERY = 10;
  const rows = document.getElementById("rows");
  const transitions = document.getElementById("transitions");
  const textFilter = document.getElementById("filter-text");
  const problemsOnly = document.getElementById("filter-problems");
  const serviceFilter = document.getElementById("filter-service");
  const pager = document.getElementById("pager");
  const connection = document.getElementById("connection");
  let last = null;
  let etag = null;
  let updates = 0;
  let polls = 0;
  let page = 1;
  let pollTimer = null;

  // Filters and the page survive a reload of the page (a wall screen is often reloaded by a kiosk script).
  const params = new URLSearchParams(location.search);
  textFilter.value = params.get("q") || "";
  problemsOnly.checked = params.get("problems") === "1";
  serviceFilter.value = params.get("service") || "";
  page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function ago(iso, now) {
    const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
    if (s < 120) return s + "s";
    if (s < 7200) return Math.round(s / 60) + "m";
    if (s < 172800) return Math.round(s / 3600) + "h";
    return Math.round(s / 86400) + "d";
  }

  function isProblem(vs, rs) {
    return !vs.quorum_up || rs.health !== "up" || rs.admin.state !== "ready" || !!rs.flap_damping;
  }

  function endpoint(address, port) {
    return address.indexOf(":") >= 0 ? "[" + address + "]:" + port : address + ":" + port;
  }

  function matches(needle, vs, rs) {
    if (!needle) return true;
    const hay = [vs.name, vs.key, endpoint(rs.address, rs.port), rs.health, rs.admin.state, rs.flap_damping ? "damped" : "",
      rs.last_check ? rs.last_check.reason || "" : "", rs.last_check ? rs.last_check.check || "" : ""].join(" ").toLowerCase();
    return needle.split(/\s+/).every(function (word) { return hay.indexOf(word) >= 0; });
  }

  function weightText(w) {
    const cfg = w.override !== null ? w.override + "*" : w.configured;
    return cfg + " / " + w.desired + " / " + (w.kernel === null ? "–" : w.kernel);
  }

  function serviceRow(vs) {
    const tr = el("tr", "vs" + (vs.quorum_up ? "" : " quorum-lost") + (vs.mass_failure_hold ? " mass-failure-held" : ""));
    tr.dataset.vs = vs.name;
    const td = el("td", null, vs.name + "  " + vs.key + "  " + vs.scheduler);
    td.colSpan = 9;
    let note = "  live " + vs.live_realservers + "/" + (vs.realserver_count !== undefined ? vs.realserver_count : vs.realservers.length);
    if (vs.quorum > 0) note += vs.quorum_up ? "  quorum ok" : "  QUORUM LOST";
    if (vs.sorry_server_active) note += "  sorry server active";
    if (vs.mass_failure_hold) note += "  MASS-FAILURE HOLD (" + vs.mass_failure_hold.held_realservers + " held in; release: ipvs-checkd release-hold " + vs.name + ")";
    if (vs.kernel) note += "  conns " + vs.kernel.connections;
    td.textContent += note;
    if (vs.mass_failure_hold) td.title = "mass-failure hold since " + vs.mass_failure_hold.since + ": " + vs.mass_failure_hold.why;
    tr.appendChild(td);
    return tr;
  }

  function serverRow(vs, rs, now) {
    const tr = el("tr", "rs state-" + rs.health + " admin-" + rs.admin.state);
    tr.dataset.vs = vs.name;
    tr.dataset.rs = endpoint(rs.address, rs.port);
    tr.appendChild(el("td", "address", endpoint(rs.address, rs.port)));
    const health = el("td", "health", rs.flap_damping ? rs.health + " (damped)" : rs.health);
    if (rs.flap_damping) {
      health.title = rs.flap_damping.until
        ? "flapping: kept out until " + rs.flap_damping.until + " if it stays up"
        : "flapping: kept out until it recovers and stays up for the hold";
    }
    tr.appendChild(health);
    const since = el("td", "since", ago(rs.health_since, now));
    since.title = rs.health_since;
    tr.appendChild(since);
    const admin = el("td", "admin", rs.admin.state);
    if (rs.admin.set_by) admin.title = "set by " + rs.admin.set_by + " at " + rs.admin.set_at;
    tr.appendChild(admin);
    tr.appendChild(el("td", "weight", weightText(rs.weight)));
    const lc = rs.last_check;
    const which = lc && lc.check && rs.checks && rs.checks.length > 1 ? lc.check + ": " : "";
    const reason = el("td", "reason", lc ? (which + lc.result + (lc.reason ? ": " + lc.reason : "") + " (" + ago(lc.at, now) + " ago)") : "no check yet");
    if (rs.checks && rs.checks.length > 1) {
      reason.title = rs.checks.map(c => c.name + ": " + c.health + ", " + c.result + (c.reason ? " (" + c.reason + ")" : "")).join("\n");
    }
    tr.appendChild(reason);
    tr.appendChild(el("td", "latency", lc ? lc.latency_ms.toFixed(1) + " ms" : "–"));
    tr.appendChild(el("td", "counts", rs.checks_passed + " / " + rs.checks_failed + " / " + rs.checks_errored));
    tr.appendChild(el("td", "transitions", rs.transitions));
    return tr;
  }

  function render() {
    if (!last) return;
    const started = performance.now();
    const doc = last;
    const now = Date.parse(doc.generated_at);
    const needle = textFilter.value.trim().toLowerCase();
    const only = problemsOnly.checked;
    // The rows that pass the filters, in order; only one page of them becomes DOM.
    const shown = [];
    let up = 0, total = 0, problems = 0;
    doc.virtual_services.forEach(function (vs) {
      vs.realservers.forEach(function (rs) {
        total++;
        if (rs.health === "up" || rs.health === "falling") up++;
        const problem = isProblem(vs, rs);
        if (problem) problems++;
        if ((!only || problem) && matches(needle, vs, rs)) shown.push([vs, rs]);
      });
    });
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_ROWS));
    if (page > pages) page = pages;
    const from = (page - 1) * PAGE_ROWS;
    const body = document.createDocumentFragment();
    let current = null;
    shown.slice(from, from + PAGE_ROWS).forEach(function (pair) {
      if (pair[0] !== current) {
        current = pair[0];
        body.appendChild(serviceRow(current));
      }
      body.appendChild(serverRow(pair[0], pair[1], now));
    });
    rows.replaceChildren(body);
    renderPager(shown.length, pages, from);

    const d = doc.daemon;
    const sum = doc.summary || { virtual_services: doc.virtual_services.length, realservers: total, up: up, problems: problems };
    document.getElementById("sum-vs").textContent = sum.virtual_services;
    document.getElementById("sum-up").textContent = sum.up + " / " + sum.realservers;
    document.getElementById("sum-problems").textContent = sum.problems;
    document.getElementById("sum-rate").textContent = d.checks_per_second.toFixed(0);
    document.getElementById("sum-inflight").textContent = d.checks_in_flight;
    document.getElementById("sum-lag").textContent = d.engine_lag_ms.toFixed(1) + " ms";
    document.getElementById("sum-kernel").textContent = d.kernel;
    document.getElementById("sum-updated").textContent = new Date(now).toISOString().substring(11, 19) + " UTC";

    const list = document.createDocumentFragment();
    doc.recent_transitions.forEach(function (t) {
      const li = el("li", "to-" + t.to, t.at.substring(11, 19) + " UTC  " + t.virtual_service +
        "  " + t.realserver + "  " + t.from + " → " + t.to + (t.reason ? "  (" + t.reason + ")" : ""));
      list.appendChild(li);
    });
    transitions.replaceChildren(list);
    document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
  }

  function renderPager(count, pages, from) {
    const nodes = [el("span", "count", count === 0 ? "no realservers match"
      : "realservers " + (from + 1) + "–" + Math.min(from + PAGE_ROWS, count) + " of " + count)];
    if (pages > 1) {
      [["« first", 1], ["‹ previous", page - 1], ["next ›", page + 1], ["last »", pages]].forEach(function (b) {
        const button = el("button", null, b[0]);
        button.type = "button";
        button.disabled = b[1] < 1 || b[1] > pages || b[1] === page;
        button.addEventListener("click", function () { page = b[1]; saveFilters(false); });
        nodes.push(button);
      });
      nodes.push(el("span", "page", "page " + page + " of " + pages));
    }
    pager.replaceChildren.apply(pager, nodes);
  }

  function apiUrl() {
    const p = new URLSearchParams();
    if (problemsOnly.checked) p.set("problems", "1");
    if (serviceFilter.value.trim()) p.set("service", serviceFilter.value.trim());
    const qs = p.toString();
    return "/api/v1/status" + (qs ? "?" + qs : "");
  }

  // serverSide: a filter the daemon applies changed, so the data must be fetched again (and the page starts over).
  function saveFilters(serverSide) {
    const p = new URLSearchParams();
    if (textFilter.value) p.set("q", textFilter.value);
    if (problemsOnly.checked) p.set("problems", "1");
    if (serviceFilter.value.trim()) p.set("service", serviceFilter.value.trim());
    if (serverSide === true) page = 1;
    if (page > 1) p.set("page", String(page));
    const qs = p.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
    if (serverSide === true) {
      etag = null;
      clearTimeout(pollTimer);
      poll();
    } else {
      render();
    }
  }

  async function poll() {
    const started = performance.now();
    const url = apiUrl();
    try {
      const headers = {};
      if (etag && etag.url === url && polls % FULL_EVERY !== 0) headers["If-None-Match"] = etag.tag;
      polls++;
      const response = await fetch(url, { cache: "no-store", headers: headers });
      if (response.status === 304) {
        updates++;
        document.body.dataset.updates = String(updates);
      } else if (response.status === 404 && serviceFilter.value.trim()) {
        last = { generated_at: new Date().toISOString(), daemon: last ? last.daemon : null, virtual_services: [], recent_transitions: [], summary: last ? last.summary : null };
        etag = null;
        throw new Error("no virtual service '" + serviceFilter.value.trim() + "'");
      } else {
        if (!response.ok) throw new Error("HTTP " + response.status);
        last = await response.json();
        etag = { url: url, tag: response.headers.get("ETag") };
        updates++;
        document.body.dataset.updates = String(updates);
        render();
        if (!document.body.dataset.firstRenderMs) document.body.dataset.firstRenderMs = performance.now().toFixed(0);
        document.body.dataset.refreshMs = (performance.now() - started).toFixed(1);
      }
      connection.className = "connection-ok";
      connection.textContent = "";
    } catch (e) {
      connection.className = "connection-stale";
      connection.textContent = "no answer from the daemon (" + e.message + "); showing the last data";
    } finally {
      pollTimer = setTimeout(poll, POLL_MS);
    }
  }

  textFilter.addEventListener("input", function () { page = 1; saveFilters(false); });
  problemsOnly.addEventListener("change", function () { saveFilters(true); });
  serviceFilter.addEventListener("change", function () { saveFilters(true); });
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  poll();
})();
