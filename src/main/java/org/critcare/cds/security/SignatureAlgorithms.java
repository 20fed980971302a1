package org.critcare.cds.security;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.Set;

/**
 * The JWS algorithms accepted on any token: asymmetric only (CDS Hooks 2.0 §Trusting CDS
 * Clients: "{@code none} SHALL NOT be used", nor symmetric algorithms; ES384 and RS384
 * recommended). An HMAC token "signed" with a public key is refused for its algorithm
 * before any key is looked at.
 */
final class SignatureAlgorithms {

	static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
			JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
			JWSAlgorithm.PS512);

	private SignatureAlgorithms() {
	}

}
