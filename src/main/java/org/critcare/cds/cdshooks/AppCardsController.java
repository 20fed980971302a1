package org.critcare.cds.cdshooks;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import jakarta.servlet.http.HttpServletRequest;
import org.critcare.cds.fhir.FhirServerProperties;
import org.critcare.cds.recommendation.RecommendationService;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The current cards of one patient for the SMART app's patient view (issue 13):
 * {@code GET /app/api/patients/{id}/cards} calls every service that answers
 * {@code patient-view} for the patient, with its data from this server's own store, and
 * returns their cards together in the CDS Hooks 2.0 response shape (§CDS Service
 * Response), in the language {@code Accept-Language} prefers. The cards are those
 * {@code /cds-services} gives an EHR calling without prefetch: same parsing, evaluation,
 * card mapping and app links, but counted neither as rule fires nor as hook calls (the
 * app shows again the cards an EHR was given). It exists because with security on
 * {@code /cds-services} accepts only a CDS client's signed JWT, which a browser app does
 * not hold; here the app's SMART access token is enough if it may read the patient's
 * compartment (checked by the security chain, see {@code SecurityConfig}). One INFO line
 * per request: services, cards and time, never the patient.
 */
@RestController
class AppCardsController {

	private static final String PATIENT_VIEW = "patient-view";

	private static final Logger log = LoggerFactory.getLogger("critcare.cds-hooks");

	private final RecommendationService recommendations;

	private final HookResponder responder;

	private final CdsHooksJson json;

	private final FhirServerProperties fhirServer;

	private final HookMetrics metrics;

	AppCardsController(RecommendationService recommendations, HookResponder responder, CdsHooksJson json,
			FhirServerProperties fhirServer, HookMetrics metrics) {
		this.recommendations = recommendations;
		this.responder = responder;
		this.json = json;
		this.fhirServer = fhirServer;
		this.metrics = metrics;
	}

	@GetMapping("/app/api/patients/{id}/cards")
	ResponseEntity<byte[]> cards(@PathVariable("id") String patientId,
			@RequestHeader(name = "Accept-Language", required = false) String acceptLanguage, HttpServletRequest http) {
		long started = System.nanoTime();
		CdsHooksRequests.requireJsonAccepted(http);
		String fhirBase = CdsHooksRequests.fhirBase(http, fhirServer);
		CdsServiceResponseJson cards = new CdsServiceResponseJson();
		int services = 0;
		for (ServiceDefinition service : recommendations.services()) {
			if (!service.hooks().contains(PATIENT_VIEW)) {
				continue;
			}
			// the app shows again the cards an EHR was given: neither a hook call nor a
			// fire
			HookMetrics.Call call = metrics.start(http, service.id(), true);
			HookResponder.Answer answer = responder.patientView(service.id(), patientId, acceptLanguage, fhirBase,
					call);
			metrics.answered(http, call, answer.ruleIds());
			answer.response().getCards().forEach(cards::addCard);
			services++;
		}
		log.info("app-cards services={} cards={} status=200 ms={}", services, cards.getCards().size(),
				(System.nanoTime() - started) / 1_000_000);
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.write(cards));
	}

}
