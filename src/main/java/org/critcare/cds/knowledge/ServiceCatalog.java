package org.critcare.cds.knowledge;

import ca.uhn.fhir.context.FhirContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.critcare.cds.cql.ClinicalReasoningCaches;
import org.critcare.cds.cql.CqlCompilationException;
import org.critcare.cds.cql.CqlCompiler;
import org.critcare.cds.knowledge.KnowledgeStoreReader.KnowledgeVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.KnowledgeBuilder;
import org.critcare.cds.knowledge.KnowledgeStoreReader;
import org.critcare.cds.knowledge.ServiceCatalog;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.critcare.cds.knowledge.InvalidKnowledgeException;

/**
 * The knowledge the server runs on: the current {@link Knowledge} snapshot, rebuilt from
 * the store at start-up and whenever a knowledge resource changes through {@code /fhir}:
 * at once after a write through this node, and within
 * {@code cds.knowledge.change-check-interval} after a write through another node on the
 * same database, which a periodic check of the stored knowledge's version finds (issue
 * 14). A rebuild compiles off the request path; until it completes, calls use the
 * previous snapshot, and a change that does not compile leaves the previous snapshot in
 * place.
 */
@Component
public class ServiceCatalog implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ServiceCatalog.class);

	private final KnowledgeStoreReader store;

	private final KnowledgeBuilder builder;

	/** Rebuilds and the checks of the store, one at a time. */
	private final ScheduledExecutorService rebuilds = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "knowledge-rebuild");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicBoolean rebuildPending = new AtomicBoolean();

	/**
	 * Committed changes of knowledge resources seen so far, and how many the current
	 * knowledge covers.
	 */
	private final AtomicLong changes = new AtomicLong();

	private long builtThrough = -1;

	/**
	 * The stored knowledge's version that the last rebuild read (or tried to: a version
	 * that did not compile is not tried again); null before the first.
	 */
	private volatile KnowledgeVersion builtFrom;

	private boolean checkFailing;

	private volatile Knowledge current = Knowledge.empty();

	private final ClinicalReasoningCaches clinicalReasoning;

	ServiceCatalog(KnowledgeStoreReader store, CqlCompiler compiler, FhirContext fhirContext,
			ClinicalReasoningCaches clinicalReasoning, KnowledgeProperties properties) {
		this.store = store;
		this.clinicalReasoning = clinicalReasoning;
		this.builder = new KnowledgeBuilder(compiler, fhirContext);
		long every = properties.changeCheckInterval().toMillis();
		rebuilds.scheduleWithFixedDelay(this::checkStore, every, every, TimeUnit.MILLISECONDS);
	}

	/** The knowledge in force. */
	public Knowledge current() {
		return current;
	}

	/**
	 * Rebuilds the knowledge from the store now.
	 * @throws CqlCompilationException when the stored CQL does not compile
	 * @throws InvalidKnowledgeException when a service's rules cannot run on its library
	 */
	public synchronized Knowledge refresh() {
		long started = System.nanoTime();
		long through = changes.get();
		// read first: whatever is committed by then is in the read below
		builtFrom = store.version();
		KnowledgeResources resources = store.read();
		long read = System.nanoTime();
		Knowledge rebuilt = builder.build(resources);
		builtThrough = through;
		current = rebuilt;
		clinicalReasoning.clear();
		log.info(
				"Knowledge loaded in {} ms (read {} ms; resources read from the store: {}): {} CDS services offered {}",
				(System.nanoTime() - started) / 1_000_000, (read - started) / 1_000_000, store.readAnew(),
				rebuilt.services().size(), rebuilt.services().stream().map(ServiceDefinition::id).toList());
		return rebuilt;
	}

	/**
	 * Schedules a rebuild after a transaction changed knowledge resources; changes
	 * already covered by a rebuild (such as the content load's own) cause none.
	 */
	void refreshLater() {
		changes.incrementAndGet();
		if (rebuildPending.compareAndSet(false, true)) {
			rebuilds.execute(() -> {
				rebuildPending.set(false);
				rebuild(this::refreshIfStale);
			});
		}
	}

	private synchronized void refreshIfStale() {
		if (builtThrough < changes.get()) {
			refresh();
		}
	}

	/**
	 * Rebuilds when the stored knowledge's version is not the one last built from: a
	 * change written through another node. Nothing before the first build (the content is
	 * still loading).
	 */
	private void checkStore() {
		KnowledgeVersion built = builtFrom;
		if (built == null) {
			return;
		}
		try {
			if (!store.version().equals(built)) {
				log.info("Knowledge changed in the store through another node: rebuilding");
				rebuild(this::refresh);
			}
			checkFailing = false;
		}
		catch (DataAccessException e) {
			if (!checkFailing) {
				log.warn("Knowledge changes cannot be checked (database unreachable); checking again: {}",
						e.getClass().getSimpleName());
			}
			checkFailing = true;
		}
	}

	private void rebuild(Runnable refresh) {
		try {
			refresh.run();
		}
		catch (CqlCompilationException | InvalidKnowledgeException e) {
			log.error("Knowledge changed in the store but cannot run; keeping the previous knowledge: {}",
					e.getMessage());
		}
	}

	@Override
	public void destroy() {
		rebuilds.shutdownNow();
	}

}
