package org.critcare.cds.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * The public keys of a trusted party, from its JSON Web Key Set (RFC 7517): a
 * {@code file:} set is read once at start-up; an {@code https:} (or {@code http:}) set is
 * cached by Nimbus' {@link JWKSourceBuilder} and fetched again when a token names a
 * {@code kid} the cache does not hold (key rotation), rate-limited.
 */
final class JwkSources {

	private JwkSources() {
	}

	static JWKSource<SecurityContext> of(String jwksUri) {
		if (jwksUri == null || jwksUri.isBlank()) {
			throw new IllegalStateException("a trusted issuer or CDS client without jwks-uri");
		}
		URI uri = URI.create(jwksUri.strip());
		try {
			if ("file".equalsIgnoreCase(uri.getScheme())) {
				return new ImmutableJWKSet<>(JWKSet.load(Path.of(uri).toFile()));
			}
			if ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) {
				return JWKSourceBuilder.create(uri.toURL()).retrying(true).build();
			}
		}
		catch (MalformedURLException e) {
			throw new IllegalStateException("jwks-uri is not a URL: " + jwksUri, e);
		}
		catch (IOException | ParseException e) {
			throw new IllegalStateException("cannot read the JWK Set " + jwksUri, e);
		}
		throw new IllegalStateException("jwks-uri must be https: or file:, not " + jwksUri);
	}

}
