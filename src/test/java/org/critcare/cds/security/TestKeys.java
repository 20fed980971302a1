package org.critcare.cds.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Keys and signed JWTs for the security tests, made with Nimbus: an RSA key of a SMART
 * authorization server (JWKS in a {@code file:}), an EC key of a CDS client, and keys
 * nobody trusts. Tokens are built from claims, and can be signed wrongly on purpose.
 */
final class TestKeys {

	static final RSAKey AUTH_SERVER = rsa("as-key-1");

	static final ECKey EHR = ec("ehr-key-1");

	/** Same kid as the authorization server's key, different key: a bad signature. */
	static final RSAKey IMPOSTOR = rsa("as-key-1");

	/** A kid that no JWK Set holds. */
	static final RSAKey UNKNOWN = rsa("nobody-knows-me");

	static final Path AUTH_SERVER_JWKS = write("as-jwks", AUTH_SERVER);

	private TestKeys() {
	}

	static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
			jwt.sign(key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key));
			return jwt.serialize();
		}
		catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	/** An unsigned token ({@code alg: none}). */
	static String unsigned(JWTClaimsSet claims) {
		return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
	}

	/**
	 * HS256 with the trusted public key as the HMAC secret (the key-confusion attack).
	 */
	static String hmacWithPublicKey(JWK trusted, JWTClaimsSet claims) {
		try {
			byte[] secret = trusted instanceof RSAKey rsa ? rsa.toRSAPublicKey().getEncoded()
					: ((ECKey) trusted).toECPublicKey().getEncoded();
			byte[] padded = new byte[Math.max(secret.length, 64)];
			System.arraycopy(secret, 0, padded, 0, secret.length);
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(trusted.getKeyID()).build(),
					claims);
			jwt.sign(new MACSigner(padded));
			return jwt.serialize();
		}
		catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> edit) {
		return edit.apply(new JWTClaimsSet.Builder()).build();
	}

	static String publicJwks(JWK key) {
		return new JWKSet(key.toPublicJWK()).toString();
	}

	private static Path write(String name, JWK key) {
		try {
			Path file = Files.createTempFile(name, ".json");
			file.toFile().deleteOnExit();
			Files.writeString(file, publicJwks(key));
			return file;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static RSAKey rsa(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).generate();
		}
		catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	static ECKey ec(String kid) {
		try {
			return new ECKeyGenerator(Curve.P_384).keyID(kid).generate();
		}
		catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

}
