package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.critcare.cds.app.RuleFires;
import org.critcare.cds.cql.CqlEvaluationException;
import org.critcare.cds.feedback.FeedbackRecorder;
import org.critcare.cds.feedback.IssuedCards;
import org.critcare.cds.fhir.FhirServerProperties;
import org.critcare.cds.knowledge.CardText;
import org.critcare.cds.knowledge.Indicator;
import org.critcare.cds.knowledge.RuleDefinition;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.critcare.cds.limits.RequestLimits;
import org.critcare.cds.patientdata.DataUnavailableException;
import org.critcare.cds.recommendation.RecommendationService;
import org.critcare.cds.recommendation.UnknownServiceException;
import org.critcare.cds.recommendation.UnsupportedHookException;
import org.critcare.cds.security.AuthenticatedCdsClient;
import org.critcare.cds.security.SecurityProperties;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The CDS Hooks endpoints in a web slice (issue 9, the middle test tier): the controller,
 * the request parser, the responder, feedback validation and the one error handler, on a
 * mocked service catalog and store, without the server. Discovery lists the catalog's
 * services; every error code the endpoints answer has the status of the README's error
 * table and the body {@code {"error", "message"}}. {@code ORIGIN_NOT_ALLOWED} is the CORS
 * filter's, outside this slice ({@code CorsIT}).
 */
@WebMvcTest(controllers = CdsHooksController.class,
		properties = { "cds.limits.max-request-size=2KB", "cds.limits.max-prefetch-entries=2",
				"cds.limits.max-feedback-entries=2" })
@Import({ CdsHooksJson.class, HookRequestParser.class, PrefetchParser.class, HookResponder.class, HookMetrics.class,
		FeedbackRecorder.class, CdsHooksWebTests.Slice.class })
class CdsHooksWebTests {

	static final String SERVICE = "/cds-services/sepsis-perfusion";

	static final String HOOK_INSTANCE = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";

