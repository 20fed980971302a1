package org.critcare.cds.patientdata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.beans.factory.DisposableBean;
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
public class PatientDataService implements DisposableBean {

	private final LocalStoreReader local;

	private final RemoteFhirReader remote;

	private final PatientDataProperties properties;

	private final ExecutorService remoteReads = Executors.newFixedThreadPool(8, runnable -> {
		Thread thread = new Thread(runnable, "fhir-server-read");
		thread.setDaemon(true);
		return thread;
	});

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
			queries.forEach(q -> resources.addAll(local.read(q)));
			if (!nextPages.isEmpty()) {
				resources.addAll(readRemote(new FhirServerAccess("", null), List.of(), nextPages));
			}
		}
		return PatientData.of(resources);
	}

	private List<IBaseResource> readRemote(FhirServerAccess server, List<String> queries, List<String> nextPages) {
		if (queries.isEmpty() && nextPages.isEmpty()) {
			return List.of();
		}
		requireAllowed(server);
		Instant deadline = Instant.now().plus(properties.fhirServerTimeout());
		List<CompletableFuture<List<IBaseResource>>> reads = new ArrayList<>();
		queries.forEach(q -> reads.add(async(() -> remote.read(server, q, deadline))));
		nextPages.forEach(p -> reads.add(async(() -> remote.nextPages(server, p, deadline))));
		List<IBaseResource> resources = new ArrayList<>();
		try {
			for (CompletableFuture<List<IBaseResource>> read : reads) {
				resources.addAll(read.join());
			}
		}
		catch (CompletionException e) {
			reads.forEach(r -> r.cancel(true));
			if (e.getCause() instanceof DataUnavailableException unavailable) {
				throw unavailable;
			}
			throw new DataUnavailableException("Reading the FHIR server failed", e.getCause());
		}
		return resources;
	}

	private void requireAllowed(FhirServerAccess server) {
		List<String> allowed = properties.allowedFhirServers();
		if (!server.baseUrl().isEmpty() && !allowed.isEmpty()
				&& allowed.stream().noneMatch(prefix -> server.baseUrl().startsWith(prefix))) {
			throw new DataUnavailableException("fhirServer is not one this service is allowed to read");
		}
	}

	private CompletableFuture<List<IBaseResource>> async(Supplier<List<IBaseResource>> read) {
		return CompletableFuture.supplyAsync(read, remoteReads);
	}

	@Override
	public void destroy() {
		remoteReads.shutdownNow();
	}

}
