package org.critcare.cds.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.critcare.cds.scenarios.Scenario;
import org.critcare.cds.support.Http;

/**
 * Measures the sepsis-perfusion service of a running server (issue 4 performance
 * targets): a small patient (public scenario PUB-SEP-01) and a large one (300
 * Observations: MAP every 10 minutes and lactate every 4 hours over two days) with
 * prefetch, sequentially and with 8 concurrent connections, and the small patient without
 * prefetch (read from the server's own store); and cre-stewardship order-sign for a CRE
 * patient with prefetch (issue 10 target: sequential p99 ≤ 5 ms, ≥ 1,500 calls/s at 8
 * connections; {@link CreBenchmarkPatient}), with the same request sent to a service that
 * has nothing to do for it as the machine's ceiling for that request. Run with
 * {@code bench/benchmark.sh}, which starts the server; mode {@code first} times the first
 * calls after start-up, {@code small} the small patient at 8 connections, {@code large}
 * the large patient, {@code own} the small patient without prefetch (sequentially and at
 * 8 connections, and sequentially with the patient updated before each call), {@code cre}
 * the CRE case alone.
 *
 * <pre>
 * HookBenchmark &lt;base-url&gt; [all|first|small|large|own|cre] [seconds-per-throughput-run]
 * </pre>
 */
public final class HookBenchmark {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String SERVICE = "/cds-services/sepsis-perfusion";

	/**
	 * The CRE request sent to a service whose CQL has nothing to do for that patient (no
	 * stroke, no BAO): what reading, parsing and answering the 93 KB request costs on its
	 * own, the ceiling for the CRE case's throughput on the machine.
	 */
	private static final String CEILING_SERVICE = "/cds-services/bao-rescue-stenting";

	/**
	 * Warm-up calls of the large patient before it is timed. The server's JIT compiler
	 * keeps compiling the per-call code paths for about 10,000 calls of it (C2 compiles a
	 * method after thousands of invocations, and a large call invokes the request-level
	 * ones once); after 1,000 calls it still used a sixth of a core and calls took 1.7
	 * times the CPU they take once it has settled.
	 */
	private static final int LARGE_WARM_UP = Integer.getInteger("warm", 10_000);

	public static void main(String[] args) throws Exception {
		URI base = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
		String mode = args.length > 1 ? args[1] : "all";
		int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
		byte[] small = request(smallPatient(), true);
		warmClient(base);
		if (mode.equals("first")) {
			first(base, small);
			return;
		}
		if (mode.equals("cre")) {
			List<String> rows = cre(base, new Http(base.getPort()), seconds);
			System.out.println("| run | calls | p50 ms | p90 ms | p99 ms | max ms | calls/s |");
			System.out.println("|---|---|---|---|---|---|---|");
			rows.forEach(System.out::println);
			return;
		}
		if (mode.equals("small")) {
			warm(base, small, 3000);
			System.out.println(throughput(base, small, 8, seconds, "small patient, prefetch, 8 connections"));
			return;
		}
		if (mode.equals("own")) {
			Http http = new Http(base.getPort());
			String patientId = storeSmallPatient(http);
			byte[] ownStore = request(Map.of("patientId", patientId), false);
			warm(base, ownStore, 3000);
			System.out.println("| run | calls | p50 ms | p90 ms | p99 ms | max ms | calls/s |");
			System.out.println("|---|---|---|---|---|---|---|");
			System.out.println(
					row("small patient, no prefetch (own store), sequential", sequential(base, ownStore, 3000), 0));
			System.out.println(
					throughput(base, ownStore, 8, seconds, "small patient, no prefetch (own store), 8 connections"));
			System.out
				.println(row("small patient, no prefetch (own store), record changed before each call, sequential",
						sequentialAfterWrites(base, http, ownStore, patientId, 3000, 1000), 0));
			return;
		}
		byte[] large = request(largePatient(), true);
		if (mode.equals("large")) {
			warm(base, large, LARGE_WARM_UP);
			System.out.println(
					row("large patient (300 Observations), prefetch, sequential", sequential(base, large, 3000), 0));
			return;
		}
		System.out.printf(Locale.ROOT, "small request %d bytes, large request %d bytes%n", small.length, large.length);

		Http http = new Http(base.getPort());
		byte[] ownStore = request(Map.of("patientId", storeSmallPatient(http)), false);

		warm(base, small, 3000);
		warm(base, large, LARGE_WARM_UP);
		warm(base, ownStore, 500);

		List<String> rows = new ArrayList<>();
		rows.add(row("small patient, prefetch, sequential", sequential(base, small, 10000), 0));
		rows.add(throughput(base, small, 2, seconds, "small patient, prefetch, 2 connections"));
		rows.add(throughput(base, small, 8, seconds, "small patient, prefetch, 8 connections"));
		rows.add(row("large patient (300 Observations), prefetch, sequential", sequential(base, large, 3000), 0));
		rows.add(row("small patient, no prefetch (own store), sequential", sequential(base, ownStore, 3000), 0));
		rows.addAll(cre(base, http, seconds));
		System.out.println();
		System.out.println("| run | calls | p50 ms | p90 ms | p99 ms | max ms | calls/s |");
		System.out.println("|---|---|---|---|---|---|---|");
		rows.forEach(System.out::println);
	}

