// SMART App Launch 2: EHR launch (launch + iss) and standalone launch (iss only). The authorization server comes
// from the FHIR server's /.well-known/smart-configuration; the app returns to index.html with the code, and takes the
// patient and the card's appContext from the token response. The open embedded server has no authorization server:
// its cards' smart links name the patient and the rule themselves (?patient=…&rule=…), which become the launch's
// patient and appContext here, as an authorization server would have given them (fhirclient's fixed patientId).
import FHIR from 'fhirclient';

const params = new URLSearchParams(window.location.search);
const ehrLaunch = params.has('launch');
const patient = params.get('patient');
const rule = params.get('rule');
const appContext = rule ? { appContext: JSON.stringify({ rule, patient: patient ?? undefined }) } : undefined;
// the patient's record; the feedback AuditEvents of the committee view; the server's knowledge (value sets, code
// systems, the CRE site table's Library, the Evidence and PlanDefinitions the cards cite), which is no patient's
const scopes = 'openid fhirUser patient/*.rs user/AuditEvent.rs user/ValueSet.rs user/CodeSystem.rs user/Library.rs '
  + 'user/Evidence.rs user/PlanDefinition.rs';
FHIR.oauth2
  .authorize({
    clientId: params.get('client_id') || 'critcare-cds-app',
    scope: `${ehrLaunch ? 'launch' : 'launch/patient'} ${scopes}`,
    redirectUri: './index.html',
    // a card's link opened without an EHR: this server's FHIR base
    iss: params.get('iss') || (patient ? new URL('/fhir', window.location.origin).href : undefined),
    patientId: patient || undefined,
    fakeTokenResponse: appContext,
  })
  .catch((error) => {
    document.getElementById('status').textContent = `Launch failed: ${error.message}`;
  });
