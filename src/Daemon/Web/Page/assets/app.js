// ipvs-checkd status page: polls /api/v1/status once a second and redraws the table.
// Everything is built with textContent (never innerHTML), so names from the config cannot inject markup.
"use strict";
(function () {
  const POLL_MS = 1000;
  const rows = document.getElementById("rows");
  const transitions = document.getElementById("transitions");
  const textFilter = document.getElementById("filter-text");
  const problemsOnly = document.getElementById("filter-problems");
  const connection = document.getElementById("connection");
  let last = null;
  let updates = 0;

  // Filters survive a reload of the page (a wall screen is often reloaded by a kiosk script).
  const params = new URLSearchParams(location.search);
  textFilter.value = params.get("q") || "";
  problemsOnly.checked = params.get("problems") === "1";

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
    let note = "  live " + vs.live_realservers + "/" + vs.realservers.length;
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
    const doc = last;
    const now = Date.parse(doc.generated_at);
    const needle = textFilter.value.trim().toLowerCase();
    const only = problemsOnly.checked;
    const body = document.createDocumentFragment();
    let up = 0, total = 0, problems = 0;
    doc.virtual_services.forEach(function (vs) {
      const shown = [];
      vs.realservers.forEach(function (rs) {
        total++;
        if (rs.health === "up" || rs.health === "falling") up++;
        const problem = isProblem(vs, rs);
        if (problem) problems++;
        if ((!only || problem) && matches(needle, vs, rs)) shown.push(serverRow(vs, rs, now));
      });
      if (shown.length > 0) {
        body.appendChild(serviceRow(vs));
        shown.forEach(function (tr) { body.appendChild(tr); });
      }
    });
    rows.replaceChildren(body);

    const d = doc.daemon;
    document.getElementById("sum-vs").textContent = doc.virtual_services.length;
    document.getElementById("sum-up").textContent = up + " / " + total;
    document.getElementById("sum-problems").textContent = problems;
    document.getElementById("sum-rate").textContent = d.checks_per_second.toFixed(0);
    document.getElementById("sum-inflight").textContent = d.checks_in_flight;
    document.getElementById("sum-lag").textContent = d.engine_lag_ms.toFixed(1) + " ms";
    document.getElementById("sum-kernel").textContent = d.kernel;
    document.getElementById("sum-updated").textContent = new Date(now).toLocaleTimeString();

    const list = document.createDocumentFragment();
    doc.recent_transitions.forEach(function (t) {
      const li = el("li", "to-" + t.to, new Date(Date.parse(t.at)).toLocaleTimeString() + "  " + t.virtual_service +
        "  " + t.realserver + "  " + t.from + " → " + t.to + (t.reason ? "  (" + t.reason + ")" : ""));
      list.appendChild(li);
    });
    transitions.replaceChildren(list);
  }

  function saveFilters() {
    const p = new URLSearchParams();
    if (textFilter.value) p.set("q", textFilter.value);
    if (problemsOnly.checked) p.set("problems", "1");
    const qs = p.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
    render();
  }

  async function poll() {
    try {
      const response = await fetch("/api/v1/status", { cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      last = await response.json();
      updates++;
      document.body.dataset.updates = String(updates);
      connection.className = "connection-ok";
      connection.textContent = "";
      render();
    } catch (e) {
      connection.className = "connection-stale";
      connection.textContent = "no answer from the daemon (" + e.message + "); showing the last data";
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  textFilter.addEventListener("input", saveFilters);
  problemsOnly.addEventListener("change", saveFilters);
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  poll();
})();
