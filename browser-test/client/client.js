// A minimal CDS Hooks 2.0 client: the requests the CDS Hooks sandbox sends, from a page on another origin.
'use strict';

const query = new URLSearchParams(location.search);
const cdsBase = query.get('cds');
const fhirServer = query.get('fhir') || cdsBase + '/fhir';
const patientId = query.get('patient');
const serviceId = query.get('service') || 'sepsis-perfusion';
const userId = 'Practitioner/example';
let services = [];

document.getElementById('cds-base').textContent = cdsBase;
document.getElementById('fhir-server').textContent = fhirServer;
document.getElementById('patient-id').textContent = patientId;

function uuid() {
  return crypto.randomUUID ? crypto.randomUUID()
    : 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, c => {
      const r = Math.random() * 16 | 0;
      return (c === 'x' ? r : (r & 0x3 | 0x8)).toString(16);
    });
}

function showError(message) {
  document.getElementById('error').textContent = message;
}

async function discover() {
  const response = await fetch(cdsBase + '/cds-services', { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error('discovery answered ' + response.status);
  }
  services = (await response.json()).services;
  const list = document.getElementById('services');
  list.replaceChildren(...services.map(s => {
    const item = document.createElement('li');
    item.className = 'service';
    item.dataset.id = s.id;
    item.textContent = s.id + ' (' + s.hook + '): ' + s.title;
    return item;
  }));
}

// The sandbox fills each prefetch template with the context and reads it from its FHIR server.
async function prefetchFor(service) {
  const prefetch = {};
  for (const [key, template] of Object.entries(service.prefetch || {})) {
    const url = template.replaceAll('{{context.patientId}}', patientId)
      .replaceAll('{{context.userId}}', userId)
      .replaceAll('{{userPractitionerId}}', userId.split('/')[1]);
    const response = await fetch(fhirServer + '/' + url, { headers: { Accept: 'application/fhir+json' } });
    prefetch[key] = response.ok ? await response.json() : null;
  }
  return prefetch;
}

async function callService(language) {
  const service = services.find(s => s.id === serviceId && s.hook === 'patient-view');
  if (!service) {
    throw new Error('discovery does not list ' + serviceId + ' for patient-view');
  }
  const request = {
    hook: 'patient-view',
    hookInstance: uuid(),
    fhirServer,
    context: { userId, patientId },
    prefetch: await prefetchFor(service)
  };
  const response = await fetch(cdsBase + '/cds-services/' + serviceId, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': language },
    body: JSON.stringify(request)
  });
  if (!response.ok) {
    throw new Error('service call answered ' + response.status);
  }
  renderCards(language, (await response.json()).cards || []);
}

function renderCards(language, cards) {
  const container = document.getElementById('cards-' + language);
  container.replaceChildren(...cards.map(card => {
    const element = document.createElement('div');
    element.className = 'card ' + card.indicator;
    element.dataset.uuid = card.uuid;
    element.dataset.rule = card.source && card.source.topic ? card.source.topic.code : '';
    const summary = document.createElement('div');
    summary.className = 'card-summary';
    summary.textContent = card.summary;
    const source = document.createElement('div');
    source.className = 'card-source';
    source.textContent = card.source.label;
    element.append(summary, source);
    if (card.overrideReasons && card.overrideReasons.length) {
      const reasons = document.createElement('select');
      reasons.className = 'override-reason';
      reasons.append(...card.overrideReasons.map((reason, index) => new Option(reason.display, String(index))));
      const dismiss = document.createElement('button');
      dismiss.className = 'override';
      dismiss.textContent = language === 'ja' ? '却下' : 'Dismiss';
      dismiss.addEventListener('click', () => run(() => override(card, card.overrideReasons[reasons.value])));
      element.append(reasons, dismiss);
    }
    return element;
  }));
}

async function override(card, reason) {
  const feedback = {
    feedback: [{
      card: card.uuid,
      outcome: 'overridden',
      overrideReason: { reason: { system: reason.system, code: reason.code }, userComment: 'browser test' },
      outcomeTimestamp: new Date().toISOString()
    }]
  };
  const response = await fetch(cdsBase + '/cds-services/' + serviceId + '/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(feedback)
  });
  const status = document.getElementById('feedback-status');
  status.dataset.status = String(response.status);
  status.dataset.card = card.uuid;
  status.textContent = 'feedback on ' + card.uuid + ': HTTP ' + response.status;
}

function run(action) {
  action().catch(e => showError(e.message));
}

document.getElementById('discover').addEventListener('click', () => run(discover));
document.getElementById('call-en').addEventListener('click', () => run(() => callService('en')));
document.getElementById('call-ja').addEventListener('click', () => run(() => callService('ja')));
