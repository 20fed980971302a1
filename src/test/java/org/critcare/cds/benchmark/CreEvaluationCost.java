package org.critcare.cds.benchmark;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.cdshooks.HookCalls;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.critcare.cds.patientdata.PatientData;
import org.critcare.cds.recommendation.CardTextParameters;
import org.critcare.cds.recommendation.HookCall;
import org.critcare.cds.recommendation.Recommendation;
import org.critcare.cds.recommendation.Recommendations;
import org.critcare.cds.scenarios.Scenario;
import org.critcare.cds.support.ShippedKnowledge;

/**
 * The CPU one cre-stewardship order-sign evaluation of the benchmark's CRE patient
 * ({@link CreBenchmarkPatient}) costs in process: the rules' conditions and the fired
 * cards' texts, without HTTP, request parsing or the data's FHIR parsing. Usage (from the
 * project directory, test classpath):
 * {@code CreEvaluationCost [warm-up calls] [timed calls]
 * [defines]}. With {@code defines} it then evaluates each define of
 * {@code cql/CreStewardship.cql} that is not a card text alone, in a fresh evaluation,
 * and lists them by CPU per evaluation (each figure includes the defines it uses).
 */
public final class CreEvaluationCost {

	private CreEvaluationCost() {
	}

	public static void main(String[] args) {
		int warm = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
		int timed = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
		FhirContext fhir = FhirContext.forR4Cached();
		Knowledge knowledge = ShippedKnowledge.get(fhir);
		Scenario scenario = CreBenchmarkPatient.scenario();
		HookCall call = HookCalls.of(scenario, "en");
		ServiceDefinition service = knowledge.service(scenario.service()).orElseThrow();
		PatientData data = PatientData.of(scenario.resources(fhir)).withFirst(call.draftOrders());
		ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
		List<Recommendation> cards = evaluate(knowledge, service, call, data, now);
		System.out.println("cards: " + cards.stream().map(c -> c.rule().id()).toList());
		for (int i = 0; i < warm; i++) {
			evaluate(knowledge, service, call, data, now);
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpu = threads.getCurrentThreadCpuTime();
		long wall = System.nanoTime();
		for (int i = 0; i < timed; i++) {
			evaluate(knowledge, service, call, data, now);
		}
		System.out.printf("%d calls: %.3f ms CPU per call, %.3f ms wall per call%n", timed,
				(threads.getCurrentThreadCpuTime() - cpu) / 1e6 / timed, (System.nanoTime() - wall) / 1e6 / timed);
		if (args.length > 2 && args[2].equals("defines")) {
			Map<String, Object> parameters = new HashMap<>(call.cqlParameters());
			parameters.putAll(CardTextParameters.of("en", ZoneOffset.UTC, now));
			Map<String, Double> costs = new HashMap<>();
			for (String define : defines()) {
				for (int i = 0; i < 100; i++) {
					evaluateAlone(knowledge, service, call, data, parameters, now, define);
				}
				long start = threads.getCurrentThreadCpuTime();
				for (int i = 0; i < 300; i++) {
					evaluateAlone(knowledge, service, call, data, parameters, now, define);
				}
				costs.put(define, (threads.getCurrentThreadCpuTime() - start) / 1e6 / 300);
			}
			costs.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
				.forEach(e -> System.out.printf("%8.3f ms  %s%n", e.getValue(), e.getKey()));
		}
	}

	private static void evaluateAlone(Knowledge knowledge, ServiceDefinition service, HookCall call, PatientData data,
			Map<String, Object> parameters, ZonedDateTime now, String define) {
		knowledge.evaluator()
			.open(service.library(), call.patientId(), data, parameters, now)
			.evaluate(List.of(define));
	}

	private static List<String> defines() {
		try {
			List<String> names = new ArrayList<>();
			Matcher define = Pattern.compile("(?m)^define \"([^\"]+)\":")
				.matcher(Files.readString(Path.of("cql/CreStewardship.cql")));
			while (define.find()) {
				String name = define.group(1);
				if (!name.matches(".*(Text|Shown|Summary|Detail)$")) {
					names.add(name);
				}
			}
			return names;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static List<Recommendation> evaluate(Knowledge knowledge, ServiceDefinition service, HookCall call,
			PatientData data, ZonedDateTime now) {
		return Recommendations.recommend(knowledge, service, call.hook(), call.patientId(), data, call.cqlParameters(),
				now, "en");
	}

}
