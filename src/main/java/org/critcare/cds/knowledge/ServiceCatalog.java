package org.critcare.cds.knowledge;

import ca.uhn.fhir.context.FhirContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.critcare.cds.cql.ClinicalReasoningCaches;
import org.critcare.cds.cql.CqlCompilationException;
import org.critcare.cds.cql.CqlCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.KnowledgeBuilder;
import org.critcare.cds.knowledge.KnowledgeStoreReader;
import org.critcare.cds.knowledge.ServiceCatalog;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.critcare.cds.knowledge.InvalidKnowledgeException;

/**
 * The knowledge the server runs on: the current {@link Knowledge} snapshot, rebuilt from
 * the store at start-up and whenever a knowledge resource changes through {@code /fhir}.
 * A rebuild compiles off the request path; until it completes, calls use the previous
 * snapshot, and a change that does not compile leaves the previous snapshot in place.
 */
@Component
public class ServiceCatalog implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ServiceCatalog.class);

	private final KnowledgeStoreReader store;

	private final KnowledgeBuilder builder;

	private final ExecutorService rebuilds = Executors.newSingleThreadExecutor(runnable -> {
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

	private volatile Knowledge current = Knowledge.empty();

	private final ClinicalReasoningCaches clinicalReasoning;

	ServiceCatalog(KnowledgeStoreReader store, CqlCompiler compiler, FhirContext fhirContext,
			ClinicalReasoningCaches clinicalReasoning) {
		this.store = store;
		this.clinicalReasoning = clinicalReasoning;
		this.builder = new KnowledgeBuilder(compiler, fhirContext);
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
		long through = changes.get();
		Knowledge rebuilt = builder.build(store.read());
		builtThrough = through;
		current = rebuilt;
		clinicalReasoning.clear();
		log.info("Knowledge loaded: {} CDS services offered {}", rebuilt.services().size(),
				rebuilt.services().stream().map(ServiceDefinition::id).toList());
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
				try {
					refreshIfStale();
				}
				catch (CqlCompilationException | InvalidKnowledgeException e) {
					log.error("Knowledge changed in the store but cannot run; keeping the previous knowledge: {}",
							e.getMessage());
				}
			});
		}
	}

	private synchronized void refreshIfStale() {
		if (builtThrough < changes.get()) {
			refresh();
		}
	}

	@Override
	public void destroy() {
		rebuilds.shutdownNow();
	}

}
