// The clinician's view of one patient: perfusion trend against the targets, the current cards of every
// patient-view service with their evidence, and a CRE isolate's agents × susceptibility × site suitability.
import { language, t } from './i18n.js';
import { all, hasCode, valueSet } from './knowledge.js';
import { drawPerfusionChart } from './perfusion-chart.js';
import { creSection } from './cre.js';
import { el, markdown } from './view.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const LOINC = 'http://loinc.org';
const MAP = '8478-0';
const SBP = '8480-6';
const DBP = '8462-4';
const UNUSABLE = new Set(['entered-in-error', 'cancelled']);

export async function renderPatientList(main, context) {
  const patients = await context.client.request('Patient?_count=50&_sort=-_lastUpdated');
  const list = el('ul', { class: 'patients' }, (patients.entry ?? []).map(({ resource }) =>
    el('li', {}, el('a', { href: `?patient=${encodeURIComponent(resource.id)}#/patient` }, patientName(resource)))));
  main.replaceChildren(el('h2', {}, t('patients')), el('p', {}, t('choosePatient')), list);
}

export async function renderPatient(main, context, patientId) {
  const { client } = context;
  const [patient, perfusion, cards] = await Promise.all([
    client.request(`Patient/${encodeURIComponent(patientId)}`),
    perfusionData(client, patientId),
    patientViewCards(context, patientId),
  ]);
  const chartSection = el('section', { 'aria-labelledby': 'perfusion-title' },
    el('h2', { id: 'perfusion-title' }, t('perfusion')));
  const cardsSection = el('section', { 'aria-labelledby': 'cards-title' },
    el('h2', { id: 'cards-title' }, t('cards')), cardList(cards, context));
  const evidenceSection = el('section', { 'aria-labelledby': 'evidence-title' },
    el('h2', { id: 'evidence-title' }, t('evidence')));
  const creContainer = el('section', { 'aria-labelledby': 'cre-title' }, el('h2', { id: 'cre-title' }, t('cre')));
  main.replaceChildren(
    el('h2', { class: 'patient-name', 'data-patient': patientId }, patientName(patient)),
    el('div', { class: 'columns' }, el('div', {}, chartSection, creContainer), el('div', {}, cardsSection, evidenceSection)),
  );
  drawPerfusionChart(chartSection, perfusion, context);
  const [cre, evidence] = await Promise.all([creSection(client, patientId, context), evidenceList(client, cards)]);
  creContainer.append(cre);
  evidenceSection.append(evidence);
  const focused = main.querySelector('.card.focused');
  if (focused) {
    focused.scrollIntoView({ block: 'nearest' });
  }
}

function patientName(patient) {
  const name = patient.name?.[0];
  const text = name?.text || [name?.family, ...(name?.given ?? [])].filter(Boolean).join(' ');
  return [text || patient.id, patient.gender, patient.birthDate].filter(Boolean).join(' · ');
}

// MAP measured, MAP derived from SBP/DBP taken together, lactate in mmol/L (mg/dL ÷ 9.01, CLINICAL-SPEC §6.3),
// vasopressor periods: display only; the rules themselves are evaluated by the server's CQL.
async function perfusionData(client, patientId) {
  const since = new Date(Date.now() - DAY_MS);
  const [lactate, pressure, vasopressors] = await Promise.all([
    valueSet(client, 'lactate'), valueSet(client, 'blood-pressure'), valueSet(client, 'vasopressors')]);
  const codes = [...lactate.contains, ...pressure.contains].map((c) => `${c.system}|${c.code}`).join(',');
  const observations = await all(client,
    `Observation?patient=${encodeURIComponent(patientId)}&date=ge${since.toISOString()}&code=${encodeURIComponent(codes)}&_count=500`);
  const administrations = await all(client,
    `MedicationAdministration?patient=${encodeURIComponent(patientId)}&_count=200`);
  const usable = observations.filter((o) => o.resourceType === 'Observation' && !UNUSABLE.has(o.status));
  const measured = [];
  const derived = [];
  const lactates = [];
  const separate = new Map();
  for (const observation of usable) {
    const time = Date.parse(observation.effectiveDateTime ?? observation.effectivePeriod?.start ?? observation.issued);
    if (Number.isNaN(time)) {
      continue;
    }
    if (hasCode(observation.code, lactate)) {
      const mmol = lactateMmol(observation.valueQuantity);
      if (mmol !== null) {
        lactates.push({ x: time, y: mmol });
      }
      continue;
    }
    const component = (code) => observation.component?.find((c) => loinc(c.code, code))?.valueQuantity?.value;
    if (loinc(observation.code, MAP) && observation.valueQuantity?.value !== undefined) {
      measured.push({ x: time, y: observation.valueQuantity.value });
    } else if (component(MAP) !== undefined) {
      measured.push({ x: time, y: component(MAP) });
    } else if (component(SBP) !== undefined && component(DBP) !== undefined) {
      derived.push({ x: time, y: (component(SBP) + 2 * component(DBP)) / 3 });
    } else if (loinc(observation.code, SBP) || loinc(observation.code, DBP)) {
      const pair = separate.get(time) ?? {};
      pair[loinc(observation.code, SBP) ? 'sbp' : 'dbp'] = observation.valueQuantity?.value;
      separate.set(time, pair);
    }
  }
  for (const [time, pair] of separate) {
    if (pair.sbp !== undefined && pair.dbp !== undefined) {
      derived.push({ x: time, y: (pair.sbp + 2 * pair.dbp) / 3 });
    }
  }
  const periods = administrations
    .filter((a) => a.resourceType === 'MedicationAdministration' && hasCode(a.medicationCodeableConcept, vasopressors))
    .filter((a) => !UNUSABLE.has(a.status) && a.status !== 'not-done')
    .map((a) => ({
      start: Date.parse(a.effectivePeriod?.start ?? a.effectiveDateTime),
      end: a.effectivePeriod?.end ? Date.parse(a.effectivePeriod.end)
        : a.status === 'in-progress' ? Date.now() : Date.parse(a.effectiveDateTime ?? a.effectivePeriod?.start),
      name: a.medicationCodeableConcept?.text || a.medicationCodeableConcept?.coding?.[0]?.display,
    }))
    .filter((p) => !Number.isNaN(p.start) && p.end >= since.getTime());
  const byTime = (a, b) => a.x - b.x;
  return {
    since: since.getTime(),
    until: Date.now(),
    measured: measured.sort(byTime),
    derived: derived.sort(byTime),
    lactate: lactates.sort(byTime),
    vasopressors: periods,
  };
}

