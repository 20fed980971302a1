package org.critcare.cds.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies the JWT a CDS client sends with every call (CDS Hooks 2.0 §Trusting CDS
 * Clients, and its best practices §JWT), in this order: a JWS with an asymmetric
 * {@code alg} (never {@code none}, never HMAC); {@code iss} on the allowlist; the
 * signature, by the client's JWK Set; {@code exp}, {@code iat} and {@code jti} present;
 * {@code exp} and {@code nbf} within the clock skew and {@code iat} not in the future;
 * {@code aud} the URL called; and the {@code jti} not seen before. Other claims
 * ({@code sub}, {@code tenant}) are tolerated. A failure names its reason, never the
 * token.
 */
class CdsClientTokens {

	/** Why a token was refused; the message holds no part of the token. */
	static final class RejectedTokenException extends Exception {

		private final String issuer;

		RejectedTokenException(String reason, String issuer) {
			super(reason, null, false, false);
			this.issuer = issuer;
		}

		String issuer() {
			return issuer;
		}

	}

	private final Map<String, Client> clients = new HashMap<>();

	private final JtiReplayCache replays;

	private final Duration clockSkew;

	private record Client(SecurityProperties.CdsClient config, DefaultJWTProcessor<SecurityContext> processor) {
	}

	CdsClientTokens(List<SecurityProperties.CdsClient> trusted, Duration clockSkew, JtiReplayCache replays) {
		this.replays = replays;
		this.clockSkew = clockSkew;
		for (SecurityProperties.CdsClient client : trusted) {
			if (client.issuer() == null || client.issuer().isBlank()) {
				throw new IllegalStateException("every cds.security.cds-clients entry needs an issuer");
			}
			DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
			processor.setJWSKeySelector(
					new JWSVerificationKeySelector<>(SignatureAlgorithms.ACCEPTED, JwkSources.of(client.jwksUri())));
			DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null,
					Set.of("iss", "aud", "exp", "iat", "jti"));
			claims.setMaxClockSkew((int) clockSkew.toSeconds());
			processor.setJWTClaimsSetVerifier(claims);
			clients.put(client.issuer(), new Client(client, processor));
		}
	}

	AuthenticatedCdsClient verify(String token, String calledUrl) throws RejectedTokenException {
		SignedJWT jwt;
		String issuer;
		try {
			jwt = SignedJWT.parse(token);
			issuer = jwt.getJWTClaimsSet().getIssuer();
		}
		catch (ParseException | ClassCastException e) {
			throw new RejectedTokenException("not a signed JWT", null);
		}
		JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
		if (!SignatureAlgorithms.ACCEPTED.contains(alg)) {
			throw new RejectedTokenException("algorithm " + alg + " not accepted", issuer);
		}
		Client client = issuer == null ? null : clients.get(issuer);
		if (client == null) {
			throw new RejectedTokenException("issuer not trusted", null);
		}
		JWTClaimsSet claims;
		try {
			claims = client.processor().process(jwt, null);
		}
		catch (BadJOSEException | JOSEException e) {
			throw new RejectedTokenException("signature or claims: " + e.getMessage(), issuer);
		}
		Instant now = Instant.now();
		if (claims.getIssueTime().toInstant().isAfter(now.plus(clockSkew))) {
			throw new RejectedTokenException("iat in the future", issuer);
		}
		if (claims.getAudience().stream().noneMatch(aud -> sameUrl(aud, calledUrl))) {
			throw new RejectedTokenException("aud is not the URL called", issuer);
		}
		Date expires = claims.getExpirationTime();
		if (!replays.firstUse(issuer, claims.getJWTID(), expires.toInstant().plus(clockSkew))) {
			throw new RejectedTokenException("jti replayed", issuer);
		}
		return new AuthenticatedCdsClient(issuer, List.copyOf(client.config().fhirServers()));
	}

	private static boolean sameUrl(String a, String b) {
		return strip(a).equals(strip(b));
	}

	private static String strip(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
