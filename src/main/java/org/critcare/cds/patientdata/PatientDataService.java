package org.critcare.cds.patientdata;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.stereotype.Service;

/**
 * Gathers one patient's data for a service call (CDS Hooks §Prefetch, CONTRACT "Data"): a
 * prefetch key that is present is used as given ({@code null} = no such data, a paginated
 * searchset is followed to its end); a missing key is fetched from {@code fhirServer}
 * with the access token, all queries in parallel and within the configured timeout;
 * without {@code fhirServer} it is read from this server's own store. Data that cannot be
 * had is a {@link DataUnavailableException}.
 */
@Service
public class PatientDataService {

	/** The token that names the call's patient. */
	private static final String PATIENT_ID = "context.patientId";

	private final LocalStoreReader local;

	private final RemoteFhirReader remote;

	private final PatientDataProperties properties;

	PatientDataService(LocalStoreReader local, RemoteFhirReader remote, PatientDataProperties properties) {
		this.local = local;
		this.remote = remote;
		this.properties = properties;
	}

	/** The patient's data the service's templates describe. */
	public PatientData gather(DataRequest request) {
		List<IBaseResource> resources = new ArrayList<>();
		List<String> queries = new ArrayList<>();
		List<String> nextPages = new ArrayList<>();
		for (Map.Entry<String, String> template : request.templates().entrySet()) {
			Prefetched given = request.prefetch().get(template.getKey());
			if (given instanceof Prefetched.Resources provided) {
				resources.addAll(provided.resources());
				if (provided.nextPage() != null) {
					nextPages.add(provided.nextPage());
				}
			}
			else if (given == null) {
				queries.add(PrefetchQueries.fill(template.getValue(), request.tokens()));
			}
		}
		if (request.fhirServer().isPresent()) {
			resources.addAll(readRemote(request.fhirServer().get(), queries, nextPages));
		}
		else {
			if (!nextPages.isEmpty()) {
				// a next page can only be read from the client's FHIR server, with its
				// token
				throw new DataUnavailableException(
						"A prefetch Bundle has more pages, and the request names no fhirServer");
			}
			resources.addAll(local.readAll(queries, request.tokens().get(PATIENT_ID)));
		}
		return PatientData.of(resources);
	}

	/**
	 * All queries and next pages read in parallel; the call's deadline holds for all of
	 * them together, and at the deadline every exchange still open is cancelled.
	 */
	private List<IBaseResource> readRemote(FhirServerAccess server, List<String> queries, List<String> nextPages) {
		if (queries.isEmpty() && nextPages.isEmpty()) {
			return List.of();
		}
		requireAllowed(server);
		Instant deadline = Instant.now().plus(properties.fhirServerTimeout());
		List<CompletableFuture<?>> exchanges = new ArrayList<>();
		List<CompletableFuture<List<IBaseResource>>> reads = new ArrayList<>();
		try {
			queries.forEach(q -> reads.add(remote.read(server, q, deadline, exchanges)));
			nextPages.forEach(p -> reads.add(remote.nextPages(server, p, deadline, exchanges)));
			CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
				.get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
			List<IBaseResource> resources = new ArrayList<>();
			reads.forEach(read -> resources.addAll(read.join()));
			return resources;
		}
		catch (TimeoutException e) {
			throw new DataUnavailableException(
					"The FHIR server did not answer within " + properties.fhirServerTimeout().toMillis() + " ms");
		}
		catch (ExecutionException e) {
			if (e.getCause() instanceof DataUnavailableException unavailable) {
				throw unavailable;
			}
			throw new DataUnavailableException("Reading the FHIR server failed", e.getCause());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new DataUnavailableException("Interrupted while reading the FHIR server");
		}
		finally {
			reads.forEach(r -> r.cancel(true));
			synchronized (exchanges) {
				exchanges.forEach(x -> x.cancel(true));
			}
		}
	}

	private void requireAllowed(FhirServerAccess server) {
		URI base = OutboundUrls.parse(server.baseUrl());
		if (base == null || !OutboundUrls.isAllowed(base, properties.allowedFhirServers())) {
			throw new DataUnavailableException("fhirServer is not one this service is allowed to read");
		}
	}

}
