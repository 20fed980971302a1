package org.critcare.cds.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.critcare.cds.support.Http;

/**
 * Bulk loader of synthetic ICU patients for the data-at-scale benchmark (issue 14,
 * {@code bench/scale.sh}): patients {@code scale-00000} … with 100 Observations each over
 * the last two days (MAP, heart rate, systolic and diastolic pressure, arterial lactate:
 * the LOINC codes the sepsis-perfusion CQL reads, and heart rate, which it does not);
 * every fourth patient has documented septic shock and norepinephrine running, so cards
 * fire. Writes FHIR transaction Bundles to {@code /fhir} over several connections: first
 * the patients, their Conditions and MedicationAdministrations (PUT, so ids are known),
 * then the Observations (POST, 500 a Bundle, the server's
 * {@code cds.limits.max-bundle-entries}). Every Bundle must answer 200 and every entry
 * 2xx; failures are counted and printed.
 *
 * <pre>
 * ScaleLoader &lt;base-url&gt; &lt;first-patient&gt; &lt;patients&gt; [connections]
 * </pre>
 *
 * {@code -Dstop=<epoch seconds>}: send no further Observation Bundle after that time; the
 * patients whose Observations were all loaded are printed.
 */
public final class ScaleLoader {

	static final int OBSERVATIONS_PER_PATIENT = 100;

	private static final int PATIENTS_PER_BUNDLE = 5;

	/** LOINC code, unit, category, readings in two days, and value range per series. */
	private record Series(String loinc, String display, String unit, String category, int readings, double low,
			double high, double septicLow, double septicHigh) {
	}

	private static final List<Series> SERIES = List.of(
			new Series("8478-0", "Mean blood pressure", "mm[Hg]", "vital-signs", 40, 68, 92, 55, 72),
			new Series("8867-4", "Heart rate", "/min", "vital-signs", 30, 60, 100, 95, 130),
			new Series("8480-6", "Systolic blood pressure", "mm[Hg]", "vital-signs", 10, 105, 145, 80, 105),
			new Series("8462-4", "Diastolic blood pressure", "mm[Hg]", "vital-signs", 10, 55, 85, 40, 60),
			new Series("2518-9", "Lactate [Moles/volume] in Arterial blood", "mmol/L", "laboratory", 10, 0.7, 1.8, 2.2,
					4.8));

	private ScaleLoader() {
	}

	public static void main(String[] args) throws Exception {
		URI base = URI.create(args[0]);
		int first = Integer.parseInt(args[1]);
		int patients = Integer.parseInt(args[2]);
		int connections = args.length > 3 ? Integer.parseInt(args[3]) : 3;
		long stop = Long.getLong("stop", Long.MAX_VALUE);
		Http http = new Http(base.getPort());
		Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);

		List<String> patientBundles = new ArrayList<>();
		StringBuilder entries = new StringBuilder();
		int inBundle = 0;
		for (int n = first; n < first + patients; n++) {
			// a patient's resources in one Bundle: Bundles are written concurrently
			List<String> resources = patientResources(n, now);
			if (inBundle + resources.size() > 500) {
				patientBundles.add(bundle(entries));
				entries.setLength(0);
				inBundle = 0;
			}
			for (String resource : resources) {
				append(entries, resource, "PUT", type(resource) + "/" + id(resource));
			}
			inBundle += resources.size();
		}
		if (inBundle > 0) {
			patientBundles.add(bundle(entries));
		}
		Load patientLoad = new Load(http);
		patientLoad.run(connections, patientBundles.size(), Long.MAX_VALUE, patientBundles::get);
		patientLoad.print("patients, Conditions, MedicationAdministrations (PUT)");

