// SMART App Launch 2: EHR launch (launch + iss) and standalone launch (iss only). The authorization server comes
// from the FHIR server's /.well-known/smart-configuration; the app returns to index.html with the code.
import FHIR from 'fhirclient';

const params = new URLSearchParams(window.location.search);
const ehrLaunch = params.has('launch');
FHIR.oauth2
  .authorize({
    clientId: params.get('client_id') || 'critcare-cds-app',
    scope: ehrLaunch
      ? 'launch openid fhirUser patient/*.rs user/AuditEvent.rs'
      : 'launch/patient openid fhirUser patient/*.rs user/AuditEvent.rs',
    redirectUri: './index.html',
    iss: params.get('iss') || undefined,
  })
  .catch((error) => {
    document.getElementById('status').textContent = `Launch failed: ${error.message}`;
  });
