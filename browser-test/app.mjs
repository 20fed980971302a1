// Browser test of issue 13: the SMART app at /app/ against a running critcare-cds started with the demo profile,
// driven with Debian's Chromium through playwright-core. Usage: node app.mjs http://localhost:PORT [screenshot dir]
// Exits non-zero on any failed check; prints one line per check and keeps screenshots as test artifacts.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';

const cds = (process.argv[2] || process.env.CDS_BASE || '').replace(/\/+$/, '');
const shots = process.argv[3] || 'target/browser-test';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const MAP_RULE = 'SEPTIC-SHOCK-MAP-BELOW-TARGET';
const MAP_CARD = {
  en: 'MAP 58 mmHg is below the usual ≥65 mmHg target (sepsis). Review perfusion and vasopressor plan.',
  ja: 'MAP 58 mmHgは通常の目標（≥65 mmHg）を下回っています（敗血症）。組織灌流と昇圧薬の計画を見直してください。'
};
const AUDIT = 'http://example.org/cds/CodeSystem/cds-feedback|card-feedback';

function check(condition, what) {
  if (!condition) {
    throw new Error('FAILED: ' + what);
  }
  console.log('ok - ' + what);
}

async function fhirCount(query) {
  const bundle = await fetch(`${cds}/fhir/${query}&_summary=count`).then((r) => r.json());
  return bundle.total;
}

// The smart link of the rule's card in a real patient-view answer (CDS Hooks 2.0 §Link), as an EHR gets it.
async function smartLink(patient, rule) {
  const response = await fetch(`${cds}/cds-services/sepsis-perfusion`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': 'en' },
    body: JSON.stringify({
      hook: 'patient-view',
      hookInstance: crypto.randomUUID(),
      context: { userId: 'Practitioner/browser-test', patientId: patient },
    }),
  });
  check(response.status === 200, `patient-view call for ${patient} answered (${response.status})`);
  const cards = (await response.json()).cards ?? [];
  const card = cards.find((c) => c.source?.topic?.code === rule);
  check(card !== undefined, `the answer has the ${rule} card`);
  const links = (card.links ?? []).filter((l) => l.type === 'smart');
  check(links.length === 1, 'the card has one smart link');
  check(JSON.parse(links[0].appContext).rule === rule && JSON.parse(links[0].appContext).patient === patient,
    'its appContext names the rule and the patient');
  return links[0];
}

async function main() {
  await mkdir(shots, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    // the clinician opens the smart link of a card the server gave the EHR, launched as an EHR does (iss, launch)
    const link = await smartLink('demo-sepsis', MAP_RULE);
    check(link.url === `${cds}/app/launch.html?patient=demo-sepsis&rule=${MAP_RULE}`,
      `the open server's card links to the app naming patient and rule (${link.url})`);
    const launch = new URL(link.url);
    launch.searchParams.set('iss', `${cds}/fhir`);
    launch.searchParams.set('launch', 'ehr-launch-1');
    const started = Date.now();
    await page.goto(launch.href);
    const card = page.locator(`.card[data-rule="${MAP_RULE}"]`);
    await card.waitFor({ timeout: 30000 });
    await page.locator('#perfusion-chart').waitFor({ timeout: 30000 });
    console.log(`# patient view with chart and cards after ${Date.now() - started} ms`);
    check(await page.locator('h2.patient-name').getAttribute('data-patient') === 'demo-sepsis',
      'the card link lands on that patient, not the patient list');
    check(await card.locator('.summary').textContent() === MAP_CARD.en, 'English MAP card shown with its exact summary');
    check(await card.evaluate((node) => node.classList.contains('focused')), 'the card named by the link is highlighted');
    const rows = await page.locator('details.data tbody tr').count();
    check(rows === 21, `perfusion data table lists 12 measured and 4 derived MAPs, 4 lactates and 1 vasopressor period (${rows} rows)`);
    check(await page.getByLabel('Language').count() === 1, 'language control has an accessible name');
    check(await page.locator('#perfusion-chart').getAttribute('aria-label') !== null, 'chart has an accessible name');
    await page.locator('.evidence li').first().waitFor({ timeout: 30000 });
    const evidence = await page.locator('.evidence li').count();
    check(evidence > 0, `evidence of the cards is listed (${evidence})`);
    await page.screenshot({ path: `${shots}/app-patient-en.png`, fullPage: true });

    // Japanese
    await page.getByLabel('Language').selectOption('ja');
    await page.waitForFunction((text) => [...document.querySelectorAll('.card .summary')].some((n) => n.textContent === text), MAP_CARD.ja);
    check(await page.locator('html').getAttribute('lang') === 'ja', 'page language switches to Japanese');
    check(await page.locator(`.card[data-rule="${MAP_RULE}"] .summary`).textContent() === MAP_CARD.ja, 'Japanese MAP card shown with its exact summary');
    check(await page.locator('#perfusion-title').textContent() === '灌流（過去24時間）', 'app texts in Japanese');
    await page.screenshot({ path: `${shots}/app-patient-ja.png`, fullPage: true });

    // the CRE isolate under the guide
    await page.goto(`${cds}/app/?patient=demo-cre&lang=en`);
    const table = page.locator('table.cre');
    await table.waitFor({ timeout: 30000 });
    const agents = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    const byAgent = Object.fromEntries(agents.map((row) => [row[0], row.slice(1)]));
    check(byAgent.Levofloxacin?.[0] === 'S', 'levofloxacin susceptible');
    check(['○', '△', '×'].includes(byAgent.Amikacin?.[2]), `amikacin has a site symbol from the knowledge (${byAgent.Amikacin?.[2]})`);
    check(byAgent.Cefiderocol?.[2] === '—', 'cefiderocol is outside the site table');
    check(await page.locator('.card[data-rule="CRE-OPTION-SEVERE-COMBINATION"]').count() === 1, 'CRE severe-combination card shown');
    await page.screenshot({ path: `${shots}/app-cre-en.png`, fullPage: true });

    // the committee view
    await page.goto(`${cds}/app/?lang=en#/rules`);
    const rule = page.locator(`table.rules tr[data-rule="${MAP_RULE}"]`);
    await rule.waitFor({ timeout: 30000 });
    const overridden = Number(await rule.locator('.overridden').textContent());
    const accepted = Number(await rule.locator('.accepted').textContent());
    const fired = Number(await rule.locator('.fired').textContent());
    const from = new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10);
    const subtype = encodeURIComponent(`http://example.org/cds/CodeSystem/rule-id|${MAP_RULE}`);
    const stored = await fhirCount(`AuditEvent?type=${encodeURIComponent(AUDIT)}&subtype=${subtype}&date=ge${from}`);
    check(overridden + accepted === stored, `feedback counted from the stored AuditEvents (${accepted} accepted + ${overridden} overridden = ${stored})`);
    check(fired >= 120, `fires counted for ${MAP_RULE} (${fired})`);
    check(await page.locator('#rules-chart').count() === 1, 'committee chart drawn');
    await page.getByLabel('Language').selectOption('ja');
    await page.locator('th', { hasText: '却下率' }).waitFor({ timeout: 10000 });
    check(true, 'committee view in Japanese');
    await page.screenshot({ path: `${shots}/app-rules-ja.png`, fullPage: true });
    check(errors.length === 0, `no script errors on the pages (${errors.join('; ')})`);
  } finally {
    await browser.close();
  }
}

main().then(() => console.log('APP BROWSER TEST PASSED'), (error) => {
  console.error(error.message);
  process.exit(1);
});
