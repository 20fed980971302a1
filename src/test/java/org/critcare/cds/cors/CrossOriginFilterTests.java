package org.critcare.cds.cors;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * CORS with a configured list of origins: only those are answered, a rejection is 403 in
 * the shape of its endpoint; the default allows any origin without credentials.
 */
class CrossOriginFilterTests {

	@Test
	void aConfiguredOriginGetsItsPreflightAnsweredWithoutCredentials() throws Exception {
		MockHttpServletResponse response = preflight(filter(List.of("https://app.example.org")),
				"https://app.example.org", "/fhir/Patient/p1", "PUT", "authorization, content-type, if-match");
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example.org");
		assertThat(response.getHeader("Access-Control-Allow-Methods")).contains("PUT");
		assertThat(response.getHeader("Access-Control-Allow-Headers")).contains("authorization", "if-match");
		assertThat(response.getHeader("Access-Control-Allow-Credentials")).isNull();
	}

	@Test
	void anotherOriginIs403AsOperationOutcomeUnderFhirAndAsErrorElsewhere() throws Exception {
		CrossOriginFilter filter = filter(List.of("https://app.example.org"));
		MockHttpServletResponse fhir = preflight(filter, "https://evil.example", "/fhir/Patient", "GET", null);
		assertThat(fhir.getStatus()).isEqualTo(403);
		assertThat(fhir.getContentAsString()).startsWith("{\"resourceType\":\"OperationOutcome\"");
		assertThat(fhir.getHeader("Access-Control-Allow-Origin")).isNull();
		MockHttpServletRequest call = new MockHttpServletRequest("POST", "/cds-services/sepsis-perfusion");
		call.addHeader("Origin", "https://evil.example");
		MockHttpServletResponse cds = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		filter.doFilter(call, cds, chain);
		assertThat(cds.getStatus()).isEqualTo(403);
		assertThat(cds.getContentAsString()).startsWith("{\"error\":\"ORIGIN_NOT_ALLOWED\",\"message\":");
		assertThat(chain.getRequest()).isNull();
	}

	@Test
	void theDefaultAllowsAnyOriginAndPassesRequestsOn() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/cds-services");
		request.addHeader("Origin", "http://localhost:3000");
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		filter(List.of("*")).doFilter(request, response, chain);
		assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
		assertThat(response.getHeader("Access-Control-Expose-Headers")).contains("Location", "ETag",
				"Content-Location");
		assertThat(chain.getRequest()).isSameAs(request);
	}

	private static CrossOriginFilter filter(List<String> origins) {
		return new CorsConfig().crossOriginFilter(new CorsProperties(origins)).getFilter();
	}

	private static MockHttpServletResponse preflight(CrossOriginFilter filter, String origin, String path,
			String method, String headers) throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("OPTIONS", path);
		request.addHeader("Origin", origin);
		request.addHeader("Access-Control-Request-Method", method);
		if (headers != null) {
			request.addHeader("Access-Control-Request-Headers", headers);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		filter.doFilter(request, response, chain);
		assertThat(chain.getRequest()).isNull();
		return response;
	}

}
