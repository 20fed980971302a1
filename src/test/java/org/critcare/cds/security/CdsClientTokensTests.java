package org.critcare.cds.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The CDS client JWT checks of CDS Hooks 2.0 §Trusting CDS Clients, without a server: a
 * {@code file:} JWK Set and an H2 database shared by two "nodes".
 */
class CdsClientTokensTests {

	static final String ISSUER = "https://ehr.example";

	static final String URL = "https://cds.example/cds-services/sepsis-perfusion";

	static final ECKey KEY = TestKeys.ec("ehr-1");

	@TempDir
	Path dir;

	@Test
	void aValidTokenNamesTheClientAndItsFhirServers() throws Exception {
		AuthenticatedCdsClient client = tokens(database("valid")).verify(sign(c -> c), URL);
		assertThat(client.issuer()).isEqualTo(ISSUER);
		assertThat(client.fhirServers()).containsExactly("https://fhir.example/r4");
	}

	@Test
	void aTokenReplayedOnAnotherNodeSharingTheDatabaseIsRefused() throws Exception {
		JdbcTemplate database = database("replay");
		String token = sign(c -> c);
		tokens(database).verify(token, URL);
		assertThatThrownBy(() -> tokens(database).verify(token, URL)).hasMessage("jti replayed");
	}

	@Test
	void theAudienceMustBeTheUrlCalled() {
		assertThatThrownBy(() -> tokens(database("aud")).verify(sign(c -> c), URL.replace("sepsis", "other")))
			.hasMessage("aud is not the URL called");
	}

	@Test
	void unsignedHmacAndUntrustedTokensAreRefusedBeforeAnyKeyIsUsed() {
		CdsClientTokens tokens = tokens(database("alg"));
		JWTClaimsSet claims = claims(c -> c);
		assertThatThrownBy(() -> tokens.verify(TestKeys.unsigned(claims), URL)).hasMessage("not a signed JWT");
		assertThatThrownBy(() -> tokens.verify(TestKeys.hmacWithPublicKey(KEY, claims), URL))
			.hasMessage("algorithm HS256 not accepted");
		assertThatThrownBy(() -> tokens.verify(sign(c -> c.issuer("https://evil.example")), URL))
			.hasMessage("issuer not trusted");
		assertThatThrownBy(() -> tokens.verify("not-a-jwt", URL)).hasMessage("not a signed JWT");
	}

	@Test
	void requiredClaimsAndTimesAreChecked() {
		CdsClientTokens tokens = tokens(database("claims"));
		Instant now = Instant.now();
		assertThatThrownBy(() -> tokens.verify(sign(c -> c.jwtID(null)), URL)).hasMessageContaining("jti");
		assertThatThrownBy(() -> tokens.verify(sign(c -> c.expirationTime(Date.from(now.minusSeconds(120)))), URL))
			.hasMessageContaining("Expired");
		assertThatThrownBy(() -> tokens.verify(sign(c -> c.issueTime(Date.from(now.plusSeconds(600)))), URL))
			.hasMessage("iat in the future");
	}

	CdsClientTokens tokens(JdbcTemplate database) {
		try {
			Path jwks = Files.writeString(dir.resolve("jwks.json"), TestKeys.publicJwks(KEY));
			SecurityProperties.CdsClient client = new SecurityProperties.CdsClient(ISSUER, jwks.toUri().toString(),
					List.of("https://fhir.example/r4"));
			return new CdsClientTokens(List.of(client), Duration.ofSeconds(60), new JtiReplayCache(database));
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	static JdbcTemplate database(String name) {
		return new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:jti-" + name + ";DB_CLOSE_DELAY=-1"));
	}

	static String sign(UnaryOperator<JWTClaimsSet.Builder> edit) {
		return TestKeys.sign(KEY, JWSAlgorithm.ES384, claims(edit));
	}

	static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> edit) {
		Instant now = Instant.now();
		return TestKeys.claims(c -> edit.apply(c.issuer(ISSUER)
			.audience(URL)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString())));
	}

}
