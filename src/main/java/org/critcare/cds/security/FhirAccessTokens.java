package org.critcare.cds.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;

/**
 * Validates SMART access tokens for {@code /fhir} (SMART App Launch 2.2 §Resource server:
 * "validate the access token and ensure that it has not expired … and that the aud …
 * matches the resource server's own FHIR endpoint"): the {@code iss} picks one of the
 * trusted issuers, whose JWK Set checks the signature (asymmetric algorithms only); then
 * issuer, {@code exp} (required), {@code nbf} and {@code aud} are checked by Spring
 * Security's validators.
 */
final class FhirAccessTokens {

	private FhirAccessTokens() {
	}

	static AuthenticationManagerResolver<HttpServletRequest> resolver(SecurityProperties properties, String audience) {
		Map<String, AuthenticationManager> managers = new HashMap<>();
		for (SecurityProperties.Issuer issuer : properties.issuers()) {
			if (issuer.issuer() == null || issuer.issuer().isBlank()) {
				throw new IllegalStateException("every cds.security.issuers entry needs an issuer");
			}
			NimbusJwtDecoder decoder = decoder(issuer, audience, properties);
			managers.put(issuer.issuer(), new ProviderManager(new JwtAuthenticationProvider(decoder)));
		}
		return new JwtIssuerAuthenticationManagerResolver(managers::get);
	}

	private static NimbusJwtDecoder decoder(SecurityProperties.Issuer issuer, String audience,
			SecurityProperties properties) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(
				new JWSVerificationKeySelector<>(SignatureAlgorithms.ACCEPTED, JwkSources.of(issuer.jwksUri())));
		// RFC 9068 access tokens are typed at+jwt; others JWT or untyped
		processor.setJWSTypeVerifier(
				new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
		// the claims are checked by the validators below
		processor.setJWTClaimsSetVerifier((claims, context) -> {
		});
		NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtIssuerValidator(issuer.issuer()),
				new JwtTimestampValidator(properties.clockSkew()),
				new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
				new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
						aud -> !audience.isBlank() && aud != null && aud.contains(audience))));
		return decoder;
	}

}
