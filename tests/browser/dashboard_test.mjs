// The dashboard in a real browser: Debian's headless Chromium driven over the DevTools protocol by
// puppeteer-core (never downloads a browser). run.sh starts evserve on a loaded fixture and calls
//
//   node dashboard_test.mjs --url http://127.0.0.1:PORT --fixture DIR --screenshots DIR --stop-db 'CMD'
//       [--auth-url URL --auth-token TOKEN] [--standby-url URL --lag-standby 'CMD']
//
// --auth-url: an evserve on the same data with --auth-scope all and TOKEN in its token file.
// --standby-url: an evserve on a hot standby with --max-replica-lag-ms; CMD pauses the standby's
// replay and changes the primary, so that its /readyz answers 503 replica_lag.
//
// It prints every check, the count passed, and the time to a fully drawn page; it exits 1 on any
// failure. The figures it compares come from the API itself and from the fixture's expected
// answers (analytics.jsonl), never from numbers written here.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execSync } from "node:child_process";
import { launchChromium, drawnTiming } from "./page_timing.mjs";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
for (const required of ["url", "fixture", "screenshots", "stop-db"]) {
  if (!args[required]) { console.error(`dashboard_test: --${required} is required`); process.exit(2); }
}
const base = args.url.replace(/\/$/, "");
const chromium = args.chromium || process.env.CHROMIUM || "/usr/bin/chromium";
fs.mkdirSync(args.screenshots, { recursive: true });

let passed = 0;
const failures = [];
function check(condition, what, detail) {
  if (condition) { passed++; console.log(`ok: ${what}`); }
  else { failures.push(what); console.log(`FAIL: ${what}${detail === undefined ? "" : ": " + detail}`); }
  return condition;
}

const analytics = fs.readFileSync(path.join(args.fixture, "analytics.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const queries = fs.readFileSync(path.join(args.fixture, "queries.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));

async function api(pathAndQuery, origin = base, headers = {}) {
  const response = await fetch(origin + pathAndQuery, { headers });
  return { status: response.status, body: await response.json() };
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "ge-chromium-"));
const browser = await launchChromium(chromium, profile);

// The CSV buttons are clicked: nothing is saved to disk.
await (await browser.target().createCDPSession()).send("Browser.setDownloadBehavior", { behavior: "deny" });

