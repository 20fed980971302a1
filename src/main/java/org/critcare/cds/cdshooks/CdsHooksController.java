package org.critcare.cds.cdshooks;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServicesJson;
import jakarta.servlet.http.HttpServletRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.critcare.cds.security.AuthenticatedCdsClient;
import org.critcare.cds.limits.RequestLimits;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.app.RuleFires;
import org.critcare.cds.feedback.FeedbackRecorder;
import org.critcare.cds.fhir.FhirServerProperties;
import org.critcare.cds.recommendation.RecommendationService;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CDS Hooks 2.0 endpoints: discovery ({@code GET /cds-services}), service calls
 * ({@code POST /cds-services/{id}}) and feedback ({@code POST
 * /cds-services/{id}/feedback}). One INFO line per call: service, hook, hookInstance,
 * card count and time; never patient data, request bodies or tokens.
 */
@RestController
@RequestMapping("/cds-services")
class CdsHooksController {

	private static final Pattern SERVICE_PATH = Pattern.compile("/cds-services/([^/]+)(/feedback)?");

	private static final Logger log = LoggerFactory.getLogger("critcare.cds-hooks");

	private final RecommendationService recommendations;

	private final HookResponder responder;

	private final CdsHooksJson json;

	private final FeedbackRecorder feedback;

	private final FhirServerProperties fhirServer;

	private final RequestLimits limits;

	private final RuleFires ruleFires;

	private final HookMetrics metrics;

	CdsHooksController(RecommendationService recommendations, HookResponder responder, CdsHooksJson json,
			FeedbackRecorder feedback, FhirServerProperties fhirServer, RequestLimits limits, RuleFires ruleFires,
			HookMetrics metrics) {
		this.recommendations = recommendations;
		this.responder = responder;
		this.json = json;
		this.feedback = feedback;
		this.fhirServer = fhirServer;
		this.limits = limits;
		this.ruleFires = ruleFires;
		this.metrics = metrics;
	}

	/**
	 * CDS Hooks §Discovery: one entry per service and hook, built from the stored
	 * PlanDefinitions.
	 */
	@GetMapping
	ResponseEntity<byte[]> discovery(HttpServletRequest http) {
		CdsHooksRequests.requireJsonAccepted(http);
		CdsServicesJson services = new CdsServicesJson();
		services.getServices();
		for (ServiceDefinition service : recommendations.services()) {
			for (String hook : service.hooks()) {
				CdsServiceJson entry = new CdsServiceJson().setId(service.id())
					.setHook(hook)
					.setTitle(service.title())
					.setDescription(service.description());
				service.prefetch().forEach(entry::addPrefetch);
				services.addService(entry);
			}
		}
		return ok(json.write(services));
	}

	/** CDS Hooks §Calling a CDS Service: the cards of the rules that fire. */
	@PostMapping("/{id}")
	ResponseEntity<byte[]> call(@PathVariable("id") String serviceId,
			@RequestHeader(name = "Accept-Language", required = false) String acceptLanguage, HttpServletRequest http) {
		long started = System.nanoTime();
		HookMetrics.Call call = metrics.start(http, serviceId, isWarmup(http));
		byte[] body = body(http);
		Optional<AuthenticatedCdsClient> client = AuthenticatedCdsClient.of(http);
		HookResponder.Answer answer = responder.answer(serviceId, body, acceptLanguage,
				CdsHooksRequests.fhirBase(http, fhirServer), client.map(AuthenticatedCdsClient::fhirServers), call);
		metrics.answered(http, call, answer.ruleIds());
		client.ifPresent(c -> http.setAttribute(AuthenticatedCdsClient.AUDIT_PATIENT_ATTRIBUTE,
				"Patient/" + answer.patientId()));
		if (!isWarmup(http)) {
			answer.ruleIds().forEach(rule -> ruleFires.record(serviceId, rule));
			log.info("cds-hooks service={} hook={} hookInstance={} cards={} status=200 ms={}", serviceId, answer.hook(),
					answer.hookInstance(), answer.cards(), (System.nanoTime() - started) / 1_000_000);
		}
		return ok(json.write(answer.response()));
	}

	/** CDS Hooks §Feedback: stored as AuditEvents, queryable per service and rule. */
	@PostMapping("/{id}/feedback")
	ResponseEntity<byte[]> feedback(@PathVariable("id") String serviceId, HttpServletRequest http) {
		byte[] body = body(http);
		recommendations.service(serviceId);
		JsonNode request = json.readObject(body);
		if (request.path("feedback").size() > limits.maxFeedbackEntries()) {
			throw new InvalidHookRequestException(CdsHooksError.FEEDBACK_TOO_LARGE, "feedback may hold at most "
					+ limits.maxFeedbackEntries() + " entries (cds.limits.max-feedback-entries)");
		}
		List<FeedbackRecorder.Stored> stored = feedback.record(serviceId, request);
		metrics.feedback(serviceId, stored);
		log.info("cds-hooks feedback service={} entries={} status=200", serviceId, stored.size());
		return ok(json.write(Map.of()));
	}

	/**
	 * Any other request under {@code /cds-services}: 405 on the path of a known service
	 * with another method, else 404, both in the error shape of CONTRACT "Errors".
	 */
	@RequestMapping("/**")
	ResponseEntity<byte[]> unmatched(HttpServletRequest http) {
		String path = http.getRequestURI().substring(http.getContextPath().length());
		if (path.equals("/cds-services")) {
			throw new InvalidHookRequestException(CdsHooksError.METHOD_NOT_ALLOWED, "Discovery answers GET only");
		}
		Matcher service = SERVICE_PATH.matcher(path);
		if (service.matches()) {
			// a service the knowledge does not have is 404 whatever the method
			recommendations.service(service.group(1));
			throw new InvalidHookRequestException(CdsHooksError.METHOD_NOT_ALLOWED,
					"CDS services and their feedback answer POST only");
		}
		throw new InvalidHookRequestException(CdsHooksError.NOT_FOUND, "No such CDS Hooks endpoint");
	}

	private byte[] body(HttpServletRequest http) {
		CdsHooksRequests.requireJsonAccepted(http);
		return CdsHooksRequests.jsonBody(http, limits.maxRequestSize().toBytes());
	}

	private static ResponseEntity<byte[]> ok(byte[] body) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
	}

	private static boolean isWarmup(HttpServletRequest http) {
		return CdsHooksWarmup.isWarmup(http.getHeader(CdsHooksWarmup.WARMUP_HEADER));
	}

}
