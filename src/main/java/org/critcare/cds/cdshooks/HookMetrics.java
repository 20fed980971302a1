package org.critcare.cds.cdshooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.critcare.cds.feedback.FeedbackRecorder;
import org.critcare.cds.recommendation.RecommendationService;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.critcare.cds.recommendation.UnknownServiceException;
import org.springframework.stereotype.Component;

/**
 * The CDS Hooks metrics published at {@code /actuator/prometheus} (issue 14, README
 * "Metrics"): service calls by service, hook, outcome and status with their latency
 * ({@value #CALLS}), cards by service and rule ({@value #CARDS}) and stored feedback by
 * service, rule and outcome ({@value #FEEDBACK}). Every tag value comes from a bounded
 * set: the service and rule ids of the loaded knowledge, the hooks a service answers, the
 * codes of {@link CdsHooksError}; anything else is {@value #UNKNOWN}. The server's own
 * warm-up calls are not counted.
 */
@Component
class HookMetrics {

	static final String CALLS = "cds.hook.calls";

	static final String CARDS = "cds.cards";

	static final String FEEDBACK = "cds.feedback";

	/**
	 * The tag value of a service, hook or rule that the loaded knowledge does not know.
	 */
	static final String UNKNOWN = "unknown";

	/** The outcome of a call answered with cards (or none). */
	static final String SUCCESS = "success";

	private static final String CALL_ATTRIBUTE = HookMetrics.class.getName() + ".call";

	/**
	 * Latency buckets of {@value #CALLS}, from a prefetch call to the fhirServer timeout.
	 */
	private static final Duration[] BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
			Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
			Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10) };

	private final MeterRegistry registry;

	private final RecommendationService recommendations;

	HookMetrics(MeterRegistry registry, RecommendationService recommendations) {
		this.registry = registry;
		this.recommendations = recommendations;
	}

	/** A service call being answered; its hook is known once the request is parsed. */
	static final class Call {

		private final String serviceId;

		private final long started = System.nanoTime();

		private final boolean warmup;

		private volatile String hook;

		private Call(String serviceId, boolean warmup) {
			this.serviceId = serviceId;
			this.warmup = warmup;
		}

		/** Whether this is one of the server's own warm-up calls. */
		boolean warmup() {
			return warmup;
		}

		void hook(String hook) {
			this.hook = hook;
		}

	}

	/**
	 * Starts timing a service call. A call that fails is counted by
	 * {@link #failed(HttpServletRequest, CdsHooksError)}; a warm-up call is never
	 * counted.
	 */
	Call start(HttpServletRequest http, String serviceId, boolean warmup) {
		Call call = new Call(serviceId, warmup);
		if (!warmup) {
			http.setAttribute(CALL_ATTRIBUTE, call);
		}
		return call;
	}

	/** Counts a call answered with 200 and the cards of the rules that fired. */
	void answered(HttpServletRequest http, Call call, List<String> ruleIds) {
		if (http.getAttribute(CALL_ATTRIBUTE) != call) {
			return;
		}
		Optional<ServiceDefinition> service = known(call.serviceId);
		record(call, service, SUCCESS, 200);
		// the cards were just issued by this service's own rules: their ids need no check
		for (String ruleId : ruleIds) {
			Counter.builder(CARDS)
				.description("CDS Hooks cards returned, by service and rule")
				.tag("service", serviceTag(service))
				.tag("rule", ruleId)
				.register(registry)
				.increment();
		}
	}

	/**
	 * Counts a service call that ended in an error; any other request (discovery,
	 * feedback) is left alone.
	 */
	void failed(HttpServletRequest http, CdsHooksError error) {
		if (http.getAttribute(CALL_ATTRIBUTE) instanceof Call call) {
			record(call, known(call.serviceId), error.name(), error.status().value());
		}
	}

	/** Counts stored feedback entries. */
	void feedback(String serviceId, List<FeedbackRecorder.Stored> stored) {
		Optional<ServiceDefinition> service = known(serviceId);
		for (FeedbackRecorder.Stored entry : stored) {
			Counter.builder(FEEDBACK)
				.description("CDS Hooks feedback entries stored, by service, rule and outcome")
				.tag("service", serviceTag(service))
				.tag("rule", entry.ruleId() == null ? UNKNOWN : ruleTag(service, entry.ruleId()))
				.tag("outcome", entry.outcome())
				.register(registry)
				.increment();
		}
	}

	private void record(Call call, Optional<ServiceDefinition> service, String outcome, int status) {
		String hook = service.filter(s -> call.hook != null && s.hooks().contains(call.hook))
			.map(s -> call.hook)
			.orElse(UNKNOWN);
		Timer.builder(CALLS)
			.description("CDS Hooks service calls, by service, hook, outcome (success or error code) and status")
			.tag("service", serviceTag(service))
			.tag("hook", hook)
			.tag("outcome", outcome)
			.tag("status", Integer.toString(status))
			.serviceLevelObjectives(BUCKETS)
			.register(registry)
			.record(System.nanoTime() - call.started, TimeUnit.NANOSECONDS);
	}

	private Optional<ServiceDefinition> known(String serviceId) {
		try {
			return Optional.of(recommendations.service(serviceId));
		}
		catch (UnknownServiceException e) {
			return Optional.empty();
		}
	}

	private static String serviceTag(Optional<ServiceDefinition> service) {
		return service.map(ServiceDefinition::id).orElse(UNKNOWN);
	}

	private static String ruleTag(Optional<ServiceDefinition> service, String ruleId) {
		return service.filter(s -> s.rules().stream().anyMatch(r -> r.id().equals(ruleId)))
			.map(s -> ruleId)
			.orElse(UNKNOWN);
	}

}
