// The dashboard's behaviour: reads evserve's JSON API (same origin), draws with Chart.js, keeps the
// view (range, day, country, user) in the URL so that a view can be shared and Back works.
// Every request's failure (no data, 503, 400, network) becomes a message in its panel: no promise
// is left to reject and no chart is left blank.
"use strict";

(() => {
  // Read by the browser test (tests/browser): how many panel loads are in flight, when the first
  // complete view was drawn, when a chart last rendered, and a count of completed views; when this
  // file started, sent its first request, and what each chart took to create (page_timing.mjs).
  const state = { pending: 0, views: 0, drawnAt: null, lastRender: 0, errors: [], startedAt: performance.now(), firstRequest: null, chartTimes: [] };
  window.geDashboard = state;

  const $ = (id) => document.getElementById(id);
  const K = [1, 3, 7, 14, 30];
  const COLORS = ["#2f6fdf", "#e8833a", "#1a9f6e", "#b04fc5", "#c9384c", "#7a8699", "#2aa6c9", "#c2a200"];

  // ---- formatting ----------------------------------------------------------------------------
  // Made on first use: the first Intl.NumberFormat loads the browser's locale data (measured 40 to
  // 490 ms on a busy machine), which must not delay the page's requests.
  const numberFormat = (options) => {
    let made = null;
    return { format: (v) => (made || (made = new Intl.NumberFormat("en-US", options))).format(v) };
  };
  const intFmt = numberFormat({ maximumFractionDigits: 0 });
  const dec2 = numberFormat({ minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const dec4 = numberFormat({ minimumFractionDigits: 4, maximumFractionDigits: 4 });
  const usd = (v) => "$" + dec2.format(v);
  function duration(seconds) {
    const s = Math.round(seconds);
    if (s < 60) return s + "s";
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return h > 0 ? `${h}h ${m}m` : `${m}m ${r}s`;
  }
  const pct = (v) => (v * 100).toFixed(1) + "%";

  // ---- the view in the URL -------------------------------------------------------------------
  const VIEW_KEYS = ["from", "to", "day", "country", "user", "user_day"];
  function readView() {
    const q = new URLSearchParams(location.search);
    const view = {};
    for (const key of VIEW_KEYS) view[key] = q.get(key) || "";
    return view;
  }
  function viewQuery(view) {
    const q = new URLSearchParams();
    for (const key of VIEW_KEYS) if (view[key]) q.set(key, view[key]);
    const text = q.toString();
    return text ? "?" + text : location.pathname;
  }
  let view = readView();
  let dataset = null; // {first_event_day, last_data_day} of the live data
  let readyProblem = null; // why /readyz gave no dataset (no data, database down), for the range panels

  // ---- requests ------------------------------------------------------------------------------
  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
    const text = q.toString();
    return text ? "?" + text : "";
  }
  // A bearer token for an evserve started with --auth-token-file (docs/api.md, Access control):
  // pasted by the user, kept in this tab's sessionStorage only, sent as Authorization.
  const TOKEN_KEY = "evserve-token";
  const storage = (() => { try { return window.sessionStorage; } catch (e) { return null; } })();  // storage may be disabled
  let token = (storage && storage.getItem(TOKEN_KEY)) || "";
  function requestHeaders(accept) {
    return token ? { Accept: accept, Authorization: "Bearer " + token } : { Accept: accept };
  }
  // Never rejects: {ok, status, body, problem} where problem is a sentence for the page.
  async function getJSON(path) {
    if (state.firstRequest === null) state.firstRequest = performance.now();
    let response;
    try {
      response = await fetch(path, { headers: requestHeaders("application/json") });
    } catch (e) {
      return { ok: false, status: 0, body: null, problem: "evserve is not reachable (" + e.message + ")." };
    }
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (response.ok) return { ok: true, status: response.status, body, problem: null };
    return { ok: false, status: response.status, body, problem: describe(response, body) };
  }
  // The server's message as the end of a sentence (libpq's own messages end in "?" or ".").
  const ended = (text) => (/[.?!]$/.test(text) ? text : text + ".");
  function describe(response, body) {
    const message = body && (body.message || body.error) ? body.message || body.error : response.statusText;
    const retry = response.headers.get("Retry-After");
    if (response.status === 401) {
      showTokenForm();
      return token ? "The access token was refused (401): paste a valid one under “Access token” at the top."
                   : "This evserve needs an access token (401): paste one under “Access token” at the top.";
    }
    if (response.status === 503) {
      if (body && (body.error === "no_data" || body.reason === "no_data")) return "No data has been loaded yet: run evload, then reload this page.";
      return `The database is unavailable (503): ${ended(message)}` + (retry ? ` Try again in ${retry} s.` : "");
    }
    if (response.status === 400) {
      return `Bad request (400)` + (body && body.parameter ? ` in “${body.parameter}”` : "") + `: ${ended(message)}`;
    }
    if (response.status === 404) return `Not found: ${ended(message)}`;
    return `The server answered ${response.status}: ${ended(message)}`;
  }

  // ---- panels: a message line and a loading count --------------------------------------------
  function panelMessage(panelId, text, isError) {
    const el = document.querySelector(`#${panelId} > .message`);
    if (!text) { el.hidden = true; el.textContent = ""; el.classList.remove("error"); return; }
    el.textContent = text;
    el.classList.toggle("error", !!isError);
    el.hidden = false;
  }
  // Runs one panel's load; a newer load of the same panel makes older answers moot.
  const generations = {};
  async function load(panelId, work) {
    const generation = (generations[panelId] || 0) + 1;
    generations[panelId] = generation;
    const current = () => generations[panelId] === generation;
    state.pending++;
    try {
      await work(current);
    } catch (e) {
      // A bug of ours, not the server's: say so in the panel rather than in an uncaught error.
      state.errors.push(String(e && e.stack || e));
      if (current()) panelMessage(panelId, "This panel failed to draw: " + e.message, true);
    } finally {
      state.pending--;
      if (state.pending === 0) settled();
    }
  }
  function settled() {
    state.views++;
    if (state.drawnAt === null) {
      // The first complete view: wait a frame so that the last chart is on screen.
      // performance.mark "ge-drawn" is the time to a fully drawn page (tests/browser/page_timing.mjs).
      requestAnimationFrame(() => {
        state.drawnAt = Math.max(performance.now(), state.lastRender);
        performance.mark("ge-drawn", { startTime: state.drawnAt });
      });
    }
  }

  // ---- charts (Chart.js) ---------------------------------------------------------------------
  // index.html runs this file before Chart.js (both deferred): the API requests go out while the
  // browser compiles Chart.js's 200 KB, and the panels draw once it has run. DOMContentLoaded
  // comes after every deferred script.
  const charts = {};
  const chartsReady = new Promise((resolve) => {
    const setUp = () => {
      if (window.Chart) {
        Chart.defaults.animation = false;       // drawn at once: nothing to wait for, nothing to test around
        Chart.defaults.maintainAspectRatio = false;
        Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
        Chart.register({ id: "geRenderClock", afterRender() { state.lastRender = performance.now(); } });
      }
      resolve(!!window.Chart);
    };
    if (window.Chart) setUp();
    else document.addEventListener("DOMContentLoaded", setUp, { once: true });
  });
  // Drawing the first chart is the page's longest task (Chart.js compiles its code as it first
  // runs it): no chart draws before the range panels' requests are out, or their requests would
  // wait behind it for /readyz's answer to be read (start() holds this while it probes).
  let requestsOut = Promise.resolve();
  // An API answer, once the charts can be drawn.
  async function getForChart(path) {
    const [answer] = await Promise.all([getJSON(path), chartsReady, requestsOut]);
    return answer;
  }
  function chart(canvasId, config) {
    if (!window.Chart) throw new Error("Chart.js did not load");
    const canvas = $(canvasId);
    canvas.parentElement.hidden = false;
    if (canvas.closest("figure")) canvas.closest("figure").hidden = false;
    if (charts[canvasId]) charts[canvasId].destroy();
    const started = performance.now();
    charts[canvasId] = new Chart(canvas, config);
    state.chartTimes.push([canvasId, started, performance.now() - started]);
    canvas.dataset.points = String(config.data.labels.length);
    return charts[canvasId];
  }
  function hideChart(canvasId) {
    if (charts[canvasId]) { charts[canvasId].destroy(); delete charts[canvasId]; }
    const canvas = $(canvasId);
    canvas.dataset.points = "0";
    canvas.parentElement.hidden = true;
    if (canvas.closest("figure")) canvas.closest("figure").hidden = true;  // no caption over nothing
  }
  const axis = (title, position, extra) => Object.assign({ position, beginAtZero: true, title: { display: true, text: title },
    grid: { drawOnChartArea: position === "left" } }, extra || {});
  function twoAxisLine(labels, left, right) {
    return {
      type: "line",
      data: {
        labels,
        datasets: [
          ...left.map((s, i) => ({ label: s.label, data: s.data, yAxisID: "y", borderColor: COLORS[i], backgroundColor: COLORS[i],
                                   type: s.type || "line", pointRadius: labels.length > 60 ? 0 : 2 })),
          ...right.map((s, i) => ({ label: s.label, data: s.data, yAxisID: "y1", borderColor: COLORS[i + left.length],
                                    backgroundColor: COLORS[i + left.length], borderDash: [5, 3], pointRadius: labels.length > 60 ? 0 : 2 })),
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: { y: axis(left.map((s) => s.label).join(", "), "left"), y1: axis(right.map((s) => s.label).join(", "), "right") },
        plugins: { legend: { position: "bottom" } },
      },
    };
  }

  // ---- controls ------------------------------------------------------------------------------
  function fillControls() {
    $("from").value = view.from;
    $("to").value = view.to;
    $("day").value = view.day;
    ensureCountryOption(view.country);  // a shared link's country, before the country list arrives
    $("country").value = view.country;
    $("user-id").value = view.user;
    $("user-day").value = view.user_day;
  }
  function effectiveRange() {
    return {
      from: view.from || (dataset && dataset.first_event_day) || "",
      to: view.to || (dataset && dataset.last_data_day) || "",
    };
  }
  function go(next, push) {
    view = next;
    if (push) history.pushState(null, "", viewQuery(view));
    fillControls();
    refresh();
  }
  function ensureCountryOption(code) {
    const select = $("country");
    if (!code || [...select.options].some((o) => o.value === code)) return;
    select.add(new Option(code, code));
  }

  // ---- KPI tiles -----------------------------------------------------------------------------
  const TILES = [
    ["daily_active_users", "Daily active users", intFmt.format, "All time: users with any login"],
    ["new_users", "New users", intFmt.format],
    ["logins", "Logins", intFmt.format],
    ["revenue_usd", "Revenue", usd],
    ["payers", "Payers", intFmt.format, "Users with a transaction"],
    ["paid_users", "Paid users", intFmt.format, "Paid users with a login"],
    ["arpdau_usd", "ARPDAU", (v) => "$" + dec4.format(v)],
    ["arppu_usd", "ARPPU", (v) => "$" + dec4.format(v)],
    ["avg_sessions_per_user", "Sessions per user", dec2.format],
    ["avg_time_spent_seconds", "Time per user", duration],
  ];
  function loadKpis() {
    $("kpis-scope").textContent = `${view.day || "all time"} · ${view.country || "all countries"}`;
    return load("panel-kpis", async (current) => {
      const answer = await getJSON("/v1/game/stats" + query({ date: view.day, country: view.country }));
      if (!current()) return;
      const tiles = $("tiles");
      if (!answer.ok) { panelMessage("panel-kpis", answer.problem, answer.status !== 404); tiles.replaceChildren(); return; }
      panelMessage("panel-kpis", null);
      const s = answer.body;
      tiles.replaceChildren(...TILES.map(([field, label, format, hint]) => {
        const tile = document.createElement("div");
        tile.className = "tile";
        tile.dataset.field = field;
        const present = typeof s[field] === "number";
        tile.dataset.value = present ? String(s[field]) : "";
        tile.innerHTML = `<div class="label"></div><div class="value"></div>`;
        tile.querySelector(".label").textContent = label;
        tile.querySelector(".value").textContent = present ? format(s[field]) : "—";
        if (hint) tile.title = hint;
        if (field === "avg_time_spent_seconds" && present) tile.title = `${s[field]} seconds`;
        return tile;
      }));
      if (s.daily_active_users === 0 && s.logins === 0 && s.revenue_usd === 0) {
        panelMessage("panel-kpis", `No activity ${view.day ? "on " + view.day : "at all"}${view.country ? " in " + view.country : ""}.`);
      }
    });
  }

  // ---- daily series --------------------------------------------------------------------------
  function loadDaily() {
    const range = effectiveRange();
    const params = { from: range.from, to: range.to, country: view.country };
    $("daily-scope").textContent = `${range.from && range.to ? range.from + " – " + range.to : "whole range"} · ${view.country || "all countries"}`;
    $("daily-csv").href = "/v1/game/daily" + query({ ...params, format: "csv" });
    return load("panel-daily", async (current) => {
      const ids = ["chart-users", "chart-revenue", "chart-engagement"];
      if (!range.from || !range.to) { ids.forEach(hideChart); panelMessage("panel-daily", readyProblem || "No date range: no data is loaded.", !!readyProblem); return; }
      const answer = await getForChart("/v1/game/daily" + query(params));
      if (!current()) return;
      if (!answer.ok) { ids.forEach(hideChart); panelMessage("panel-daily", answer.problem, true); return; }
      const rows = Array.isArray(answer.body) ? answer.body : answer.body.rows || [];
      if (rows.length === 0 || rows.every((r) => !r.daily_active_users && !r.logins && !r.revenue_usd && !r.new_users)) {
        ids.forEach(hideChart);
        panelMessage("panel-daily", `No activity from ${range.from} to ${range.to}${view.country ? " in " + view.country : ""}.`);
        return;
      }
      panelMessage("panel-daily", null);
      const labels = rows.map((r) => r.date);
      const col = (f) => rows.map((r) => (typeof r[f] === "number" ? r[f] : null));
      chart("chart-users", twoAxisLine(labels, [{ label: "DAU", data: col("daily_active_users") }, { label: "New users", data: col("new_users") }], []));
      chart("chart-revenue", twoAxisLine(labels, [{ label: "Revenue USD", data: col("revenue_usd"), type: "bar" }], [{ label: "ARPDAU USD", data: col("arpdau_usd") }]));
      chart("chart-engagement", twoAxisLine(labels, [{ label: "Sessions per user", data: col("avg_sessions_per_user") }],
        [{ label: "Seconds per user", data: col("avg_time_spent_seconds") }]));
    });
  }

  // ---- countries side by side ----------------------------------------------------------------
  function loadCountries() {
    const params = { group_by: "country", date: view.day };
    $("countries-scope").textContent = view.day || "all time";
    $("countries-csv").href = "/v1/game/stats" + query({ ...params, format: "csv" });
    return load("panel-countries", async (current) => {
      const answer = await getForChart("/v1/game/stats" + query(params));
      if (!current()) return;
      if (!answer.ok) { hideChart("chart-countries"); panelMessage("panel-countries", answer.problem, true); return; }
      const rows = Array.isArray(answer.body) ? answer.body : answer.body.rows || [];
      rows.forEach((r) => ensureCountryOption(r.country));
      $("country").value = view.country;
      if (rows.length === 0) { hideChart("chart-countries"); panelMessage("panel-countries", "No countries: no users are loaded."); return; }
      panelMessage("panel-countries", view.country ? `${view.country} is highlighted; the other panels show it alone.` : null);
      const labels = rows.map((r) => r.country);
      const faded = (color) => rows.map((r) => (!view.country || r.country === view.country ? color : color + "55"));
      const config = {
        type: "bar",
        data: {
          labels,
          datasets: [
            { label: "DAU", data: rows.map((r) => r.daily_active_users), backgroundColor: faded(COLORS[0]), yAxisID: "y" },
            { label: "New users", data: rows.map((r) => (typeof r.new_users === "number" ? r.new_users : null)), backgroundColor: faded(COLORS[1]), yAxisID: "y" },
            { label: "Paid users", data: rows.map((r) => r.paid_users), backgroundColor: faded(COLORS[2]), yAxisID: "y" },
            { label: "Revenue USD", data: rows.map((r) => r.revenue_usd), backgroundColor: faded(COLORS[3]), yAxisID: "y1" },
          ],
        },
        options: {
          interaction: { mode: "index", intersect: false },
          scales: { y: axis("users", "left"), y1: axis("USD", "right") },
          plugins: { legend: { position: "bottom" } },
          onClick: (event, elements) => {
            if (!elements.length) return;
            const code = labels[elements[0].index];
            go({ ...view, country: view.country === code ? "" : code }, true);
          },
        },
      };
      chart("chart-countries", config);
    });
  }

  // ---- retention cohorts ---------------------------------------------------------------------
  function shade(rate) {
    // 0 → near white, 0.6 and above → the accent's darkest.
    const t = Math.min(1, rate / 0.6);
    return { background: `hsl(217, 72%, ${Math.round(96 - t * 52)}%)`, ink: t > 0.55 ? "#fff" : "#1d2330" };
  }
  function loadRetention() {
    const range = effectiveRange();
    const params = { from: range.from, to: range.to, country: view.country };
    $("retention-scope").textContent = `${range.from && range.to ? range.from + " – " + range.to : "whole range"} · ${view.country || "all countries"}`;
    $("retention-csv").href = "/v1/game/retention" + query({ ...params, format: "csv" });
    return load("panel-retention", async (current) => {
      const body = $("heatmap").tBodies[0];
      const table = $("heatmap");
      table.hidden = true;  // shown once it has rows
      if (!range.from || !range.to) { body.replaceChildren(); hideChart("chart-retention"); panelMessage("panel-retention", readyProblem || "No date range: no data is loaded.", !!readyProblem); return; }
      const answer = await getForChart("/v1/game/retention" + query(params));
      if (!current()) return;
      if (!answer.ok) { body.replaceChildren(); hideChart("chart-retention"); panelMessage("panel-retention", answer.problem, true); return; }
      const rows = Array.isArray(answer.body) ? answer.body : answer.body.rows || [];
      table.hidden = rows.length === 0;
      body.replaceChildren(...rows.map((r) => {
        const tr = document.createElement("tr");
        tr.dataset.date = r.date;
        const th = document.createElement("td");
        th.textContent = r.date;
        const size = document.createElement("td");
        size.textContent = intFmt.format(r.new_users);
        tr.append(th, size);
        for (const k of K) {
          const td = document.createElement("td");
          td.className = "rate";
          td.dataset.k = String(k);
          const rate = r["retention_d" + k];
          const retained = r["retained_d" + k];
          td.dataset.value = rate === null || rate === undefined ? "" : String(rate);
          if (typeof rate === "number") {
            const { background, ink } = shade(rate);
            td.style.background = background;
            td.style.color = ink;
            td.textContent = pct(rate);
            td.title = `${r.date} D${k}: ${retained} of ${r.new_users} users came back`;
          } else {
            td.title = retained === null || retained === undefined ? `D${k} is after the last data day` : "no users registered";
          }
          tr.append(td);
        }
        return tr;
      }));
      // The average curve: retained ÷ cohort size over the cohorts where day K is observable.
      const curve = K.map((k) => {
        let retained = 0, users = 0;
        for (const r of rows) {
          if (typeof r["retained_d" + k] === "number" && r.new_users > 0) { retained += r["retained_d" + k]; users += r.new_users; }
        }
        return users > 0 ? retained / users : null;
      });
      const cohorts = rows.filter((r) => r.new_users > 0).length;
      if (cohorts === 0) {
        hideChart("chart-retention");
        panelMessage("panel-retention", `Nobody registered from ${range.from} to ${range.to}${view.country ? " in " + view.country : ""}.`);
        return;
      }
      panelMessage("panel-retention", curve.every((v) => v === null) ? "No retention day is observable yet for these cohorts." : null);
      chart("chart-retention", {
        type: "line",
        data: { labels: K.map((k) => "D" + k),
                datasets: [{ label: "Retention", data: curve, borderColor: COLORS[0], backgroundColor: COLORS[0], spanGaps: false }] },
        options: {
          scales: { y: { beginAtZero: true, suggestedMax: 0.6, ticks: { callback: (v) => Math.round(v * 100) + "%" } } },
          plugins: { legend: { display: false },
                     tooltip: { callbacks: { label: (c) => (c.raw === null ? "not observable" : pct(c.raw)) } } },
        },
      });
    });
  }

  // ---- user lookup ---------------------------------------------------------------------------
  const USER_ROWS = [
    ["name", "Name", (v) => (v === null ? "(no name)" : v)],
    ["country", "Country", String],
    ["device_os", "Device", (v) => (v === null ? "—" : String(v))],
    ["marketing_campaign", "Campaign", (v) => (v === null ? "—" : String(v))],
    ["registered_at", "Registered", String],
    ["logins", "Logins", intFmt.format],
    ["sessions", "Sessions", intFmt.format],
    ["time_spent_seconds", "Time spent", duration],
    ["days_since_last_login", "Days since last login", (v) => (v === null ? "no login yet" : intFmt.format(v))],
    ["transactions", "Transactions", intFmt.format],
    ["revenue_usd", "Revenue", usd],
  ];
  const IDENTITY = new Set(["name", "country", "device_os", "marketing_campaign", "registered_at"]);
  function userCard(title, stats, figuresOnly) {
    const card = document.createElement("div");
    card.className = "card";
    const h = document.createElement("h3");
    h.textContent = title;
    const dl = document.createElement("dl");
    dl.className = "facts";
    for (const [field, label, format] of USER_ROWS) {
      if (!(field in stats) || (figuresOnly && IDENTITY.has(field))) continue;
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.dataset.field = field;
      dd.textContent = stats[field] === undefined ? "—" : format(stats[field]);
      dl.append(dt, dd);
    }
    card.append(h, dl);
    return card;
  }
  function loadUser() {
    const cards = $("user-cards");
    if (!view.user) { cards.replaceChildren(); panelMessage("panel-user", "Paste a user id to see the user's card, all time and for a day."); return Promise.resolve(); }
    const day = view.user_day || view.day || (dataset && dataset.last_data_day) || "";
    return load("panel-user", async (current) => {
      const path = "/v1/users/" + encodeURIComponent(view.user.trim()) + "/stats";
      const [all, one] = await Promise.all([getJSON(path), day ? getJSON(path + query({ date: day })) : Promise.resolve(null)]);
      if (!current()) return;
      if (!all.ok) { cards.replaceChildren(); panelMessage("panel-user", all.status === 404 ? "No user with this id." : all.problem, all.status !== 404); return; }
      panelMessage("panel-user", one && !one.ok ? one.problem : null, true);
      cards.replaceChildren(userCard("All time", all.body), ...(one && one.ok ? [userCard("On " + day, one.body, true)] : []));
      cards.dataset.user = all.body.user_id;
    });
  }

  // ---- latest load ---------------------------------------------------------------------------
  function loadLatest(answered) {
    return load("panel-load", async (current) => {
      const [answer] = await Promise.all([answered || getJSON("/v1/loads/latest"), chartsReady, requestsOut]);
      if (!current()) return;
      const facts = $("load-facts");
      if (!answer.ok) {
        facts.replaceChildren(); hideChart("chart-rejects"); hideChart("chart-phases");
        panelMessage("panel-load", answer.status === 404 ? "No load has run yet: run evload." : answer.problem, answer.status !== 404);
        return;
      }
      const run = answer.body;
      const report = run.report || {};
      const rows = [
        ["Run", "#" + run.run_id],
        ["Status", run.status],
        ["Started", run.started_at],
        ["Finished", run.finished_at || "—"],
        ["Events file", run.events_path + (run.events_bytes ? ` (${intFmt.format(run.events_bytes)} bytes)` : "")],
        ["Lines", typeof report.lines_total === "number" ? intFmt.format(report.lines_total) : "—"],
        ["Accepted", typeof report.accepted === "number" ? intFmt.format(report.accepted) : "—"],
        ["Rejected", typeof report.rejected === "number" ? intFmt.format(report.rejected) : "—"],
        ["evload", run.evload_version],
      ];
      if (run.error) rows.push(["Error", run.error]);
      facts.replaceChildren(...rows.flatMap(([k, v]) => {
        const dt = document.createElement("dt"); dt.textContent = k;
        const dd = document.createElement("dd"); dd.textContent = v;
        if (k === "Status") dd.className = "status-" + v;
        return [dt, dd];
      }));
      panelMessage("panel-load", run.status === "succeeded" ? null : `The latest load ${run.status}; the data shown is the last successful load's.`, run.status === "failed");
      const reasons = Object.entries(report.rejected_by_reason || {}).sort((a, b) => b[1] - a[1]);
      if (reasons.length) {
        chart("chart-rejects", { type: "bar", data: { labels: reasons.map((r) => r[0]),
          datasets: [{ label: "lines", data: reasons.map((r) => r[1]), backgroundColor: COLORS[4] }] },
          options: { indexAxis: "y", plugins: { legend: { display: false } } } });
      } else {
        hideChart("chart-rejects");
      }
      // In the order evload runs them (the report's JSON object comes back from jsonb reordered).
      const ORDER = ["prepare", "parse", "order", "build", "build_and_copy", "rejects", "index", "swap"];
      const rank = (name) => (ORDER.indexOf(name) < 0 ? ORDER.length : ORDER.indexOf(name));
      const phases = Object.entries(report.phase_seconds || {}).sort((a, b) => rank(a[0]) - rank(b[0]));
      if (phases.length) {
        chart("chart-phases", { type: "bar", data: { labels: phases.map((p) => p[0]),
          datasets: [{ label: "seconds", data: phases.map((p) => p[1]), backgroundColor: COLORS[0] }] },
          options: { indexAxis: "y", plugins: { legend: { display: false } } } });
      } else {
        hideChart("chart-phases");
      }
    });
  }

  // ---- the whole view ------------------------------------------------------------------------
  function refresh() {
    loadKpis();
    loadDaily();
    loadCountries();
    loadRetention();
    loadUser();
  }
  function globalMessage(text, isError) {
    const el = $("global-message");
    el.textContent = text || "";
    el.hidden = !text;
    el.classList.toggle("error", !!text && !!isError);
  }
  function setDataset(range) {
    dataset = range;
    for (const id of ["from", "to", "day", "user-day"]) {
      $(id).min = dataset.first_event_day || "";
      $(id).max = dataset.last_data_day || "";
    }
  }
  const lagText = (ms) => (typeof ms !== "number" ? "an unknown time" : ms < 10000 ? intFmt.format(ms) + " ms" : dec2.format(ms / 1000) + " s");

  // What /readyz says about the data (its range, or why there is none). On a hot standby whose
  // replay is behind --max-replica-lag-ms, /readyz answers 503 replica_lag while every data route
  // still answers with what the standby has replayed: the data is shown under a notice, its range
  // taken from the latest load when that is the run live on the standby.
  async function probeData(readyAnswer, latestAnswer) {
    const ready = await readyAnswer;
    dataset = null;
    readyProblem = null;
    let notice = null;
    if (ready.ok && ready.body.dataset) {
      setDataset(ready.body.dataset);
    } else if (ready.status === 503 && ready.body && ready.body.reason === "replica_lag") {
      const db = ready.body.database || {};
      notice = `This evserve reads a standby that is behind the primary by ${lagText(db.replay_lag_ms)}` +
        (typeof db.max_replica_lag_ms === "number" ? ` (its limit: ${lagText(db.max_replica_lag_ms)})` : "") +
        ": the figures may not include the latest changes yet.";
      const latest = await latestAnswer;
      const report = latest.ok && latest.body.report;
      if (report && report.first_event_day && report.last_data_day && latest.body.run_id === db.live_run_id) {
        setDataset({ first_event_day: report.first_event_day, last_data_day: report.last_data_day });
      } else {
        readyProblem = "The standby's data range is not known here: choose From and To.";
        notice += " " + readyProblem;
      }
    } else if (ready.status === 503 && ready.body && ready.body.reason === "no_data") {
      readyProblem = "No data has been loaded yet: run evload, then reload this page.";
    } else if (ready.status === 503) {
      readyProblem = "The database is unavailable (503): " + ended((ready.body && ready.body.message) || "not ready");
    } else {
      readyProblem = ready.problem || "evserve is not ready.";
    }
    const standby = $("standby-notice");
    standby.textContent = notice || "";
    standby.hidden = !notice;
    state.standbyNotice = notice;
    globalMessage(notice ? null : readyProblem, true);
  }

  // Every request of the view goes out at once: /readyz first, as the range panels wait for the
  // data's range (unless the URL names one), then what needs no range.
  async function start() {
    fillControls();
    state.pending++; // the data probe and the first view count as one load
    let allOut;
    requestsOut = new Promise((resolve) => { allOut = resolve; });
    try {
      const readyAnswer = getJSON("/readyz");
      const latestAnswer = getJSON("/v1/loads/latest");
      const rangeKnown = !!(view.from && view.to);
      if (rangeKnown) { loadDaily(); loadRetention(); }
      loadKpis();
      loadCountries();
      loadLatest(latestAnswer);
      await probeData(readyAnswer, latestAnswer);
      if (!rangeKnown) { loadDaily(); loadRetention(); }
      loadUser();
    } finally {
      allOut();
    }
    if (!(await chartsReady)) globalMessage("Chart.js did not load: the charts cannot be drawn.", true);
    state.pending--;
    if (state.pending === 0) settled();
  }

  // ---- the access token ----------------------------------------------------------------------
  function showTokenForm() {
    const form = $("token-form");
    if (!form.hidden) return;
    form.hidden = false;
    $("token-forget").hidden = !token;
  }
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    token = $("token").value.trim();
    if (storage) { if (token) storage.setItem(TOKEN_KEY, token); else storage.removeItem(TOKEN_KEY); }
    $("token").value = "";
    $("token").placeholder = token ? "a token is set" : "";
    $("token-forget").hidden = !token;
    start();
  });
  $("token-forget").addEventListener("click", () => {
    token = "";
    if (storage) storage.removeItem(TOKEN_KEY);
    $("token").placeholder = "";
    $("token-forget").hidden = true;
    start();
  });
  if (token) { showTokenForm(); $("token").placeholder = "a token is set"; }

  // A download link cannot send the token: with one, the CSV is fetched here and saved as a file.
  for (const link of document.querySelectorAll("a.csv")) {
    link.addEventListener("click", async (event) => {
      if (!token) return;
      event.preventDefault();
      const panelId = link.closest(".panel").id;
      try {
        const response = await fetch(link.href, { headers: requestHeaders("text/csv") });
        if (!response.ok) {
          let body = null;
          try { body = await response.json(); } catch (e) { body = null; }
          panelMessage(panelId, describe(response, body), true);
          return;
        }
        const disposition = response.headers.get("Content-Disposition") || "";
        const name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || "evserve.csv";
        const url = URL.createObjectURL(await response.blob());
        const save = document.createElement("a");
        save.href = url;
        save.download = name;
        document.body.append(save);
        save.click();
        save.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (e) {
        panelMessage(panelId, "The CSV could not be downloaded: " + e.message, true);
      }
    });
  }

  $("view").addEventListener("submit", (event) => {
    event.preventDefault();
    go({ ...view, from: $("from").value, to: $("to").value, day: $("day").value, country: $("country").value }, true);
  });
  $("country").addEventListener("change", () => go({ ...view, country: $("country").value }, true));
  $("reset").addEventListener("click", () => go({ ...view, from: "", to: "", day: "" }, true));
  $("user-form").addEventListener("submit", (event) => {
    event.preventDefault();
    go({ ...view, user: $("user-id").value.trim(), user_day: $("user-day").value }, true);
  });
  window.addEventListener("popstate", () => go(readView(), false));
  window.addEventListener("unhandledrejection", (event) => { state.errors.push(String(event.reason)); });

  start();
})();
