package org.critcare.cds.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.scenarios.Scenario;

/**
 * A day of load, compressed (issue 14): mixed traffic at a fixed rate for a fixed time
 * against a running server — sepsis-perfusion hook calls with prefetch (40 %) and without
 * (own store, 20 %), FHIR searches (20 %) and feedback on issued cards (10 %) on the
 * stored public sepsis-perfusion patients, and FHIR writes (10 %): Observations charted
 * for 200 other beds. Prints, per minute, the requests sent, errors (anything but the
 * expected 2xx, or no answer, or not sent because the server fell behind) and latency
 * percentiles, timed from when each request was due (so a server that falls behind the
 * rate shows it); {@code bench/soak.sh} starts the server and samples its resident memory
 * every 30 s.
 *
 * <pre>
 * SoakBenchmark &lt;base-url&gt; &lt;requests-per-second&gt; &lt;seconds&gt;
 * </pre>
 */
public final class SoakBenchmark {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String SERVICE = "/cds-services/sepsis-perfusion";

	private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*context\\.patientId\\s*}}");

	/** Enough workers that the pool, not the server, never limits the rate. */
	private static final int WORKERS = 64;

	/** The beds whose charting the writes stand for. */
	private static final int BEDS = 200;

	private record Sample(int minute, String kind, long nanos, boolean ok) {
	}

	public static void main(String[] args) throws Exception {
		URI base = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
		int rate = args.length > 1 ? Integer.parseInt(args[1]) : 70;
		int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 600;
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		List<String> patients = new ArrayList<>();
		List<byte[]> withPrefetch = new ArrayList<>();
		JsonNode templates = null;
		for (JsonNode service : JSON.readTree(send(http, get(base, "/cds-services")).body()).path("services")) {
			if (service.path("id").asText().equals("sepsis-perfusion")) {
				templates = service.path("prefetch");
			}
		}
		for (Scenario template : Scenario.publicScenarios()) {
			if (!template.service().equals("sepsis-perfusion")) {
				continue;
			}
			Scenario scenario = template.prefixed().at(Instant.now());
			HttpResponse<String> stored = send(http,
					post(base, "/fhir", scenario.transaction("PUT").toString(), "application/fhir+json"));
			if (stored.statusCode() != 200) {
				throw new IllegalStateException("storing " + scenario.id() + " failed: " + stored.statusCode());
			}
			patients.add(scenario.patientId());
			ObjectNode prefetch = JSON.createObjectNode();
			var fields = templates.fields();
			while (fields.hasNext()) {
				var field = fields.next();
				String query = TOKEN.matcher(field.getValue().asText())
					.replaceAll(Matcher.quoteReplacement(scenario.patientId()));
				prefetch.set(field.getKey(),
						JSON.readTree(send(http, get(base, "/fhir/" + encodeQuery(query))).body()));
			}
			withPrefetch.add(hook(scenario.patientId(), prefetch));
		}

		// the writes chart Observations for a unit's other beds, a few an hour each as an
		// ICU
		// charts: written into the 11 scenario patients, they grew those records by one
		// Observation a second, and every call without prefetch reads the whole record
		StringBuilder beds = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
		for (int b = 0; b < BEDS; b++) {
			beds.append(b == 0 ? "" : ",")
				.append("{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"soak-bed-")
				.append(b)
				.append("\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/soak-bed-")
				.append(b)
				.append("\"}}");
		}
		HttpResponse<String> bedsStored = send(http,
				post(base, "/fhir", beds.append("]}").toString(), "application/fhir+json"));
		if (bedsStored.statusCode() != 200) {
			throw new IllegalStateException("storing the beds failed: " + bedsStored.statusCode());
		}

		AtomicReference<String> lastCard = new AtomicReference<>();
		ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
		AtomicInteger sequence = new AtomicInteger();
		ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
		long started = System.nanoTime();
		long intervalNanos = 1_000_000_000L / rate;
		long total = (long) rate * seconds;
		for (long i = 0; i < total; i++) {
			long due = started + i * intervalNanos;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			int n = sequence.getAndIncrement();
			int minute = (int) ((due - started) / 60_000_000_000L);
			String patient = patients.get(n % patients.size());
			workers.execute(() -> {
				int slot = n % 10;
				String kind;
				HttpRequest request;
				int expected = 200;
				if (slot < 4) {
					kind = "hook, prefetch";
					request = post(base, SERVICE,
							new String(withPrefetch.get(n % withPrefetch.size()), StandardCharsets.UTF_8),
							"application/json");
				}
				else if (slot < 6) {
					kind = "hook, own store";
					request = post(base, SERVICE, new String(hook(patient, null), StandardCharsets.UTF_8),
							"application/json");
				}
				else if (slot < 8) {
					kind = "FHIR search";
					request = get(base, "/fhir/Observation?patient=" + patient + "&_count=20&_sort=-date");
				}
				else if (slot < 9) {
					kind = "FHIR write";
					expected = 201;
					request = post(base, "/fhir/Observation", observation("soak-bed-" + n % BEDS),
							"application/fhir+json");
				}
				else {
					kind = "feedback";
					String card = lastCard.get();
					request = card == null ? get(base, "/cds-services")
							: post(base, SERVICE + "/feedback", feedback(card), "application/json");
				}
				// timed from when the request was due, so time spent waiting for a free
				// worker
				// (the server falling behind the rate) counts
				long t0 = due;
				boolean ok;
				try {
					HttpResponse<String> response = send(http, request);
					ok = response.statusCode() == expected;
					if (ok && kind.startsWith("hook")) {
						for (JsonNode card : JSON.readTree(response.body()).path("cards")) {
							if (!card.path("indicator").asText().equals("info")) {
								lastCard.set(card.path("uuid").asText());
							}
						}
					}
				}
				catch (Exception e) {
					ok = false;
				}
				samples.add(new Sample(minute, kind, System.nanoTime() - t0, ok));
			});
		}
		workers.shutdown();
		if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
			// the server fell behind: what was not answered 30 s after the last request
			// was due counts as an error, and is not sent any more
			int lastMinute = (seconds - 1) / 60;
			workers.shutdownNow().forEach(unsent -> samples.add(new Sample(lastMinute, "not sent", 0, false)));
			workers.awaitTermination(30, TimeUnit.SECONDS);
		}
		report(samples, rate, seconds);
	}

	private static void report(ConcurrentLinkedQueue<Sample> samples, int rate, int seconds) {
		System.out.printf(Locale.ROOT, "%d requests/s for %d s, %d requests%n%n", rate, seconds, samples.size());
		System.out.println("| minute | requests | errors | p50 ms | p90 ms | p99 ms | max ms |");
		System.out.println("|---|---|---|---|---|---|---|");
		int minutes = samples.stream().mapToInt(Sample::minute).max().orElse(0) + 1;
		for (int m = 0; m < minutes; m++) {
			int minute = m;
			List<Sample> in = samples.stream().filter(s -> s.minute() == minute).toList();
			System.out.println(row(String.valueOf(m + 1), in));
		}
		System.out.println();
		System.out.println("| kind | requests | errors | p50 ms | p90 ms | p99 ms | max ms |");
		System.out.println("|---|---|---|---|---|---|---|");
		for (String kind : List.of("hook, prefetch", "hook, own store", "FHIR search", "FHIR write", "feedback",
				"not sent")) {
			System.out.println(row(kind, samples.stream().filter(s -> s.kind().equals(kind)).toList()));
		}
		System.out.println(row("all", List.copyOf(samples)));
	}

	private static String row(String name, List<Sample> samples) {
		// requests never sent have no latency
		long[] nanos = samples.stream()
			.filter(s -> !s.kind().equals("not sent"))
			.mapToLong(Sample::nanos)
			.sorted()
			.toArray();
		long errors = samples.stream().filter(s -> !s.ok()).count();
		if (nanos.length == 0) {
			return "| " + name + " | " + samples.size() + " | " + errors + " | | | | |";
		}
		return String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f |", name, samples.size(), errors,
				percentile(nanos, 0.50), percentile(nanos, 0.90), percentile(nanos, 0.99),
				nanos[nanos.length - 1] / 1e6);
	}

	private static double percentile(long[] sorted, double p) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
	}

	private static byte[] hook(String patient, JsonNode prefetch) {
		ObjectNode request = JSON.createObjectNode()
			.put("hook", "patient-view")
			.put("hookInstance", UUID.randomUUID().toString());
		request.putObject("context").put("patientId", patient).put("userId", "Practitioner/soak");
		if (prefetch != null) {
			request.set("prefetch", prefetch);
		}
		return request.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String observation(String patient) {
		return """
				{"resourceType":"Observation","status":"final","subject":{"reference":"Patient/%s"},
				 "code":{"coding":[{"system":"http://loinc.org","code":"2524-7"}]},"effectiveDateTime":"%s",
				 "valueQuantity":{"value":1.8,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}}"""
			.formatted(patient, Instant.now().minusSeconds(300).toString());
	}

	private static String feedback(String card) {
		return """
				{"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"%s",
				 "overrideReason":{"reason":{"system":"http://example.org/cds/CodeSystem/override-reason",
				 "code":"already-addressed"}}}]}""".formatted(card, Instant.now().toString());
	}

	private static String encodeQuery(String query) {
		int q = query.indexOf('?');
		if (q < 0) {
			return query;
		}
		StringBuilder out = new StringBuilder(query.substring(0, q + 1));
		String[] pairs = query.substring(q + 1).split("&");
		for (int i = 0; i < pairs.length; i++) {
			String[] kv = pairs[i].split("=", 2);
			out.append(i == 0 ? "" : "&")
				.append(kv[0])
				.append('=')
				.append(kv.length > 1 ? URLEncoder.encode(kv[1], StandardCharsets.UTF_8) : "");
		}
		return out.toString();
	}

	private static HttpRequest get(URI base, String path) {
		return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build();
	}

	private static HttpRequest post(URI base, String path, String body, String type) {
		return HttpRequest.newBuilder(base.resolve(path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", type)
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
		return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

}