	static final ObjectMapper JSON = new ObjectMapper();

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ CdsHooksProperties.class, RequestLimits.class, FhirServerProperties.class,
			SecurityProperties.class })
	static class Slice {

		@Bean
		FhirContext fhirContext() {
			return FhirContext.forR4Cached();
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Autowired
	MockMvc mvc;

	@MockitoBean
	RecommendationService recommendations;

	@MockitoBean
	RuleFires ruleFires;

	@MockitoBean
	IssuedCards issuedCards;

	@MockitoBean
	IFhirSystemDao<Bundle, Meta> systemDao;

	@BeforeEach
	void catalog() {
		ServiceDefinition sepsis = service("sepsis-perfusion", "Sepsis perfusion",
				Map.of("patient", "Patient/{{context.patientId}}"), "patient-view");
		ServiceDefinition stenting = service("bao-rescue-stenting", "BAO rescue stenting", Map.of(), "order-select",
				"order-sign");
		given(recommendations.services()).willReturn(List.of(sepsis, stenting));
		given(recommendations.service("sepsis-perfusion")).willReturn(sepsis);
		given(recommendations.service("bao-rescue-stenting")).willReturn(stenting);
		given(recommendations.service("no-such-service")).willThrow(new UnknownServiceException("no-such-service"));
	}

	@Test
	void discoveryListsEachServiceOfTheCatalogOnceForEachOfItsHooks() throws Exception {
		MockHttpServletResponse response = mvc.perform(get("/cds-services")).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
		JsonNode services = JSON.readTree(response.getContentAsByteArray()).path("services");
		List<String> entries = new ArrayList<>();
		for (JsonNode service : services) {
			entries.add(service.path("id").asText() + " " + service.path("hook").asText());
		}
		assertThat(entries).containsExactly("sepsis-perfusion patient-view", "bao-rescue-stenting order-select",
				"bao-rescue-stenting order-sign");
		JsonNode sepsis = services.get(0);
		assertThat(sepsis.path("title").asText()).isEqualTo("Sepsis perfusion");
		assertThat(sepsis.path("description").asText()).isEqualTo("Sepsis perfusion, for the slice");
		assertThat(sepsis.path("prefetch").path("patient").asText()).isEqualTo("Patient/{{context.patientId}}");
	}

	@Test
	void aPatientViewCallOnWhichNoRuleFiresAnswers200WithNoCards() throws Exception {
		given(recommendations.recommend(any())).willReturn(List.of());
		MockHttpServletResponse response = mvc.perform(call(patientView("p1"))).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		JsonNode cards = JSON.readTree(response.getContentAsByteArray()).path("cards");
		assertThat(cards.isArray()).isTrue();
		assertThat(cards).isEmpty();
	}

	@Test
	void discoveryAnswersGetOnlyAndOnlyAsJson() throws Exception {
		assertError(post("/cds-services").contentType(MediaType.APPLICATION_JSON).content("{}"), 405,
				"METHOD_NOT_ALLOWED");
		assertError(get("/cds-services").accept(MediaType.APPLICATION_XML), 406, "NOT_ACCEPTABLE");
	}

	@Test
	void aServiceAndItsFeedbackAnswerPostOnlyAndOtherPathsAreNotFound() throws Exception {
		assertError(get(SERVICE), 405, "METHOD_NOT_ALLOWED");
		assertError(get(SERVICE + "/feedback"), 405, "METHOD_NOT_ALLOWED");
		assertError(get(SERVICE + "/feedback/more"), 404, "NOT_FOUND");
	}

	@Test
	void aCallOrFeedbackToAServiceNotInTheCatalogIs404() throws Exception {
		assertError(post("/cds-services/no-such-service").contentType(MediaType.APPLICATION_JSON)
			.content(patientView("p1")), 404, "UNKNOWN_SERVICE");
		assertError(post("/cds-services/no-such-service/feedback").contentType(MediaType.APPLICATION_JSON)
			.content(feedback(1, "overridden")), 404, "UNKNOWN_SERVICE");
		// with another method too: there is nothing at that path to allow a method on
		assertError(get("/cds-services/no-such-service"), 404, "UNKNOWN_SERVICE");
		assertError(get("/cds-services/no-such-service/feedback"), 404, "UNKNOWN_SERVICE");
	}

	@Test
	void aBodyThatIsNotAJsonObjectOrIsTooLargeIsRefused() throws Exception {
		assertError(post(SERVICE).contentType(MediaType.TEXT_PLAIN).content(patientView("p1")), 415,
				"UNSUPPORTED_MEDIA_TYPE");
		assertError(call("{\"hook\": "), 400, "MALFORMED_JSON");
		assertError(call("[]"), 400, "MALFORMED_JSON");
		assertError(call("{\"hook\": \"patient-view\", \"padding\": \"" + "x".repeat(3000) + "\"}"), 413,
				"PAYLOAD_TOO_LARGE");
	}

	static Stream<Arguments> invalidCalls() {
		String context = "\"context\": {\"patientId\": \"p1\"}";
		String bundleOfThree = "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": [{}, {}, {}]}";
		return Stream.of(
				Arguments.of("{\"hookInstance\": \"" + HOOK_INSTANCE + "\", " + context + "}", 400, "MISSING_HOOK"),
				Arguments.of("{\"hook\": \"patient-view\", " + context + "}", 400, "MISSING_HOOK_INSTANCE"),
				Arguments.of("{\"hook\": \"patient-view\", \"hookInstance\": \"call-1\", " + context + "}", 400,
						"INVALID_HOOK_INSTANCE"),
				Arguments.of("{\"hook\": \"patient-view\", \"hookInstance\": \"" + HOOK_INSTANCE + "\"}", 400,
						"MISSING_CONTEXT"),
				Arguments.of(hookRequest("patient-view", "\"context\": {}"), 400, "MISSING_PATIENT_ID"),
				Arguments.of(hookRequest("order-sign", context), 400, "INVALID_CONTEXT"),
				Arguments.of(hookRequest("patient-view", context + ", \"prefetch\": {\"patient\": \"p1\"}"), 400,
						"INVALID_PREFETCH"),
				Arguments.of(
						hookRequest("patient-view", context + ", \"prefetch\": {\"vitals\": " + bundleOfThree + "}"),
						413, "PREFETCH_TOO_LARGE"),
				Arguments.of(hookRequest("patient-view", context + ", \"fhirServer\": \"file:///etc/passwd\""), 400,
						"INVALID_FHIR_SERVER"),
				Arguments.of(
						hookRequest("patient-view", context + ", \"fhirAuthorization\": {\"access_token\": \"t\"}"),
						400, "INVALID_FHIR_AUTHORIZATION"));
	}

	@ParameterizedTest(name = "{2}")
	@MethodSource("invalidCalls")
	void aCallTheParserRefusesIsAnsweredWithItsCode(String body, int status, String code) throws Exception {
		assertError(call(body), status, code);
	}

	@Test
	void aCallNamingAFhirServerTheCdsClientIsNotTrustedForIs400() throws Exception {
		// as the CDS client filter leaves the authenticated client when security is on
		AuthenticatedCdsClient client = new AuthenticatedCdsClient("https://ehr.example.org",
				List.of("https://ehr.example.org/fhir"));
		assertError(call(hookRequest("patient-view",
				"\"context\": {\"patientId\": \"p1\"}, \"fhirServer\": \"https://elsewhere.example.org/fhir\""))
			.requestAttr(AuthenticatedCdsClient.class.getName(), client), 400, "FHIR_SERVER_NOT_ALLOWED");
	}

	@Test
	void aHookTheServiceDoesNotAnswerIs400() throws Exception {
		given(recommendations.recommend(any()))
			.willThrow(new UnsupportedHookException("sepsis-perfusion", "encounter-start", Set.of("patient-view")));
		assertError(call(hookRequest("encounter-start", "\"context\": {\"patientId\": \"p1\"}")), 400,
				"UNSUPPORTED_HOOK");
	}

	@Test
	void dataTheServiceCannotGetIs412() throws Exception {
		given(recommendations.recommend(any()))
			.willThrow(new DataUnavailableException("fhirServer did not answer within 2 s"));
		assertError(call(patientView("p1")), 412, "DATA_UNAVAILABLE");
	}

	@Test
	void aFailureOfTheServicesLogicIs500WithoutItsCause() throws Exception {
		given(recommendations.recommend(any()))
			.willThrow(new CqlEvaluationException("Sepsis define failed", new ArithmeticException("/ by zero")));
		assertThat(assertError(call(patientView("p1")), 500, "EVALUATION_FAILED"))
			.isEqualTo("The service's logic failed; the failure is logged on the server");
	}

	@Test
	void anyOtherFailureIs500WithoutItsCause() throws Exception {
		given(recommendations.recommend(any())).willThrow(new IllegalStateException("connection pool closed"));
		assertThat(assertError(call(patientView("p1")), 500, "INTERNAL_ERROR"))
			.isEqualTo("Internal error; it is logged on the server");
	}

	@Test
	void feedbackWithAnOutcomeOtherThanAcceptedOrOverriddenIs400AndStoresNothing() throws Exception {
		assertThat(assertError(
				post(SERVICE + "/feedback").contentType(MediaType.APPLICATION_JSON).content(feedback(1, "ignored")),
				400, "INVALID_FEEDBACK"))
			.isEqualTo("outcome must be accepted or overridden");
		verifyNoInteractions(systemDao);
	}

	@Test
	void feedbackWithMoreEntriesThanTheLimitIs413AndStoresNothing() throws Exception {
		assertError(
				post(SERVICE + "/feedback").contentType(MediaType.APPLICATION_JSON).content(feedback(3, "overridden")),
				413, "FEEDBACK_TOO_LARGE");
		verifyNoInteractions(systemDao);
	}

	/**
	 * Asserts the documented status and the error body: JSON with exactly the fields
	 * {@code error} (the code) and {@code message}.
	 * @return the message
	 */
	private String assertError(MockHttpServletRequestBuilder request, int status, String code) throws Exception {
		MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
		String body = response.getContentAsString();
		assertThat(response.getStatus()).as(body).isEqualTo(status);
		assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
		JsonNode error = JSON.readTree(body);
		List<String> fields = new ArrayList<>();
		error.fieldNames().forEachRemaining(fields::add);
		assertThat(fields).as(body).containsExactly("error", "message");
		assertThat(error.path("error").asText()).isEqualTo(code);
		assertThat(error.path("message").asText()).isNotBlank();
		return error.path("message").asText();
	}

	private static MockHttpServletRequestBuilder call(String body) {
		return post(SERVICE).contentType(MediaType.APPLICATION_JSON).content(body);
	}

	private static String hookRequest(String hook, String rest) {
		return "{\"hook\": \"" + hook + "\", \"hookInstance\": \"" + HOOK_INSTANCE + "\", " + rest + "}";
	}

	private static String patientView(String patientId) {
		return hookRequest("patient-view", "\"context\": {\"patientId\": \"" + patientId + "\"}");
	}

	private static String feedback(int entries, String outcome) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < entries; i++) {
			items.add("{\"card\": \"0b5a9c64-3f1e-4a43-9d6e-5a1f0c2d7e1" + i + "\", \"outcome\": \"" + outcome
					+ "\", \"outcomeTimestamp\": \"2026-12-02T10:00:00Z\"}");
		}
		return "{\"feedback\": [" + String.join(", ", items) + "]}";
	}

	/** A service of the catalog with one rule on the given hooks. */
	private static ServiceDefinition service(String id, String title, Map<String, String> prefetch, String... hooks) {
		CardText text = new CardText(Optional.empty(), title, Map.of());
		RuleDefinition rule = new RuleDefinition(id.toUpperCase() + "-RULE",
				"http://example.org/cds/CodeSystem/rule-id", title, new LinkedHashSet<>(List.of(hooks)),
				List.of("Rule Fires"), Indicator.WARNING, text, text, List.of(), List.of(), List.of(), null);
		return new ServiceDefinition(id, title, title + ", for the slice", "SliceLibrary", List.of(rule), prefetch);
	}

}
