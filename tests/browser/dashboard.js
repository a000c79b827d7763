// dashboard.js - browser test of the sitrep dashboard (Playwright's
// playwright-core driving Debian's chromium; no browser download):
// loads the dashboard of a running `sitrep serve`, checks the map, timeline
// and table are drawn, applies a filter, clicks an event, checks that its
// sentence appears with the actors and verb marked and the kb rule shown,
// opens the whole article, and saves screenshots.
// Usage: node dashboard.js BASE_URL OUT_DIR
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, 'node_modules', 'playwright-core'));

const [base, outDir] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function check(cond, msg) {
  if (!cond) throw new Error('check failed: ' + msg);
  console.log('ok - ' + msg);
}

(async () => {
  const userDir = require('fs').mkdtempSync('/tmp/sitrep-browser-');
  // the profile directory is Playwright's userDataDir (it passes --user-data-dir)
  const browser = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run'],
  });
  let failed = false;
  try {
    const page = await browser.newPage();
    const errors = [];
    const offsite = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('request', (r) => { if (!r.url().startsWith(base)) offsite.push(r.url()); });

    await page.goto(base + '/', { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready]', { timeout: 15000 });
    const countries = await page.locator('#countries-layer path').count();
    check(countries > 100, `the map draws ${countries} countries`);
    const markers = await page.locator('#markers-layer circle').count();
    const located = await page.evaluate(async () => (await (await fetch('/api/places')).json()).features.length);
    check(markers === located, `the map has ${markers} place markers, one per located place (${located})`);
    const bars = await page.locator('#timeline rect').count();
    check(bars > 0, `the timeline has ${bars} bars`);
    const rows0 = await page.locator('#events tbody tr').count();
    check(rows0 > 0, `the table lists ${rows0} events`);
    await page.screenshot({ path: path.join(outDir, 'dashboard.png'), fullPage: true });

    // a filter: material conflict (quad 4)
    const before = await page.getAttribute('body', 'data-ready');
    await page.selectOption('#f-quad', '4');
    await page.click('#apply');
    await page.waitForFunction((b) => document.body.dataset.ready !== b, before, { timeout: 15000 });
    const cameos = await page.locator('#events tbody tr td:nth-child(4)').allTextContents();
    check(cameos.length > 0, `the quad 4 filter keeps ${cameos.length} events`);
    check(cameos.every((c) => /^(1[89]|20)/.test(c) || /^1[4-9]|^20/.test(c)),
          'every filtered event has a material-conflict CAMEO code (' + cameos.join(' ') + ')');
    const count = await page.textContent('#count');
    check(/of \d+/.test(count), 'the count reads "' + count + '"');

    // the view is in the URL: a reload keeps the filter
    const hash = await page.evaluate(() => location.hash);
    check(/quad=4/.test(hash), 'the filter is in the URL: ' + hash);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('body[data-ready]', { timeout: 15000 });
    check(await page.inputValue('#f-quad') === '4', 'a reload restores the filter');
    check(await page.textContent('#count') === count, 'a reload shows the same events');

    // click an event and see its sentence
    const row = page.locator('#events tbody tr').first();
    const sentText = (await row.locator('td.sent').textContent()).trim();
    await row.click();
    await page.waitForSelector('#sentence');
    const shown = (await page.textContent('#sentence')).trim();
    check(shown === sentText, 'the sentence shown is the event\'s: "' + shown.slice(0, 60) + '…"');
    const verb = await page.locator('#sentence mark.verb').count();
    const actors = await page.locator('#sentence mark.src, #sentence mark.tgt').count();
    check(verb > 0, 'the verb is marked');
    check(actors > 0, 'an actor is marked');
    const rule = await page.textContent('#rule');
    check(/^kb\/.+:\d+$/.test(rule), 'the rule that fired is shown: ' + rule);
    await page.screenshot({ path: path.join(outDir, 'dashboard-event.png'), fullPage: true });

    // the whole article with the event spans
    await page.click('#show-article');
    await page.waitForSelector('#article');
    const marks = await page.locator('#article mark').count();
    check(marks > 0, `the article shows ${marks} marked spans`);
    await page.locator('#detail-panel').screenshot({ path: path.join(outDir, 'dashboard-article.png') });

    check(errors.length === 0, 'no page errors' + (errors.length ? ': ' + errors.join('; ') : ''));
    check(offsite.length === 0, 'no request leaves the server' + (offsite.length ? ': ' + offsite.join(' ') : ''));
  } catch (e) {
    console.error('browser test: ' + e.message);
    failed = true;
  } finally {
    await browser.close();
    require('fs').rmSync(userDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
})();