	/**
	 * The first calls after start-up, each on a new connection as an EHR's first call is,
	 * compared with later calls on a new connection each and on one kept-alive
	 * connection.
	 */
	private static void first(URI base, byte[] request) throws IOException {
		long[] firsts = onNewConnections(base, request, 5);
		long[] later = onNewConnections(base, request, 500);
		long[] keptAlive = sequential(base, request, 2000);
		System.out.printf(Locale.ROOT, "first calls after start-up, new connection each (ms): %s%n",
				Arrays.stream(firsts).mapToObj(n -> String.format(Locale.ROOT, "%.2f", n / 1e6)).toList());
		System.out.println("| run | calls | p50 ms | p90 ms | p99 ms | max ms | calls/s |");
		System.out.println("|---|---|---|---|---|---|---|");
		System.out.println(row("the next 500 calls, new connection each", later, 0));
		System.out.println(row("the next 2,000 calls, one connection", keptAlive, 0));
	}

	private static long[] onNewConnections(URI base, byte[] request, int calls) throws IOException {
		long[] nanos = new long[calls];
		for (int i = 0; i < calls; i++) {
			long started = System.nanoTime();
			try (KeepAliveClient client = new KeepAliveClient(base)) {
				check(client.send(client.request(SERVICE, request, null)));
			}
			nanos[i] = System.nanoTime() - started;
		}
		return nanos;
	}

	/**
	 * Warms this client's own code (a fresh JVM) on the server's answer to an unknown
	 * service, so that the first timed call measures the server, not the client's class
	 * loading.
	 */
	private static void warmClient(URI base) throws IOException {
		for (int i = 0; i < 200; i++) {
			try (KeepAliveClient client = new KeepAliveClient(base)) {
				if (client.send(client.request("/cds-services/no-such-service", "{}".getBytes(StandardCharsets.UTF_8),
						null)) != 404) {
					throw new IllegalStateException("expected 404 for an unknown service");
				}
			}
		}
	}

	private static void warm(URI base, byte[] request, int calls) throws IOException {
		sequential(base, request, calls);
	}

	private static long[] sequential(URI base, byte[] request, int calls) throws IOException {
		return sequential(base, SERVICE, request, calls);
	}

	private static long[] sequential(URI base, String service, byte[] request, int calls) throws IOException {
		long[] nanos = new long[calls];
		try (KeepAliveClient client = new KeepAliveClient(base)) {
			byte[] bytes = client.request(service, request, null);
			for (int i = 0; i < calls; i++) {
				long started = System.nanoTime();
				check(client.send(bytes));
				nanos[i] = System.nanoTime() - started;
			}
		}
		return nanos;
	}

	/**
	 * Calls each made after an update of the patient (not timed), so that no call finds
	 * the record as an earlier call read it: the own store's cost when the record keeps
	 * changing. {@code warmUp} calls go before, untimed, to warm up the paths they take.
	 */
	private static long[] sequentialAfterWrites(URI base, Http http, byte[] request, String patientId, int warmUp,
			int calls) throws IOException {
		ObjectNode patient = (ObjectNode) http.get("/fhir/Patient/" + patientId).json();
		patient.remove("meta");
		long[] nanos = new long[calls];
		try (KeepAliveClient client = new KeepAliveClient(base)) {
			byte[] bytes = client.request(SERVICE, request, null);
			for (int i = -warmUp; i < calls; i++) {
				patient.put("active", i % 2 == 0);
				Http.Response updated = http.put("/fhir/Patient/" + patientId, patient.toString());
				if (updated.status() != 200) {
					throw new IllegalStateException("updating the benchmark patient failed: HTTP " + updated.status());
				}
				long started = System.nanoTime();
				check(client.send(bytes));
				if (i >= 0) {
					nanos[i] = System.nanoTime() - started;
				}
			}
		}
		return nanos;
	}

