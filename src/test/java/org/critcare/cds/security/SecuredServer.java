package org.critcare.cds.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.critcare.cds.CdsServerApplication;
import org.critcare.cds.support.Http;
import org.critcare.cds.support.StubFhirServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole server with {@code cds.security.enabled=true} on a random port: one trusted
 * SMART authorization server (RSA, JWKS in a {@code file:}), one trusted CDS client (EC
 * P-384, JWKS served over HTTP) that may name only {@link #EHR_FHIR}. The security ITs
 * extend this class, so they share one running server.
 */
@SpringBootTest(classes = CdsServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:critcare-secured-it;DB_CLOSE_DELAY=-1",
				"cds.hooks.warmup-calls=0", "cds.patient-data.fhir-server-timeout=2s", "cds.security.enabled=true",
				"cds.security.fhir-audience=" + SecuredServer.AUDIENCE,
				"cds.cors.allowed-origins=" + SecuredServer.APP_ORIGIN,
				"cds.security.issuers[0].issuer=" + SecuredServer.ISSUER,
				"cds.security.cds-clients[0].issuer=" + SecuredServer.EHR_ISSUER,
				"cds.security.smart.authorization-endpoint=https://auth.test/authorize",
				"cds.security.smart.token-endpoint=https://auth.test/token" })
abstract class SecuredServer {

	static final String ISSUER = "https://auth.test";

	static final String AUDIENCE = "https://cds.test/fhir";

	static final String EHR_ISSUER = "https://ehr.test";

	static final String APP_ORIGIN = "https://app.test";

	static final StubFhirServer EHR_FHIR = new StubFhirServer();

	static final StubFhirServer OTHER_FHIR = new StubFhirServer();

	private static final HttpServer EHR_JWKS = jwksServer(TestKeys.publicJwks(TestKeys.EHR));

	@DynamicPropertySource
	static void keys(DynamicPropertyRegistry registry) {
		// a list is bound from one property source: all of an element's keys are here
		registry.add("cds.security.issuers[0].issuer", () -> ISSUER);
		registry.add("cds.security.cds-clients[0].issuer", () -> EHR_ISSUER);
		registry.add("cds.security.issuers[0].jwks-uri", () -> TestKeys.AUTH_SERVER_JWKS.toUri().toString());
		registry.add("cds.security.cds-clients[0].jwks-uri",
				() -> "http://127.0.0.1:" + EHR_JWKS.getAddress().getPort() + "/jwks.json");
		registry.add("cds.security.cds-clients[0].fhir-servers[0]", EHR_FHIR::base);
	}

	/** A SMART access token of the trusted issuer, valid for five minutes. */
	static String accessToken(String scope, String patient) {
		return accessToken(claims -> {
			claims.claim("scope", scope);
			return patient == null ? claims : claims.claim("patient", patient);
		});
	}

	static String accessToken(UnaryOperator<JWTClaimsSet.Builder> edit) {
		return TestKeys.sign(TestKeys.AUTH_SERVER, JWSAlgorithm.RS384, accessClaims(edit));
	}

	static JWTClaimsSet accessClaims(UnaryOperator<JWTClaimsSet.Builder> edit) {
		Instant now = Instant.now();
		return TestKeys.claims(claims -> edit.apply(claims.issuer(ISSUER)
			.audience(AUDIENCE)
			.subject("app-user")
			.claim("client_id", "test-app")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))));
	}

	/** A CDS client JWT for the URL called, valid for five minutes, with a fresh jti. */
	static JWTClaimsSet hookClaims(String url, UnaryOperator<JWTClaimsSet.Builder> edit) {
		Instant now = Instant.now();
		return TestKeys.claims(claims -> edit.apply(claims.issuer(EHR_ISSUER)
			.audience(url)
			.subject("ehr-client")
			.claim("tenant", "hospital-a")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString())));
	}

	static String hookToken(String url) {
		return TestKeys.sign(TestKeys.EHR, JWSAlgorithm.ES384, hookClaims(url, c -> c));
	}

	static Map<String, String> bearer(String token) {
		return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/fhir+json");
	}

	static Map<String, String> hookHeaders(String token) {
		return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
	}

	static Http.Response get(Http http, String path, String token) {
		return http.send("GET", path, null, token == null ? Map.of() : bearer(token));
	}

	private static HttpServer jwksServer(String jwks) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/jwks.json", exchange -> {
				byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
