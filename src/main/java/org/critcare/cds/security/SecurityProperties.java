package org.critcare.cds.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication and authorization ({@code cds.security.*}): SMART on FHIR access tokens
 * for {@code /fhir} (SMART App Launch 2.2), signed JWTs of trusted CDS clients for
 * {@code /cds-services} (CDS Hooks 2.0 §Trusting CDS Clients).
 *
 * @param enabled whether tokens are required; off (the embedded quick start) the server
 * warns at start-up and listens on loopback unless {@code server.address} is set
 * @param issuers authorization servers whose access tokens {@code /fhir} accepts
 * @param fhirAudience the {@code aud} access tokens must carry: this server's FHIR base
 * URL; empty = {@code cds.fhir.server-address}; both empty = no token is accepted
 * @param adminScope the scope that allows destructive operations ({@code $expunge},
 * {@code _cascade} deletes, deleting knowledge)
 * @param clockSkew leeway for {@code exp}, {@code nbf} and {@code iat}
 * @param cdsClients CDS clients (EHRs) whose signed JWTs {@code /cds-services} accepts
 * @param smart what {@code /.well-known/smart-configuration} publishes
 */
@ConfigurationProperties("cds.security")
public record SecurityProperties(@DefaultValue("false") boolean enabled, @DefaultValue List<Issuer> issuers,
		@DefaultValue("") String fhirAudience, @DefaultValue("cds/admin") String adminScope,
		@DefaultValue("60s") Duration clockSkew, @DefaultValue List<CdsClient> cdsClients, @DefaultValue Smart smart) {

	/**
	 * A trusted authorization server.
	 *
	 * @param issuer its {@code iss}, compared exactly
	 * @param jwksUri its JSON Web Key Set: {@code https:} (cached, re-read on an unknown
	 * {@code kid}) or {@code file:}
	 */
	public record Issuer(String issuer, String jwksUri) {
	}

	/**
	 * A trusted CDS client.
	 *
	 * @param issuer its {@code iss}, compared exactly
	 * @param jwksUri its JSON Web Key Set: {@code https:} (cached, re-read on an unknown
	 * {@code kid}) or {@code file:}
	 * @param fhirServers the {@code fhirServer} base URLs its calls may name (origin and
	 * whole path segments); empty = none, the call must bring its data or use this
	 * server's store
	 */
	public record CdsClient(String issuer, String jwksUri, @DefaultValue List<String> fhirServers) {
	}

	/**
	 * SMART App Launch 2.2 §Conformance: the authorization server's endpoints.
	 *
	 * @param authorizationEndpoint absolute URL of the authorization endpoint
	 * @param tokenEndpoint absolute URL of the token endpoint
	 * @param capabilities the SMART capabilities published
	 */
	public record Smart(@DefaultValue("") String authorizationEndpoint, @DefaultValue("") String tokenEndpoint,
			@DefaultValue( {
					"launch-ehr", "launch-standalone", "client-public", "client-confidential-asymmetric",
					"context-ehr-patient", "context-standalone-patient", "permission-patient", "permission-user",
					"permission-v1", "permission-v2" }) List<String> capabilities){
	}

}
