package org.critcare.cds.patientdata;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Remembers what the own-store queries of a call found for one patient, and gives it
 * again while the patient's record in the store is unchanged (issue 14: four HAPI
 * searches a call cost several times the evaluation).
 * <p>
 * "Unchanged" is checked on every call, on every node, in the shared database: one
 * indexed query lists the Patient and every resource of the queried types that refers to
 * it (HAPI's reference index, {@code HFJ_RES_LINK}, the same rows a {@code patient=}
 * search reads), each with its current version. A create, update or delete of any of
 * them, through any node, changes that list (a version never goes back; expunge is off).
 * The list is taken before the searches it guards, so what is remembered is never older
 * than the list it is kept under. Each call gets its own copy of the resources: the
 * evaluation may fill in empty elements of what it reads.
 * <p>
 * The list covers every resource that refers to the patient, by any element, so it
 * changes at least whenever a search's answer can; the caller gives only queries that
 * find nothing else ({@link LocalStoreReader}). A patient the store does not have is not
 * remembered.
 */
@Component
class StoredRecordCache {

	private static final String LIST = """
			SELECT 0, RES_ID, RES_VER FROM HFJ_RESOURCE WHERE RES_TYPE = 'Patient' AND FHIR_ID = ?
			UNION ALL
			SELECT 1, s.RES_ID, s.RES_VER FROM HFJ_RESOURCE p
			JOIN HFJ_RES_LINK l ON l.TARGET_RESOURCE_ID = p.RES_ID
			JOIN HFJ_RESOURCE s ON s.RES_ID = l.SRC_RESOURCE_ID
			WHERE p.RES_TYPE = 'Patient' AND p.FHIR_ID = ? AND l.SOURCE_RESOURCE_TYPE IN (%s)""";

	private final JdbcTemplate jdbc;

	private final Cache<Key, Remembered> remembered;

	private final boolean enabled;

	StoredRecordCache(JdbcTemplate jdbc, PatientDataProperties properties, MeterRegistry registry) {
		this.jdbc = jdbc;
		this.enabled = properties.storeCacheResources() > 0;
		this.remembered = Caffeine.newBuilder()
			.maximumWeight(Math.max(1, properties.storeCacheResources()))
			.weigher((Key key, Remembered value) -> value.resources().size() + 1)
			.expireAfterAccess(Duration.ofMinutes(30))
			.recordStats()
			.build();
		CaffeineCacheMetrics.monitor(registry, remembered, "cds.patient.store");
	}

	/**
	 * What the queries find for the patient: remembered, when the patient's record has
	 * not changed since, else read with {@code read} (and remembered). Each call gets
	 * copies.
	 * @param patientId the patient's logical id
	 * @param types the resource types the queries search (each by {@code patient=})
	 * @param queries the queries, filled, each finding only resources that refer to the
	 * patient; part of what the answer is remembered under
	 * @param read runs the queries
	 */
	List<IBaseResource> find(String patientId, Collection<String> types, List<String> queries,
			Supplier<List<IBaseResource>> read) {
		if (!enabled || types.isEmpty()) {
			return read.get();
		}
		long[] versions = versions(patientId, types);
		if (versions == null) {
			return read.get();
		}
		Key key = new Key(patientId, List.copyOf(queries));
		Remembered known = remembered.getIfPresent(key);
		if (known != null && Arrays.equals(known.versions(), versions)) {
			return copies(known.resources());
		}
		List<IBaseResource> found = read.get();
		remembered.put(key, new Remembered(versions, List.copyOf(found)));
		return copies(found);
	}

	/**
	 * The patient's row and the rows of the resources of these types that refer to it,
	 * each as (which, database id, version), sorted; {@code null} when the store has no
	 * such Patient.
	 */
	private long[] versions(String patientId, Collection<String> types) {
		Object[] arguments = new Object[types.size() + 2];
		arguments[0] = patientId;
		arguments[1] = patientId;
		int i = 2;
		for (String type : types) {
			arguments[i++] = type;
		}
		List<long[]> rows = new ArrayList<>();
		jdbc.query(LIST.formatted(String.join(", ", Collections.nCopies(types.size(), "?"))), row -> {
			rows.add(new long[] { row.getLong(1), row.getLong(2), row.getLong(3) });
		}, arguments);
		if (rows.stream().noneMatch(row -> row[0] == 0)) {
			return null;
		}
		rows.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
				: a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]));
		long[] versions = new long[rows.size() * 3];
		for (int r = 0; r < rows.size(); r++) {
			System.arraycopy(rows.get(r), 0, versions, r * 3, 3);
		}
		return versions;
	}

	private static List<IBaseResource> copies(List<IBaseResource> resources) {
		List<IBaseResource> copies = new ArrayList<>(resources.size());
		for (IBaseResource resource : resources) {
			copies.add(((Resource) resource).copy());
		}
		return copies;
	}

	private record Key(String patientId, List<String> queries) {
	}

	private record Remembered(long[] versions, List<IBaseResource> resources) {
	}

}
