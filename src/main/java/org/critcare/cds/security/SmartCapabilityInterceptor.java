package org.critcare.cds.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * The CapabilityStatement's {@code rest.security} (FHIR R4 §CapabilityStatement, SMART
 * App Launch 2.2 §Conformance): the SMART-on-FHIR service, CORS, and the OAuth endpoints
 * in the {@code oauth-uris} extension still read by older clients (SMART 2.2 deprecates
 * it in favour of {@code /.well-known/smart-configuration}).
 */
@Interceptor
class SmartCapabilityInterceptor {

	private static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

	private final SecurityProperties.Smart smart;

	SmartCapabilityInterceptor(SecurityProperties.Smart smart) {
		this.smart = smart;
	}

	@Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
	public void addSecurity(IBaseConformance capabilities) {
		if (!(capabilities instanceof CapabilityStatement statement)) {
			return;
		}
		for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
			CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
			security.setCors(true);
			security.getService().clear();
			security.addService()
				.addCoding()
				.setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
				.setCode("SMART-on-FHIR");
			security.setDescription("SMART App Launch 2.2 bearer tokens; see /.well-known/smart-configuration");
			Extension uris = new Extension(OAUTH_URIS);
			if (!smart.authorizationEndpoint().isBlank()) {
				uris.addExtension("authorize", new UriType(smart.authorizationEndpoint()));
			}
			if (!smart.tokenEndpoint().isBlank()) {
				uris.addExtension("token", new UriType(smart.tokenEndpoint()));
			}
			security.getExtension().removeIf(e -> OAUTH_URIS.equals(e.getUrl()));
			security.addExtension(uris);
		}
	}

}
