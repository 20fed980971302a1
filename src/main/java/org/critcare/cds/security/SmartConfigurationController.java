package org.critcare.cds.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /.well-known/smart-configuration} (SMART App Launch 2.2 §Conformance): the
 * authorization server's endpoints from {@code cds.security.smart.*}, the grant types,
 * PKCE S256 only, the capabilities and the scopes this resource server enforces. Always
 * {@code application/json}, whatever the Accept header. Served only with security on.
 */
@RestController
@ConditionalOnProperty(name = "cds.security.enabled", havingValue = "true")
class SmartConfigurationController {

	private final SecurityProperties properties;

	SmartConfigurationController(SecurityProperties properties) {
		this.properties = properties;
	}

	@GetMapping(path = "/.well-known/smart-configuration", produces = MediaType.ALL_VALUE)
	ResponseEntity<Map<String, Object>> smartConfiguration() {
		SecurityProperties.Smart smart = properties.smart();
		Map<String, Object> body = new LinkedHashMap<>();
		if (!smart.authorizationEndpoint().isBlank()) {
			body.put("authorization_endpoint", smart.authorizationEndpoint());
		}
		body.put("token_endpoint", smart.tokenEndpoint());
		body.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
		body.put("code_challenge_methods_supported", List.of("S256"));
		body.put("response_types_supported", List.of("code"));
		body.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "client_secret_basic"));
		body.put("scopes_supported",
				List.of("openid", "fhirUser", "launch", "launch/patient", "offline_access", "patient/*.rs",
						"patient/*.cruds", "user/*.rs", "user/*.cruds", "system/*.rs", properties.adminScope()));
		body.put("capabilities", smart.capabilities());
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
	}

}