		int bundles = (patients + PATIENTS_PER_BUNDLE - 1) / PATIENTS_PER_BUNDLE;
		Load observationLoad = new Load(http);
		int sent = observationLoad.run(connections, bundles, stop,
				i -> observationBundle(first + i * PATIENTS_PER_BUNDLE,
						Math.min(PATIENTS_PER_BUNDLE, patients - i * PATIENTS_PER_BUNDLE), now));
		observationLoad.print("Observations (POST)");
		int loaded = Math.min(patients, sent * PATIENTS_PER_BUNDLE);
		System.out.printf(Locale.ROOT, "loaded: patients %d, with Observations %d, failures %d%n", patients, loaded,
				patientLoad.failures.get() + observationLoad.failures.get());
		if (patientLoad.failures.get() + observationLoad.failures.get() > 0) {
			System.exit(1);
		}
	}

	static String patientId(int n) {
		return String.format(Locale.ROOT, "scale-%05d", n);
	}

	static boolean septic(int n) {
		return n % 4 == 0;
	}

	/** Transaction Bundles sent over several connections, with counts and failures. */
	private static final class Load {

		private final Http http;

		private final AtomicInteger next = new AtomicInteger();

		private final AtomicLong resources = new AtomicLong();

		private final AtomicLong failures = new AtomicLong();

		private long nanos;

		Load(Http http) {
			this.http = http;
		}

		interface Bundles {

			String get(int index);

		}

		/**
		 * Sends bundles 0… until all are sent or the stop time; returns how many were
		 * sent.
		 */
		int run(int connections, int bundles, long stopEpochSecond, Bundles source) throws InterruptedException {
			long started = System.nanoTime();
			List<Thread> threads = new ArrayList<>();
			for (int c = 0; c < connections; c++) {
				Thread thread = new Thread(() -> {
					while (Instant.now().getEpochSecond() < stopEpochSecond) {
						int index = next.getAndIncrement();
						if (index >= bundles) {
							return;
						}
						send(source.get(index));
					}
				});
				threads.add(thread);
				thread.start();
			}
			for (Thread thread : threads) {
				thread.join();
			}
			nanos = System.nanoTime() - started;
			return Math.min(bundles, next.get());
		}

		private void send(String bundle) {
			int entries = count(bundle, "\"request\":");
			resources.addAndGet(entries);
			Http.Response response;
			try {
				response = http.post("/fhir", bundle, Map.of("Content-Type", "application/fhir+json"));
			}
			catch (RuntimeException e) {
				failures.addAndGet(entries);
				System.out.printf(Locale.ROOT, "Bundle failed: %s%n", e);
				return;
			}
			if (response.status() != 200 || response.json() == null) {
				failures.addAndGet(entries);
				System.out.printf(Locale.ROOT, "Bundle failed: HTTP %d %s%n", response.status(),
						response.body().substring(0, Math.min(300, response.body().length())));
				return;
			}
			for (JsonNode entry : response.json().path("entry")) {
				if (!entry.path("response").path("status").asText().startsWith("2")) {
					failures.incrementAndGet();
				}
			}
		}

		void print(String what) {
			double seconds = nanos / 1e9;
			System.out.printf(Locale.ROOT, "%s: %d resources in %.1f s, %.0f resources/s, %d failed%n", what,
					resources.get(), seconds, resources.get() / seconds, failures.get());
		}

	}

	private static int count(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
			count++;
		}
		return count;
	}

	private static String observationBundle(int first, int patients, Instant now) {
		StringBuilder entries = new StringBuilder();
		for (int n = first; n < first + patients; n++) {
			for (String observation : observations(n, now)) {
				append(entries, observation, "POST", "Observation");
			}
		}
		return bundle(entries);
	}

	private static void append(StringBuilder entries, String resource, String method, String url) {
		entries.append(entries.isEmpty() ? "" : ",")
			.append("{\"resource\":")
			.append(resource)
			.append(",\"request\":{\"method\":\"")
			.append(method)
			.append("\",\"url\":\"")
			.append(url)
			.append("\"}}");
	}

	private static String bundle(CharSequence entries) {
		return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}";
	}

	private static String type(String resource) {
		return field(resource, "resourceType");
	}

	private static String id(String resource) {
		return field(resource, "id");
	}

	private static String field(String resource, String name) {
		int at = resource.indexOf("\"" + name + "\":\"") + name.length() + 4;
		return resource.substring(at, resource.indexOf('"', at));
	}

	/** The patient, and for a septic patient septic shock and norepinephrine running. */
	private static List<String> patientResources(int n, Instant now) {
		String id = patientId(n);
		List<String> resources = new ArrayList<>();
		resources.add("""
				{"resourceType":"Patient","id":"%s","gender":"%s","birthDate":"%d-01-01"}""".formatted(id,
				n % 2 == 0 ? "male" : "female", 1940 + n % 60));
		if (septic(n)) {
			resources
				.add("""
						{"resourceType":"Condition","id":"%s-shock","subject":{"reference":"Patient/%s"},
						 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
						 "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},
						 "code":{"coding":[{"system":"http://snomed.info/sct","code":"76571007","display":"Septic shock"}]},
						 "onsetDateTime":"%s"}"""
					.formatted(id, id, now.minus(Duration.ofDays(2))));
			resources
				.add("""
						{"resourceType":"MedicationAdministration","id":"%s-vp","status":"in-progress",
						 "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"7512","display":"norepinephrine"}]},
						 "subject":{"reference":"Patient/%s"},"effectivePeriod":{"start":"%s"}}"""
					.formatted(id, id, now.minus(Duration.ofHours(3))));
		}
		return resources;
	}

	/**
	 * 100 Observations over the two days before {@code now}, each series evenly spaced,
	 * the latest reading 5–14 minutes old.
	 */
	private static List<String> observations(int n, Instant now) {
		List<String> observations = new ArrayList<>(OBSERVATIONS_PER_PATIENT);
		for (Series series : SERIES) {
			long interval = Duration.ofDays(2).toMinutes() / series.readings();
			double low = septic(n) ? series.septicLow() : series.low();
			double high = septic(n) ? series.septicHigh() : series.high();
			for (int i = 0; i < series.readings(); i++) {
				Instant when = now.minus(Duration.ofMinutes(5 + n % 10 + i * interval));
				double value = low + (high - low) * (((n * 31 + i * 17) % 100) / 100.0);
				observations.add(observation(n, series, when, value));
			}
		}
		return observations;
	}

	private static String observation(int n, Series series, Instant when, double value) {
		return """
				{"resourceType":"Observation","status":"final",
				 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"%s"}]}],
				 "code":{"coding":[{"system":"http://loinc.org","code":"%s","display":"%s"}]},
				 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s",
				 "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
			.formatted(series.category(), series.loinc(), series.display(), patientId(n), when,
					String.format(Locale.ROOT, series.unit().equals("mmol/L") ? "%.1f" : "%.0f", value), series.unit(),
					series.unit());
	}

}
