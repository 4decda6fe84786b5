// The dashboard's time to a fully drawn page, measured in headless Chromium: from navigation start
// to the moment the page itself marks as drawn (performance.mark "ge-drawn": every panel's
// requests answered and its charts rendered, one frame later; see app.js).
//
//   node page_timing.mjs --url http://127.0.0.1:PORT [--runs 5] [--path /]
//
// Each run opens a fresh browser context (an empty HTTP cache: a first visit, "cold"), loads the
// page, then reloads it (the assets from the cache, the API answers revalidated: a returning
// visitor, "warm"). The browser process and its first connection are warmed on /healthz first, and
// evserve's database pool on the page's own API requests, so that the figure is the page's, not a
// browser's or a server's start. Prints every run, the medians, and the requests of the median cold
// run as a waterfall (start and end after navigation start, bytes over the wire).
//
// Beside the wall-clock figures, the CPU time the page took (DevTools' Performance metrics in
// thread time): of the renderer's main thread, and of the whole renderer process (Chart.js is
// compiled off the main thread too). On a machine shared with other work, wall-clock time is
// this CPU time stretched by waiting for a core; the CPU time is what the page itself costs.
import puppeteer from "puppeteer-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Launches Chromium as the tests do (no sandbox as root, no GPU, no background traffic).
export async function launchChromium(executablePath, profile) {
  return puppeteer.launch({
    executablePath,
    userDataDir: profile,
    headless: true,
    args: [
      ...(process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : []),  // root has no user namespaces sandbox
      "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ],
  });
}

// Waits for the page's own "drawn" mark and returns the page's timings (ms after navigation start).
export async function drawnTiming(page, timeout = 15000) {
  await page.waitForFunction(() => performance.getEntriesByName("ge-drawn").length > 0, { timeout, polling: 10 });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const requests = performance.getEntriesByType("resource").map((r) => ({
      name: r.name.replace(location.origin, ""), start: r.startTime, end: r.responseEnd, bytes: r.transferSize,
    }));
    return {
      drawn: performance.getEntriesByName("ge-drawn")[0].startTime,
      html: nav.responseEnd,
      domContentLoaded: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
      lastChart: window.geDashboard.lastRender,
      scriptStart: window.geDashboard.startedAt,
      firstRequest: window.geDashboard.firstRequest,
      charts: window.geDashboard.chartTimes.map(([id, start, ms]) => ({ id, start, ms })),
      requests,
    };
  });
}

// CPU time of the page's renderer from now: since() gives {mainCpu, rendererCpu} in ms.
async function cpuClock(page) {
  const cdp = await page.createCDPSession();
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  const read = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  const before = await read();
  return {
    async since() {
      const after = await read();
      await cdp.detach();
      return { mainCpu: (after.ThreadTime - before.ThreadTime) * 1000, rendererCpu: (after.ProcessTime - before.ProcessTime) * 1000 };
    },
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

async function main() {
  const args = { runs: "5", path: "/" };
  for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
  if (!args.url) { console.error("page_timing: --url is required"); process.exit(2); }
  const base = args.url.replace(/\/$/, "");
  const runs = Number(args.runs);
  const chromium = args.chromium || process.env.CHROMIUM || "/usr/bin/chromium";
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "ge-timing-"));
  const browser = await launchChromium(chromium, profile);
  const results = [];
  try {
    // evserve's pool and prepared statements: warmed by one visit that is not counted.
    {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.goto(base + args.path, { waitUntil: "load" });
      await drawnTiming(page);
      await context.close();
    }
    for (let run = 1; run <= runs; run++) {
      const context = await browser.createBrowserContext();  // its own empty cache
      const page = await context.newPage();
      await page.setViewport({ width: 1366, height: 900 });
      await page.goto(base + "/healthz", { waitUntil: "load" });
      const cpu = await cpuClock(page);
      await page.goto(base + args.path, { waitUntil: "load" });
      const cold = await drawnTiming(page);
      Object.assign(cold, await cpu.since());
      const cpuWarm = await cpuClock(page);
      await page.reload({ waitUntil: "load" });
      const warm = await drawnTiming(page);
      Object.assign(warm, await cpuWarm.since());
      await context.close();
      results.push({ cold, warm });
      console.log(`run ${run}: cold ${cold.drawn.toFixed(0)} ms (HTML ${cold.html.toFixed(0)}, app.js ran ${cold.scriptStart.toFixed(0)}, first API request ${cold.firstRequest.toFixed(0)}, ` +
                  `DOMContentLoaded ${cold.domContentLoaded.toFixed(0)}, load ${cold.load.toFixed(0)}, last chart ${cold.lastChart.toFixed(0)}), ` +
                  `warm ${warm.drawn.toFixed(0)} ms; ${cold.requests.length} requests; CPU cold ${cold.mainCpu.toFixed(0)} ms main thread, ` +
                  `${cold.rendererCpu.toFixed(0)} ms renderer, warm ${warm.mainCpu.toFixed(0)} / ${warm.rendererCpu.toFixed(0)} ms`);
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const cold = median(results.map((r) => r.cold.drawn));
  const warm = median(results.map((r) => r.warm.drawn));
  const typical = results.reduce((best, r) => (Math.abs(r.cold.drawn - cold) < Math.abs(best.cold.drawn - cold) ? r : best)).cold;
  console.log(`requests of the median cold run (ms after navigation start):`);
  for (const r of typical.requests.sort((a, b) => a.start - b.start)) {
    console.log(`  ${r.start.toFixed(0).padStart(5)} → ${r.end.toFixed(0).padStart(5)}  ${String(r.bytes).padStart(7)} B  ${r.name}`);
  }
  console.log(`charts of the median cold run (created at, ms spent):`);
  for (const c of typical.charts) console.log(`  ${c.start.toFixed(0).padStart(5)}  ${c.ms.toFixed(0).padStart(4)} ms  ${c.id}`);
  const cpu = (key, which) => median(results.map((r) => r[which][key])).toFixed(0);
  console.log(`CPU time of the page (median of ${runs}): cold ${cpu("mainCpu", "cold")} ms main thread, ${cpu("rendererCpu", "cold")} ms renderer; ` +
              `warm ${cpu("mainCpu", "warm")} ms main thread, ${cpu("rendererCpu", "warm")} ms renderer`);
  console.log(`time to a fully drawn page (median of ${runs}): cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
