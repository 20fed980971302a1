package org.critcare.cds.cdshooks;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import java.util.List;
import java.util.Optional;
import org.critcare.cds.recommendation.Recommendation;
import org.critcare.cds.recommendation.RecommendationService;
import org.springframework.stereotype.Component;

/**
 * Answers one service call from its raw JSON body to the JSON response: parse and
 * validate, gather data and evaluate, map recommendations to cards and remember their
 * origin for feedback.
 */
@Component
class HookResponder {

	/** The response body and what the call log line needs. */
	record Answer(byte[] body, String hook, String hookInstance, int cards, String patientId) {
	}

	private final RecommendationService recommendations;

	private final HookRequestParser parser;

	private final CdsHooksJson json;

	private final IssuedCards issuedCards;

	HookResponder(RecommendationService recommendations, HookRequestParser parser, CdsHooksJson json,
			IssuedCards issuedCards) {
		this.recommendations = recommendations;
		this.parser = parser;
		this.json = json;
		this.issuedCards = issuedCards;
	}

	Answer answer(String serviceId, byte[] body, String acceptLanguage, String fhirBase,
			Optional<List<String>> allowedFhirServers) {
		recommendations.service(serviceId);
		HookRequest request = parser.parse(serviceId, body, acceptLanguage, allowedFhirServers);
		List<Recommendation> fired = recommendations.recommend(request.call());
		CdsServiceResponseJson response = new CdsServiceResponseJson();
		for (Recommendation recommendation : fired) {
			CdsServiceResponseCardJson card = CardMapper.toCard(recommendation, fhirBase);
			issuedCards.remember(card.getUuid(), new IssuedCards.IssuedCard(serviceId, recommendation.rule().id(),
					recommendation.rule().overrideReasons()));
			response.addCard(card);
		}
		return new Answer(json.write(response), request.call().hook(), request.hookInstance(), fired.size(),
				request.call().patientId());
	}

}
