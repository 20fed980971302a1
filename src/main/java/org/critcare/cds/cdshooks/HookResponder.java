package org.critcare.cds.cdshooks;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseLinkJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseSuggestionJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.critcare.cds.feedback.IssuedCards;
import org.critcare.cds.recommendation.Recommendation;
import org.critcare.cds.recommendation.RecommendationService;
import org.critcare.cds.security.SecurityProperties;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Answers one service call, from its raw JSON body or (for the SMART app) from a patient
 * id as a {@code patient-view} call without prefetch: parse and validate, gather data and
 * evaluate, map recommendations to cards and remember their origin for feedback.
 * Patient-view cards also link to the SMART app (CDS Hooks 2.0 §Link, type {@code smart})
 * with an {@code appContext} naming the rule and the patient.
 */
@Component
class HookResponder {

	/**
	 * The response and what the call log line, the audit line and metrics need.
	 *
	 * @param response the response (cards)
	 * @param ruleIds the rule of each card, in card order
	 */
	record Answer(CdsServiceResponseJson response, String hook, String hookInstance, List<String> ruleIds,
			String patientId) {

		int cards() {
			return ruleIds.size();
		}

	}

	private static final String APP_LAUNCH = "/app/launch.html";

	private final RecommendationService recommendations;

	private final HookRequestParser parser;

	private final CdsHooksJson json;

	private final IssuedCards issuedCards;

	private final MessageSource messages;

	private final SecurityProperties security;

	HookResponder(RecommendationService recommendations, HookRequestParser parser, CdsHooksJson json,
			IssuedCards issuedCards, MessageSource messages, SecurityProperties security) {
		this.security = security;
		this.recommendations = recommendations;
		this.parser = parser;
		this.json = json;
		this.issuedCards = issuedCards;
		this.messages = messages;
	}

	Answer answer(String serviceId, byte[] body, String acceptLanguage, String fhirBase,
			Optional<List<String>> allowedFhirServers, HookMetrics.Call call) {
		recommendations.service(serviceId);
		HookRequest request = parser.parse(serviceId, body, acceptLanguage, allowedFhirServers);
		call.hook(request.call().hook());
		return answer(request, fhirBase, call);
	}

	/**
	 * The service's {@code patient-view} cards for the patient, from this server's own
	 * store, exactly as an EHR calling the service without prefetch would get them.
	 */
	Answer patientView(String serviceId, String patientId, String acceptLanguage, String fhirBase,
			HookMetrics.Call call) {
		recommendations.service(serviceId);
		HookRequest request = parser.patientView(serviceId, patientId, acceptLanguage);
		call.hook(request.call().hook());
		return answer(request, fhirBase, call);
	}

	private Answer answer(HookRequest request, String fhirBase, HookMetrics.Call call) {
		String serviceId = request.call().serviceId();
		List<Recommendation> fired = recommendations.recommend(request.call());
		CdsServiceResponseJson response = new CdsServiceResponseJson();
		List<String> ruleIds = new ArrayList<>();
		for (Recommendation recommendation : fired) {
			CdsServiceResponseCardJson card = CardMapper.toCard(recommendation, fhirBase);
			Set<String> suggestionIds = card.getSuggestions() == null ? Set.of()
					: card.getSuggestions()
						.stream()
						.map(CdsServiceResponseSuggestionJson::getUuid)
						.collect(Collectors.toUnmodifiableSet());
			if ("patient-view".equals(request.call().hook())) {
				List<CdsServiceResponseLinkJson> links = new ArrayList<>();
				if (card.getLinks() != null) {
					links.addAll(card.getLinks());
				}
				links.add(appLink(recommendation, request.call().patientId(), fhirBase));
				card.setLinks(links);
			}
			if (!call.warmup()) {
				issuedCards.remember(card.getUuid(), new IssuedCards.IssuedCard(serviceId, recommendation.rule().id(),
						recommendation.rule().overrideReasons(), suggestionIds));
			}
			response.addCard(card);
			ruleIds.add(recommendation.rule().id());
		}
		return new Answer(response, request.call().hook(), request.hookInstance(), ruleIds, request.call().patientId());
	}

	/**
	 * The smart link to the app. With security on it is the plain launch URL: the EHR
	 * adds {@code iss} and {@code launch}, and the authorization server hands the app the
	 * patient and this {@code appContext}. The open embedded server has no authorization
	 * server, so the URL itself also names the patient and the rule.
	 */
	private CdsServiceResponseLinkJson appLink(Recommendation recommendation, String patientId, String fhirBase) {
		String appBase = fhirBase.replaceAll("/fhir$", "");
		String ruleId = recommendation.rule().id();
		String url = appBase + APP_LAUNCH;
		if (!security.enabled()) {
			url += "?patient=" + URLEncoder.encode(patientId, StandardCharsets.UTF_8) + "&rule="
					+ URLEncoder.encode(ruleId, StandardCharsets.UTF_8);
		}
		return new CdsServiceResponseLinkJson()
			.setLabel(
					messages.getMessage("card.app-link.label", null, Locale.forLanguageTag(recommendation.language())))
			.setUrl(url)
			.setType("smart")
			.setAppContext(
					new String(json.write(Map.of("rule", ruleId, "patient", patientId)), StandardCharsets.UTF_8));
	}

}