	private static String throughput(URI base, byte[] request, int connections, int seconds, String name)
			throws InterruptedException {
		return throughput(base, SERVICE, request, connections, seconds, name);
	}

	private static String throughput(URI base, String service, byte[] request, int connections, int seconds,
			String name) throws InterruptedException {
		AtomicBoolean running = new AtomicBoolean(true);
		List<long[]> latencies = new ArrayList<>();
		int[] counts = new int[connections];
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < connections; c++) {
			long[] mine = new long[seconds * 5000];
			latencies.add(mine);
			int index = c;
			Thread thread = new Thread(() -> {
				try (KeepAliveClient client = new KeepAliveClient(base)) {
					byte[] bytes = client.request(service, request, null);
					while (running.get() && counts[index] < mine.length) {
						long started = System.nanoTime();
						check(client.send(bytes));
						mine[counts[index]++] = System.nanoTime() - started;
					}
				}
				catch (IOException e) {
					throw new IllegalStateException(e);
				}
			});
			threads.add(thread);
		}
		long started = System.nanoTime();
		threads.forEach(Thread::start);
		Thread.sleep(seconds * 1000L);
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		double elapsed = (System.nanoTime() - started) / 1e9;
		int total = Arrays.stream(counts).sum();
		long[] all = new long[total];
		int at = 0;
		for (int c = 0; c < connections; c++) {
			System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
			at += counts[c];
		}
		return row(name, all, total / elapsed);
	}

	static String row(String name, long[] nanos, double perSecond) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %s |", name, sorted.length,
				percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99),
				sorted[sorted.length - 1] / 1e6, perSecond > 0 ? String.format(Locale.ROOT, "%.0f", perSecond) : String
					.format(Locale.ROOT, "%.0f (1 connection)", sorted.length / (Arrays.stream(sorted).sum() / 1e9)));
	}

	private static double percentile(long[] sorted, double p) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
	}

	private static void check(int status) {
		if (status != 200) {
			throw new IllegalStateException("HTTP " + status);
		}
	}

	/**
	 * The CRE order-sign case: warmed, then sequential and with 8 connections; then the
	 * same request, warmed, to {@link #CEILING_SERVICE} at 8 connections. The patient is
	 * stored and its prefetch filled from the service's templates, as an EHR would fill
	 * them.
	 */
	private static List<String> cre(URI base, Http http, int seconds) throws IOException, InterruptedException {
		byte[] request = CreBenchmarkPatient.orderSign(http);
		String service = CreBenchmarkPatient.SERVICE;
		System.out.printf(Locale.ROOT, "CRE order-sign request %d bytes%n", request.length);
		sequential(base, service, request, LARGE_WARM_UP);
		List<String> rows = new ArrayList<>();
		rows.add(row("CRE patient, order-sign, prefetch, sequential", sequential(base, service, request, 5000), 0));
		rows.add(throughput(base, service, request, 8, seconds, "CRE patient, order-sign, prefetch, 8 connections"));
		sequential(base, CEILING_SERVICE, request, LARGE_WARM_UP);
		rows.add(throughput(base, CEILING_SERVICE, request, 8, seconds,
				"the same request to bao-rescue-stenting (no CRE logic), 8 connections"));
		return rows;
	}

	/**
	 * Public scenario PUB-SEP-01: septic shock on norepinephrine, MAP 58, lactate 4.2.
	 */
	private static Map<String, Object> smallPatient() {
		Scenario scenario = Scenario.publicScenarios()
			.stream()
			.filter(s -> s.id().equals("PUB-SEP-01"))
			.findFirst()
			.orElseThrow()
			.at(Instant.now());
		List<JsonNode> resources = new ArrayList<>();
		scenario.data().forEach(resources::add);
		return Map.of("patientId", scenario.patientId(), "resources", resources);
	}

	/**
	 * Septic shock with chronic hypertension on norepinephrine; MAP every 10 min and
	 * lactate every 4 h for 2 days.
	 */
	private static Map<String, Object> largePatient() throws IOException {
		String patient = "bench-large";
		List<JsonNode> resources = new ArrayList<>();
		resources.add(JSON.readTree("{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}"));
		resources.add(condition(patient, "shock", "76571007"));
		resources.add(condition(patient, "htn", "38341003"));
		resources.add(JSON.readTree(
				"""
						{"resourceType":"MedicationAdministration","id":"bench-vp","status":"in-progress",
						 "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"7512"}]},
						 "subject":{"reference":"Patient/%s"},"effectivePeriod":{"start":"%s"}}"""
					.formatted(patient, at(Duration.ofDays(-2)))));
		Instant now = Instant.now();
		for (int i = 0; i < 288; i++) {
			resources.add(observation(patient, "map-" + i, "8478-0", String.valueOf(55 + (i * 7) % 21), "mm[Hg]",
					now.minus(Duration.ofMinutes(10L * i + 5))));
		}
		for (int i = 0; i < 12; i++) {
			resources.add(observation(patient, "lac-" + i, "2518-9", String.valueOf(2.0 + (i % 6) * 0.5), "mmol/L",
					now.minus(Duration.ofHours(4L * i + 1))));
		}
		return Map.of("patientId", patient, "resources", resources);
	}

	private static JsonNode condition(String patient, String id, String snomed) throws IOException {
		return JSON.readTree(
				"""
						{"resourceType":"Condition","id":"bench-%s","subject":{"reference":"Patient/%s"},
						 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
						 "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]}}"""
					.formatted(id, patient, snomed));
	}

	private static JsonNode observation(String patient, String id, String loinc, String value, String unit,
			Instant when) throws IOException {
		return JSON.readTree(
				"""
						{"resourceType":"Observation","id":"bench-%s","status":"final",
						 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
						 "code":{"coding":[{"system":"http://loinc.org","code":"%s"}]},"subject":{"reference":"Patient/%s"},
						 "effectiveDateTime":"%s","valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
					.formatted(id, loinc, patient, when.truncatedTo(ChronoUnit.SECONDS), value, unit, unit));
	}

	private static String at(Duration offset) {
		return Instant.now().plus(offset).truncatedTo(ChronoUnit.SECONDS).toString();
	}

	/**
	 * A patient-view request; with prefetch, the resources grouped the way the prefetch
	 * templates group them.
	 */
	@SuppressWarnings("unchecked")
	static byte[] request(Map<String, Object> patient, boolean prefetch) {
		ObjectNode request = JSON.createObjectNode()
			.put("hook", "patient-view")
			.put("hookInstance", UUID.randomUUID().toString());
		request.putObject("context")
			.put("patientId", (String) patient.get("patientId"))
			.put("userId", "Practitioner/bench");
		if (prefetch) {
			Map<String, ArrayNode> byType = new TreeMap<>();
			ObjectNode values = request.putObject("prefetch");
			for (JsonNode resource : (List<JsonNode>) patient.get("resources")) {
				String type = resource.get("resourceType").asText();
				if (type.equals("Patient")) {
					values.set("patient", resource);
				}
				else {
					byType.computeIfAbsent(type, t -> JSON.createArrayNode()).addObject().set("resource", resource);
				}
			}
			byType.forEach((type, entries) -> {
				ObjectNode bundle = values.putObject(Character.toLowerCase(type.charAt(0)) + type.substring(1));
				bundle.put("resourceType", "Bundle").put("type", "searchset").put("total", entries.size());
				bundle.set("entry", entries);
			});
		}
		return request.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Stores public scenario PUB-SEP-01 (ids prefixed) on the server; returns its patient
	 * id.
	 */
	private static String storeSmallPatient(Http http) {
		Scenario scenario = Scenario.publicScenarios()
			.stream()
			.filter(s -> s.id().equals("PUB-SEP-01"))
			.findFirst()
			.orElseThrow()
			.prefixed()
			.at(Instant.now());
		Http.Response response = http.post("/fhir", scenario.transaction("PUT"));
		if (response.status() != 200) {
			throw new IllegalStateException("storing the benchmark patient failed: HTTP " + response.status());
		}
		return scenario.patientId();
	}

}
