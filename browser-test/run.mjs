// Browser test of issue 11: a CDS Hooks client page on its own loopback origin, driven with Debian's Chromium
// through playwright-core, against a running critcare-cds. Usage: node run.mjs http://localhost:PORT
// Exits non-zero on any failed check; prints one line per check.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cds = (process.argv[2] || process.env.CDS_BASE || '').replace(/\/+$/, '');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const clientDir = join(fileURLToPath(new URL('.', import.meta.url)), 'client');
const patient = 'browser-' + Date.now();
const RULES = 'http://example.org/cds/CodeSystem/rule-id';
const MAP_CARD = {
  en: 'MAP 58 mmHg is below the usual ≥65 mmHg target (sepsis). Review perfusion and vasopressor plan.',
  ja: 'MAP 58 mmHgは通常の目標（≥65 mmHg）を下回っています（敗血症）。組織灌流と昇圧薬の計画を見直してください。'
};

function check(condition, what) {
  if (!condition) {
    throw new Error('FAILED: ' + what);
  }
  console.log('ok - ' + what);
}

function at(minutesAgo) {
  return new Date(Date.now() - minutesAgo * 60000).toISOString().replace(/\.\d+Z$/, 'Z');
}

// A septic-shock patient on norepinephrine with a MAP of 58 mmHg 10 minutes ago, stored over FHIR.
async function storePatient() {
  const ref = { reference: 'Patient/' + patient };
  const resources = [
    { resourceType: 'Patient', id: patient, gender: 'female', birthDate: '1950-03-01' },
    { resourceType: 'Condition', id: patient + '-shock', subject: ref,
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '76571007' }] } },
    { resourceType: 'MedicationAdministration', id: patient + '-vp', status: 'in-progress', subject: ref,
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7512' }] },
      effectivePeriod: { start: at(180) } },
    { resourceType: 'Observation', id: patient + '-map', status: 'final', subject: ref,
      code: { coding: [{ system: 'http://loinc.org', code: '8478-0' }] }, effectiveDateTime: at(10),
      valueQuantity: { value: 58, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } }
  ];
  const transaction = { resourceType: 'Bundle', type: 'transaction', entry: resources.map(resource => ({
    resource, request: { method: 'PUT', url: resource.resourceType + '/' + resource.id } })) };
  const response = await fetch(cds + '/fhir', { method: 'POST', body: JSON.stringify(transaction),
    headers: { 'Content-Type': 'application/fhir+json' } });
  check(response.status === 200, 'patient data stored over FHIR (transaction: ' + response.status + ')');
}

// The client page, served from another origin (127.0.0.1 on its own port).
function serveClient() {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
  const server = createServer(async (request, response) => {
    const name = new URL(request.url, 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
    if (name === 'favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (!/^[a-z]+\.(html|js)$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(clientDir, name));
      response.writeHead(200, { 'Content-Type': types[extname(name)] }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function cardsOf(page, language) {
  await page.click('#call-' + language);
  await page.waitForSelector('#cards-' + language + ' .card, #error:not(:empty)');
  const error = await page.textContent('#error');
  check(!error, language + ' service call without error' + (error ? ' (' + error + ')' : ''));
  return page.$$eval('#cards-' + language + ' .card', cards => cards.map(card => ({
    uuid: card.dataset.uuid, rule: card.dataset.rule, indicator: card.className.replace('card ', ''),
    summary: card.querySelector('.card-summary').textContent, reasons: card.querySelectorAll('option').length })));
}

async function main() {
  check(cds.startsWith('http'), 'CDS server base URL given (' + cds + ')');
  await storePatient();
  const server = await serveClient();
  const origin = 'http://127.0.0.1:' + server.address().port;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const consoleErrors = [];
    page.on('console', message => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('response', response => response.status() >= 400
      && consoleErrors.push(response.status() + ' ' + response.request().method() + ' ' + response.url()));
    await page.goto(origin + '/index.html?cds=' + encodeURIComponent(cds) + '&patient=' + patient);

    await page.click('#discover');
    await page.waitForSelector('#services .service, #error:not(:empty)');
    const services = await page.$$eval('#services .service', items => items.map(item => item.dataset.id));
    check(services.includes('sepsis-perfusion'), 'discovery from ' + origin + ' lists sepsis-perfusion');

    const english = await cardsOf(page, 'en');
    const japanese = await cardsOf(page, 'ja');
    const mapEn = english.find(card => card.rule === 'SEPTIC-SHOCK-MAP-BELOW-TARGET');
    const mapJa = japanese.find(card => card.rule === 'SEPTIC-SHOCK-MAP-BELOW-TARGET');
    check(mapEn && mapEn.summary === MAP_CARD.en, 'English card rendered: ' + (mapEn && mapEn.summary));
    check(mapJa && mapJa.summary === MAP_CARD.ja, 'Japanese card rendered: ' + (mapJa && mapJa.summary));
    check(english.map(c => c.rule).join() === japanese.map(c => c.rule).join(),
      'same rules in both languages: ' + english.map(c => c.rule).join(', '));
    check(english.every(c => (c.indicator === 'info') === (c.reasons === 0)),
      'override reasons on warning and critical cards only');

    await page.click('#cards-en .card[data-rule="SEPTIC-SHOCK-MAP-BELOW-TARGET"] button.override');
    await page.waitForSelector('#feedback-status[data-status], #error:not(:empty)');
    const status = await page.getAttribute('#feedback-status', 'data-status');
    check(status === '200', 'override feedback answered ' + status);

    const audit = await (await fetch(cds + '/fhir/AuditEvent?entity=PlanDefinition/sepsis-perfusion&subtype='
      + encodeURIComponent(RULES + '|SEPTIC-SHOCK-MAP-BELOW-TARGET'), { headers: { Accept: 'application/fhir+json' } })).json();
    const stored = (audit.entry || []).some(entry => entry.resource.entity.some(entity =>
      entity.what && entity.what.identifier && entity.what.identifier.value === 'urn:uuid:' + mapEn.uuid));
    check(stored, 'the feedback is stored as an AuditEvent naming card ' + mapEn.uuid);
    check(consoleErrors.length === 0, 'no browser console errors (CORS included)' +
      (consoleErrors.length ? ': ' + consoleErrors.join(' | ') : ''));
  } finally {
    await browser.close();
    server.close();
  }
}

main().then(() => console.log('BROWSER TEST PASSED'), error => {
  console.error(error.message);
  console.error('BROWSER TEST FAILED');
  process.exit(1);
});
