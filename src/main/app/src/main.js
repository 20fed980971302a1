// critcare-cds SMART app: connects to a FHIR server (SMART launch, or the open embedded server for demos), then
// shows the clinician's patient view (#/patient) or the CDS committee's rule view (#/rules).
import FHIR from 'fhirclient';
import { language, setLanguage, t } from './i18n.js';
import { renderPatient, renderPatientList } from './patient.js';
import { renderRules } from './rules.js';
import './style.css';

const params = new URLSearchParams(window.location.search);
const status = document.getElementById('status');
const main = document.getElementById('main');
const languageSelect = document.getElementById('lang');

async function appConfig() {
  try {
    const response = await fetch(new URL('api/config', window.location.href));
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

// SMART: after the authorization server's redirect (code + state) or on a reload of an authorized page (state),
// fhirclient restores the client. Open embedded server: ?iss=…&patient=… (or nothing: this server's /fhir).
async function connect() {
  if (params.has('state')) {
    return FHIR.oauth2.ready();
  }
  const iss = params.get('iss') || new URL('/fhir', window.location.origin).href;
  const tokenResponse = params.get('patient') ? { patient: params.get('patient') } : {};
  return FHIR.client({ serverUrl: iss, tokenResponse });
}

// The card's smart link names the rule and the patient in appContext (CDS Hooks 2.0 §Link); demos pass ?rule=.
function appContext(client) {
  const raw = client.state.tokenResponse?.appContext;
  if (raw) {
    try {
      return typeof raw === 'string' ? JSON.parse(raw) : raw;
    } catch {
      return {};
    }
  }
  return params.get('rule') ? { rule: params.get('rule') } : {};
}

function labels() {
  document.getElementById('lang-label').textContent = t('language');
  document.getElementById('nav-patient').textContent = t('navPatient');
  document.getElementById('nav-rules').textContent = t('navRules');
  document.getElementById('app-title').textContent = t('title');
  languageSelect.value = language();
}

async function start() {
  const config = await appConfig();
  const preferred = params.get('lang') || window.localStorage.getItem('critcare-lang')
    || (navigator.language || '').slice(0, 2);
  setLanguage(['en', 'ja'].includes(preferred) ? preferred : config.defaultLanguage || 'en');
  labels();
  let client;
  try {
    client = await connect();
  } catch (error) {
    status.textContent = `${t('failed')}: ${error.message}`;
    return;
  }
  const context = {
    client,
    config,
    appContext: appContext(client),
    cdsServices: config.cdsServices || new URL('/cds-services', window.location.origin).href,
    timeZone: config.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  const render = async () => {
    labels();
    status.textContent = t('loading');
    try {
      if (window.location.hash.startsWith('#/rules')) {
        await renderRules(main, context);
      } else if (client.patient.id || context.appContext.patient) {
        await renderPatient(main, context, client.patient.id || context.appContext.patient);
      } else {
        await renderPatientList(main, context);
      }
      status.textContent = '';
    } catch (error) {
      status.textContent = `${t('failed')}: ${error.message}`;
    }
  };
  languageSelect.addEventListener('change', () => {
    setLanguage(languageSelect.value);
    window.localStorage.setItem('critcare-lang', languageSelect.value);
    render();
  });
  window.addEventListener('hashchange', render);
  await render();
}

start();