// What the page did wrong since the last reset: console errors, uncaught errors, failed requests.
let problems = [];
let allowHttpErrors = false;
function watch(page) {
  page.on("console", (m) => { if (m.type() === "error" && !(allowHttpErrors && /Failed to load resource/.test(m.text()))) problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("uncaught: " + e.message));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`));
  page.on("response", (r) => { if (r.status() >= 400 && !allowHttpErrors) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
}
// Waits until every panel load the page started is done and at least `views` views completed.
async function settled(page, views) {
  await page.waitForFunction((v) => window.geDashboard && window.geDashboard.pending === 0 && window.geDashboard.views >= v,
    { timeout: 15000, polling: 20 }, views);
}
const viewCount = (page) => page.evaluate(() => window.geDashboard.views);
const tiles = (page) => page.$$eval(".tile", (els) => Object.fromEntries(els.map((e) => [e.dataset.field, { value: e.dataset.value, text: e.querySelector(".value").textContent }])));
const chartData = (page, id) => page.evaluate((cid) => {
  const c = window.Chart.getChart(cid);
  return c ? { labels: c.data.labels, data: c.data.datasets.map((d) => d.data) } : null;
}, id);
const heatmap = (page) => page.$$eval("#heatmap tbody tr", (rows) => rows.map((tr) => ({
  date: tr.dataset.date,
  cells: Object.fromEntries([...tr.querySelectorAll("td.rate")].map((td) => [td.dataset.k, { value: td.dataset.value, text: td.textContent }])),
})));

function compareTiles(actual, stats, what) {
  const fields = ["daily_active_users", "new_users", "logins", "revenue_usd", "payers", "paid_users", "arpdau_usd", "arppu_usd",
                  "avg_sessions_per_user", "avg_time_spent_seconds"];
  const wrong = fields.filter((f) => !actual[f] || Number(actual[f].value) !== stats[f] || actual[f].text === "" || actual[f].text === "—");
  check(wrong.length === 0, `${what}: the 10 KPI tiles show the API's figures`, wrong.map((f) => `${f}: tile ${JSON.stringify(actual[f])} API ${stats[f]}`).join("; "));
  // The integer tiles' text is the API's number with thousands separators.
  const ints = ["daily_active_users", "new_users", "logins", "payers", "paid_users"];
  const badText = ints.filter((f) => actual[f] && actual[f].text.replace(/,/g, "") !== String(stats[f]));
  check(badText.length === 0, `${what}: integer tiles read as the API's numbers`, badText.join(", "));
}

function compareHeatmap(actual, expected, what) {
  const wrong = [];
  if (actual.length !== expected.length) wrong.push(`${actual.length} rows, expected ${expected.length}`);
  expected.forEach((row, i) => {
    const got = actual[i];
    if (!got || got.date !== row.date) { wrong.push(`row ${i}: ${got && got.date} vs ${row.date}`); return; }
    for (const k of [1, 3, 7, 14, 30]) {
      const want = row["retention_d" + k];
      const cell = got.cells[String(k)];
      const ok = want === null ? cell.value === "" && cell.text === "" : Number(cell.value) === want && cell.text !== "";
      if (!ok) wrong.push(`${row.date} D${k}: cell ${JSON.stringify(cell)} expected ${want}`);
    }
  });
  check(wrong.length === 0, `${what}: every heatmap cell equals the fixture's expected retention (${expected.length} rows × 5)`, wrong.slice(0, 5).join("; "));
}

try {
  // ---- 1. The default view, cold: time to a fully drawn page ---------------------------------
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 900 });
  // The browser's own start (renderer process, first connection) is not the page's: warm them up
  // on a small answer of the same origin first. The page's assets are not cached yet.
  await page.goto(base + "/healthz", { waitUntil: "load" });
  watch(page);
  await page.goto(base + "/", { waitUntil: "load" });
  await settled(page, 1);
  // The page's own "drawn" mark (every panel answered and drawn, one frame later); make
  // bench-dashboard (page_timing.mjs) gives medians of several runs and the requests' waterfall.
  const timing = await drawnTiming(page);
  console.log(`time to fully drawn page: ${timing.drawn.toFixed(0)} ms (DOMContentLoaded ${timing.domContentLoaded.toFixed(0)} ms, ` +
              `load ${timing.load.toFixed(0)} ms, last chart rendered ${timing.lastChart.toFixed(0)} ms after navigation start)`);
  check(problems.length === 0, "default view: no console error, no failed request", problems.join(" | "));
  check(timing.requests.length > 0 && timing.drawn >= timing.requests.reduce((m, r) => Math.max(m, r.end), 0),
        "the drawn mark comes after the page's last answer", JSON.stringify(timing.requests.map((r) => [r.name, r.end])));
  // Again with the assets in the browser's cache (a returning visitor; the API answers revalidate).
  await page.reload({ waitUntil: "load" });
  await settled(page, 1);
  const warm = (await drawnTiming(page)).drawn;
  console.log(`time to fully drawn page, assets cached: ${warm.toFixed(0)} ms`);

  const ready = await api("/readyz");
  const { first_event_day: first, last_data_day: last } = ready.body.dataset;
  const users = await chartData(page, "chart-users");
  const days = Math.round((Date.parse(last) - Date.parse(first)) / 86400000) + 1;
  check(users && users.labels.length === days && users.labels[0] === first && users.labels.at(-1) === last,
        `default range is the data's whole range ${first}..${last}`, users && `${users.labels[0]}..${users.labels.at(-1)}`);
  for (const id of ["chart-users", "chart-revenue", "chart-engagement", "chart-countries", "chart-retention", "chart-rejects", "chart-phases"]) {
    const data = await chartData(page, id);
    check(data && data.labels.length > 0 && data.data.some((d) => d.some((v) => v !== null && v !== 0)), `chart ${id} is drawn with data`);
  }
  compareTiles(await tiles(page), (await api("/v1/game/stats")).body, "all time, all countries");
  const daily = (await api(`/v1/game/daily?from=${first}&to=${last}`)).body;
  check(JSON.stringify(users.data[0]) === JSON.stringify(daily.map((r) => r.daily_active_users)), "DAU chart = /v1/game/daily");
  const grouped = (await api("/v1/game/stats?group_by=country")).body;
  const countries = await chartData(page, "chart-countries");
  check(JSON.stringify(countries.labels) === JSON.stringify(grouped.map((r) => r.country)) &&
        JSON.stringify(countries.data[0]) === JSON.stringify(grouped.map((r) => r.daily_active_users)), "country bars = group_by=country");
  const latest = (await api("/v1/loads/latest")).body;
  const rejects = await chartData(page, "chart-rejects");
  const rejectsTotal = rejects.data[0].reduce((a, b) => a + b, 0);
  check(rejectsTotal === latest.report.rejected, `rejects by reason add up to the load's ${latest.report.rejected} rejected lines`);
  const facts = await page.$eval("#load-facts", (el) => el.textContent);
  check(facts.includes(latest.status) && facts.includes(latest.report.accepted.toLocaleString("en-US")), "latest load: status and accepted lines");
  const csv = await page.$$eval("a.csv", (as) => as.map((a) => a.getAttribute("href")));
  check(csv.length === 3 && csv.every((h) => h.includes("format=csv")), "a CSV link beside the grouped, daily and retention charts", csv.join(" "));

  // Screenshots of each panel (committed for the nordeus-like fixture under docs/img/).
  for (const id of ["panel-kpis", "panel-daily", "panel-countries", "panel-retention", "panel-load"]) {
    await (await page.$("#" + id)).screenshot({ path: path.join(args.screenshots, `dashboard-${id.replace("panel-", "")}.png`) });
  }

  // ---- 2. Retention: the fixture's expected cohorts ------------------------------------------
  const expectedAll = analytics.find((q) => q.kind === "retention" && !q.params.country && Array.isArray(q.expect));
  const expectedCountry = analytics.find((q) => q.kind === "retention" && q.params.country && Array.isArray(q.expect) &&
                                                q.params.from === expectedAll.params.from && q.params.to === expectedAll.params.to);
  problems = [];
  let views = await viewCount(page);
  await page.goto(`${base}/?from=${expectedAll.params.from}&to=${expectedAll.params.to}`, { waitUntil: "load" });
  await settled(page, 1);
  compareHeatmap(await heatmap(page), expectedAll.expect, `retention ${expectedAll.params.from}..${expectedAll.params.to}`);

  // ---- 3. Changing the country updates the charts and the URL --------------------------------
  views = await viewCount(page);
  await page.select("#country", expectedCountry.params.country);
  await settled(page, views + 1);
  const c = expectedCountry.params.country;
  check(new URL(page.url()).searchParams.get("country") === c, `choosing ${c} puts country=${c} in the URL`, page.url());
  compareHeatmap(await heatmap(page), expectedCountry.expect, `retention in ${c}`);
  compareTiles(await tiles(page), (await api(`/v1/game/stats?country=${c}`)).body, `all time, ${c}`);
  const dailyC = (await api(`/v1/game/daily?from=${expectedAll.params.from}&to=${expectedAll.params.to}&country=${c}`)).body;
  const usersC = await chartData(page, "chart-users");
  check(JSON.stringify(usersC.data[0]) === JSON.stringify(dailyC.map((r) => r.daily_active_users)), `DAU chart follows the country (${c})`);

  // ---- 4. Changing the range (and the day) updates the charts and the URL; Back restores -----
  const from = analytics.find((q) => q.kind === "daily" && q.params.from !== q.params.to && !q.params.country && Array.isArray(q.expect)).params;
  views = await viewCount(page);
  await page.$eval("#from", (el, v) => { el.value = v; }, from.from);
  await page.$eval("#to", (el, v) => { el.value = v; }, from.to);
  await page.$eval("#day", (el, v) => { el.value = v; }, last);
  await page.click("#view button[type=submit]");
  await settled(page, views + 1);
  const q = new URL(page.url()).searchParams;
  check(q.get("from") === from.from && q.get("to") === from.to && q.get("day") === last && q.get("country") === c,
        "the new range and day are in the URL", page.url());
  const ranged = await chartData(page, "chart-users");
  const expectedDaily = (await api(`/v1/game/daily?from=${from.from}&to=${from.to}&country=${c}`)).body;
  check(JSON.stringify(ranged.labels) === JSON.stringify(expectedDaily.map((r) => r.date)) &&
        JSON.stringify(ranged.data[0]) === JSON.stringify(expectedDaily.map((r) => r.daily_active_users)), `the charts show ${from.from}..${from.to}`);
  compareTiles(await tiles(page), (await api(`/v1/game/stats?date=${last}&country=${c}`)).body, `${last}, ${c}`);
  views = await viewCount(page);
  await page.goBack();
  await settled(page, views + 1);
  const back = new URL(page.url()).searchParams;
  const backChart = await chartData(page, "chart-users");
  check(back.get("from") === expectedAll.params.from && !back.get("day") && (await page.$eval("#from", (el) => el.value)) === expectedAll.params.from &&
        backChart.labels[0] === expectedAll.params.from, "Back restores the previous view (URL, controls, charts)");
  check(problems.length === 0, "changing views: no console error, no failed request", problems.join(" | "));

  // ---- 5. User lookup ------------------------------------------------------------------------
  const userQuery = queries.find((x) => x.kind === "user" && x.params && x.params.date && x.expect && x.expect.logins > 0) ||
                    queries.find((x) => x.kind === "user" && x.expect && !x.expect.error);
  if (check(userQuery !== undefined, "the fixture has a user query")) {
    const id = userQuery.params.user_id;
    views = await viewCount(page);
    await page.$eval("#user-id", (el, v) => { el.value = v; }, id);
    if (userQuery.params.date) await page.$eval("#user-day", (el, v) => { el.value = v; }, userQuery.params.date);
    await page.click("#user-form button[type=submit]");
    await settled(page, views + 1);
    const cards = await page.$$eval("#user-cards .card", (cs) => cs.map((card) => Object.fromEntries(
      [...card.querySelectorAll("dd")].map((dd) => [dd.dataset.field, dd.textContent]))));
    const allTime = (await api(`/v1/users/${id}/stats`)).body;
    check(cards.length >= 1 && cards[0].logins === allTime.logins.toLocaleString("en-US"), "user card: all-time logins = API", JSON.stringify(cards[0]));
    if (userQuery.params.date) {
      check(cards.length === 2 && cards[1].logins === String(userQuery.expect.logins), `user card on ${userQuery.params.date}: the fixture's logins`, JSON.stringify(cards[1]));
    }
    check(new URL(page.url()).searchParams.get("user") === id, "the user is in the URL");
    await (await page.$("#panel-user")).screenshot({ path: path.join(args.screenshots, "dashboard-user.png") });
  }

  // ---- 6. A phone: no sideways scrolling -----------------------------------------------------
  const phone = await browser.newPage();
  await phone.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  watch(phone);
  await phone.goto(base + "/", { waitUntil: "load" });
  await settled(phone, 1);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, "on a 390 px phone the page fits the width", `${overflow} px too wide`);
  await phone.screenshot({ path: path.join(args.screenshots, "dashboard-phone.png"), fullPage: false });
  await phone.close();

  // ---- 7. Bearer tokens: a 401 asks for a token, which the page then sends -------------------
  allowHttpErrors = true;
  if (args["auth-url"]) {
    const authBase = args["auth-url"].replace(/\/$/, "");
    const auth = { Authorization: "Bearer " + args["auth-token"] };
    const ap = await browser.newPage();
    await ap.setViewport({ width: 1366, height: 900 });
    watch(ap);
    problems = [];
    const unauthorized = [];
    ap.on("response", (r) => { if (r.status() === 401) unauthorized.push(r.url()); });
    await ap.goto(authBase + "/", { waitUntil: "load" });
    await settled(ap, 1);
    const asked = await ap.$eval("#panel-kpis > .message", (el) => (el.hidden ? "" : el.textContent));
    check(unauthorized.length > 0 && /\(401\)/.test(asked) && /access token/i.test(asked) && (await ap.$$(".tile")).length === 0,
          "--auth-scope all: a 401 is a message asking for an access token", asked);
    check(await ap.$eval("#token-form", (el) => !el.hidden), "--auth-scope all: the access token field is shown");
    await ap.screenshot({ path: path.join(args.screenshots, "dashboard-token.png") });
    let views = await viewCount(ap);
    await ap.type("#token", "not-the-token");
    await ap.click("#token-form button[type=submit]");
    await settled(ap, views + 1);
    const refused = await ap.$eval("#panel-kpis > .message", (el) => (el.hidden ? "" : el.textContent));
    check(/refused \(401\)/.test(refused), "a wrong token: the page says it was refused", refused);
    unauthorized.length = 0;
    views = await viewCount(ap);
    await ap.type("#token", args["auth-token"]);
    await ap.click("#token-form button[type=submit]");
    await settled(ap, views + 1);
    compareTiles(await tiles(ap), (await api("/v1/game/stats", authBase, auth)).body, "with the token");
    const authDaily = await chartData(ap, "chart-users");
    check(unauthorized.length === 0 && authDaily && authDaily.labels.length > 0, "with the token: no 401, the charts are drawn", unauthorized.join(" "));
    check((await ap.evaluate(() => sessionStorage.getItem("evserve-token"))) === args["auth-token"], "the token is kept in sessionStorage");
    // A new load of the page in this tab sends it at once.
    await ap.reload({ waitUntil: "load" });
    await settled(ap, 1);
    check(unauthorized.length === 0 && (await ap.$$(".tile")).length === 10, "a reload sends the kept token: no 401");
    // The CSV button fetches with the token (a plain link could not send it).
    const csvAnswer = ap.waitForResponse((r) => r.url().includes("format=csv"), { timeout: 10000 });
    await ap.click("#daily-csv");
    const csv = await csvAnswer;
    check(csv.status() === 200 && csv.request().headers().authorization === auth.Authorization && /^text\/csv/.test(csv.headers()["content-type"]),
          "the daily CSV download sends the token", `${csv.status()} ${csv.headers()["content-type"]}`);
    check(problems.filter((p) => !/401/.test(p)).length === 0, "bearer tokens: no console error but the 401s, no uncaught error", problems.join(" | "));
    await ap.close();
  }

  // ---- 8. A standby behind the primary: the data with a notice --------------------------------
  if (args["standby-url"]) {
    const standbyBase = args["standby-url"].replace(/\/$/, "");
    execSync(args["lag-standby"], { stdio: "inherit" });
    let lagging = null;
    for (let i = 0; i < 200 && !lagging; i++) {
      const r = await api("/readyz", standbyBase);
      if (r.status === 503 && r.body.reason === "replica_lag") lagging = r.body;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (check(lagging !== null, "the standby's /readyz answers 503 replica_lag once its replay is paused behind a load")) {
      const sp = await browser.newPage();
      await sp.setViewport({ width: 1366, height: 900 });
      watch(sp);
      problems = [];
      await sp.goto(standbyBase + "/", { waitUntil: "load" });
      await settled(sp, 1);
      const notice = await sp.$eval("#standby-notice", (el) => (el.hidden ? "" : el.textContent));
      check(/standby that is behind the primary by [\d,.]+ (ms|s)/.test(notice), "replica_lag: the page says how far behind the standby is", notice);
      const shown = await sp.$$eval(".panel > .message:not([hidden]), #global-message:not([hidden])", (els) => els.map((e) => e.textContent));
      check(!shown.some((m) => /unavailable|503/.test(m)), "replica_lag: no \"database unavailable\" message", JSON.stringify(shown));
      compareTiles(await tiles(sp), (await api("/v1/game/stats", standbyBase)).body, "replica_lag");
      for (const id of ["chart-users", "chart-countries", "chart-retention"]) {
        const data = await chartData(sp, id);
        check(data && data.labels.length > 0, `replica_lag: chart ${id} is drawn`);
      }
      check(problems.filter((p) => !/503/.test(p)).length === 0, "replica_lag: no console error but /readyz's 503, no uncaught error", problems.join(" | "));
      await sp.screenshot({ path: path.join(args.screenshots, "dashboard-standby.png") });
      await sp.close();
    }
  }

  // ---- 9. A 400 and a 503 appear as messages -------------------------------------------------
  problems = [];
  await page.goto(`${base}/?day=2010-02-30`, { waitUntil: "load" });
  await settled(page, 1);
  const badMessage = await page.$eval("#panel-kpis > .message", (el) => (el.hidden ? "" : el.textContent));
  check(/Bad request \(400\).*date/.test(badMessage), "a 400 is a message naming the parameter", badMessage);
  check(problems.length === 0, "a 400: no uncaught error", problems.join(" | "));

  execSync(args["stop-db"], { stdio: "inherit" });
  problems = [];
  await page.goto(`${base}/?country=${c}`, { waitUntil: "load" });
  await settled(page, 1);
  const messages = await page.$$eval(".panel > .message:not([hidden]), #global-message:not([hidden])", (els) => els.map((e) => e.textContent));
  check(messages.some((m) => /database is unavailable \(503\)/.test(m)), "database stopped: the 503 message appears", JSON.stringify(messages));
  const kpiMessage = await page.$eval("#panel-kpis > .message", (el) => (el.hidden ? "" : el.textContent));
  check(/503/.test(kpiMessage) && (await page.$$(".tile")).length === 0, "database stopped: the KPI panel says so instead of tiles", kpiMessage);
  const drawnCharts = await page.evaluate(() => [...document.querySelectorAll("canvas")].filter((c) => window.Chart.getChart(c) && !c.parentElement.hidden).length);
  check(drawnCharts === 0, "database stopped: no blank chart is left on the page", `${drawnCharts} charts`);
  check(problems.length === 0 && (await page.evaluate(() => window.geDashboard.errors.length)) === 0, "database stopped: no uncaught error", problems.join(" | "));
  await page.screenshot({ path: path.join(args.screenshots, "dashboard-503.png") });
} catch (e) {
  check(false, "the browser test ran to its end", e.stack);
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

console.log(`browser test: ${passed} checks passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
