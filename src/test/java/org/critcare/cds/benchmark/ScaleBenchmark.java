package org.critcare.cds.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.critcare.cds.support.Http;

/**
 * Measures a running server whose own store holds the patients of {@link ScaleLoader}
 * (issue 14, data at scale; run by {@code bench/scale.sh} after each load step):
 * sepsis-perfusion patient-view calls without prefetch, so the server reads its own
 * store, for random loaded patients (warm-up calls, then timed sequential calls on one
 * kept-alive connection), and three FHIR searches a client makes of such a store, each
 * for random patients: the latest MAP, the last two days of Observations (the first
 * page), and the patient by {@code _id}. Before timing, checks that the searches find
 * what was loaded and counts the septic patients that get a warning or critical card.
 *
 * <pre>
 * ScaleBenchmark &lt;base-url&gt; &lt;patients&gt; [timed-calls] [warm-up-calls]
 * </pre>
 */
public final class ScaleBenchmark {

	private static final String SERVICE = "/cds-services/sepsis-perfusion";

	private static final int SEARCH_WARM_UP = 300;

	private ScaleBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		URI base = URI.create(args[0]);
		int patients = Integer.parseInt(args[1]);
		int calls = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
		int warm = args.length > 3 ? Integer.parseInt(args[3]) : 500;
		Http http = new Http(base.getPort());
		String since = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS).toString();
		Map<String, IntFunction<String>> searches = new LinkedHashMap<>();
		searches.put("search: Observation?patient=Patient/X&code=<MAP>&_sort=-date&_count=1",
				n -> "/fhir/Observation?patient=Patient/" + ScaleLoader.patientId(n)
						+ "&code=http://loinc.org%7C8478-0&_sort=-date&_count=1");
		searches.put("search: Observation?patient=Patient/X&date=ge<2 days ago> (first page of 50)",
				n -> "/fhir/Observation?patient=Patient/" + ScaleLoader.patientId(n) + "&date=ge" + since);
		searches.put("search: Patient?_id=X", n -> "/fhir/Patient?_id=" + ScaleLoader.patientId(n));
		check(http, searches, patients);
		System.out.println(cards(http, patients));

		Random random = new Random(14);
		System.out.println("| run | calls | p50 ms | p90 ms | p99 ms | max ms | calls/s |");
		System.out.println("|---|---|---|---|---|---|---|");
		try (KeepAliveClient client = new KeepAliveClient(base)) {
			IntFunction<byte[]> hook = n -> client.request(SERVICE,
					HookBenchmark.request(Map.of("patientId", ScaleLoader.patientId(n)), false), null);
			time(client, random, patients, warm, hook);
			System.out.println(HookBenchmark.row("sepsis-perfusion patient-view, no prefetch (own store), sequential",
					time(client, random, patients, calls, hook), 0));
			for (var named : searches.entrySet()) {
				IntFunction<byte[]> search = n -> client.get(named.getValue().apply(n));
				time(client, random, patients, SEARCH_WARM_UP, search);
				System.out.println(HookBenchmark.row(named.getKey(), time(client, random, patients, calls, search), 0));
			}
		}
	}

	/** Sequential requests for random patients; the latencies in nanoseconds. */
	private static long[] time(KeepAliveClient client, Random random, int patients, int calls,
			IntFunction<byte[]> requests) throws IOException {
		long[] nanos = new long[calls];
		for (int i = 0; i < calls; i++) {
			byte[] request = requests.apply(random.nextInt(patients));
			long started = System.nanoTime();
			int status = client.send(request);
			nanos[i] = System.nanoTime() - started;
			if (status != 200) {
				throw new IllegalStateException("HTTP " + status);
			}
		}
		return nanos;
	}

	/** The searches find what the loader stored, for the first and the last patient. */
	private static void check(Http http, Map<String, IntFunction<String>> searches, int patients) {
		for (int n : new int[] { 0, patients - 1 }) {
			for (var search : searches.entrySet()) {
				Http.Response response = http.get(search.getValue().apply(n));
				int found = response.json() == null ? 0 : response.json().path("entry").size();
				if (response.status() != 200 || found == 0) {
					throw new IllegalStateException(search.getKey() + " for " + ScaleLoader.patientId(n) + ": HTTP "
							+ response.status() + ", " + found + " entries");
				}
			}
		}
	}

	/** How many of up to 40 septic patients get a warning or critical card. */
	private static String cards(Http http, int patients) {
		int asked = 0;
		int warned = 0;
		for (int n = 0; n < patients && asked < 40; n++) {
			if (!ScaleLoader.septic(n)) {
				continue;
			}
			asked++;
			Http.Response response = http.post(SERVICE,
					new String(HookBenchmark.request(Map.of("patientId", ScaleLoader.patientId(n)), false),
							StandardCharsets.UTF_8),
					Map.of("Content-Type", "application/json"));
			boolean warning = false;
			for (JsonNode card : response.json().path("cards")) {
				String indicator = card.path("indicator").asText();
				warning |= indicator.equals("warning") || indicator.equals("critical");
			}
			warned += warning ? 1 : 0;
		}
		return String.format(Locale.ROOT, "septic patients with a warning or critical card: %d of %d", warned, asked);
	}

}