function loinc(concept, code) {
  return (concept?.coding ?? []).some((c) => c.system === LOINC && c.code === code);
}

function lactateMmol(quantity) {
  if (quantity?.value === undefined) {
    return null;
  }
  const unit = quantity.code || quantity.unit;
  if (unit === 'mmol/L') {
    return quantity.value;
  }
  return unit === 'mg/dL' ? quantity.value / 9.01 : null;
}

// The current cards of every patient-view service, in the chosen language. For a patient of this server the server
// evaluates them from its own store (/app/api/patients/{id}/cards, with the SMART access token when there is one:
// with security on, /cds-services takes only an EHR's signed JWT). For another FHIR server the app calls each
// patient-view service in discovery as an EHR would (CDS Hooks 2.0), naming that server as fhirServer.
async function patientViewCards(context, patientId) {
  const { client } = context;
  const ownServer = client.state.serverUrl.replace(/\/$/, '') === new URL('/fhir', window.location.origin).href;
  if (ownServer) {
    const token = client.state.tokenResponse?.access_token;
    const response = await fetch(new URL(`api/patients/${encodeURIComponent(patientId)}/cards`, window.location.href), {
      headers: { Accept: 'application/json', 'Accept-Language': language(), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
    if (!response.ok) {
      return [{ failed: true, service: 'patient-view', status: response.status }];
    }
    return (await response.json()).cards ?? [];
  }
  const discovery = await fetch(context.cdsServices).then((r) => r.json());
  const services = (discovery.services ?? []).filter((s) => s.hook === 'patient-view');
  const calls = services.map(async (service) => {
    const request = {
      hook: 'patient-view',
      hookInstance: crypto.randomUUID(),
      context: { userId: 'Practitioner/critcare-cds-app', patientId },
      fhirServer: client.state.serverUrl,
    };
    const token = client.state.tokenResponse?.access_token;
    if (token) {
      request.fhirAuthorization = { access_token: token, token_type: 'Bearer', scope: 'patient/*.rs', subject: 'critcare-cds-app' };
    }
    const response = await fetch(`${context.cdsServices}/${encodeURIComponent(service.id)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': language() },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      return [{ failed: true, service: service.id, status: response.status }];
    }
    const body = await response.json();
    return (body.cards ?? []).map((card) => ({ ...card, service: service.id }));
  });
  return (await Promise.all(calls)).flat();
}

function cardList(cards, context) {
  if (cards.length === 0) {
    return el('p', { class: 'empty' }, t('noCards'));
  }
  return el('ul', { class: 'cards' }, cards.map((card) => {
    if (card.failed) {
      return el('li', { class: 'card warning' }, `${t('cardsFailed')} (${card.service}, HTTP ${card.status})`);
    }
    const rule = card.source?.topic?.code;
    const focused = context.appContext.rule && context.appContext.rule === rule;
    return el('li', { class: `card ${card.indicator}${focused ? ' focused' : ''}`, 'data-rule': rule, tabindex: focused ? '0' : undefined },
      el('p', { class: 'indicator' }, card.indicator),
      el('h3', { class: 'summary' }, card.summary),
      markdown(card.detail),
      el('p', { class: 'source' }, `${t('rule')}: ${rule ?? ''} · `,
        card.source?.url ? el('a', { href: card.source.url }, card.source.label) : card.source?.label));
  }));
}

// The evidence the cards cite, read from the server: titles, descriptions, and effect or risk estimates.
async function evidenceList(client, cards) {
  const urls = [...new Set(cards.flatMap((c) => (c.links ?? []).map((l) => l.url))
    .filter((url) => /\/(Evidence|EffectEvidenceSynthesis|RiskEvidenceSynthesis|PlanDefinition)\//.test(url ?? '')))];
  if (urls.length === 0) {
    return el('p', { class: 'empty' }, '—');
  }
  const resources = await Promise.all(urls.map((url) => client.request(url).catch(() => null)));
  return el('ul', { class: 'evidence' }, resources.filter(Boolean).map((resource) =>
    el('li', {},
      el('h3', {}, resource.title || resource.name || resource.id),
      markdown(resource.description),
      estimates(resource))));
}

function estimates(resource) {
  const items = [...(resource.effectEstimate ?? []), ...(resource.riskEstimate ? [resource.riskEstimate] : [])];
  if (items.length === 0) {
    return null;
  }
  return el('ul', { class: 'estimates' }, items.map((estimate) => {
    const precision = (estimate.precisionEstimate ?? [])
      .map((p) => `${(p.level ?? 0.95) * 100}% CI ${p.from} to ${p.to}`).join('; ');
    return el('li', {}, [estimate.description || estimate.type?.text, estimate.value,
      estimate.unitOfMeasure?.text, precision ? `(${precision})` : null].filter((x) => x !== undefined && x !== null).join(' '));
  }));
}

