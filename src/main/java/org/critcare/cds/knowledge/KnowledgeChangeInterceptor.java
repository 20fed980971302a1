package org.critcare.cds.knowledge;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.critcare.cds.knowledge.KnowledgeStoreReader;
import org.critcare.cds.knowledge.KnowledgeChangeInterceptor;
import org.critcare.cds.knowledge.ServiceCatalog;

/**
 * Rebuilds the knowledge after a transaction that created, changed or deleted a
 * PlanDefinition, Library, ValueSet, CodeSystem or cited evidence resource commits (once
 * per transaction), so that discovery and the services follow the store.
 */
@Component
class KnowledgeChangeInterceptor {

	private final ServiceCatalog catalog;

	KnowledgeChangeInterceptor(ServiceCatalog catalog, IInterceptorService interceptors) {
		this.catalog = catalog;
		interceptors.registerInterceptor(this);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
	public void created(IBaseResource resource) {
		changed(resource);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	public void updated(IBaseResource previous, IBaseResource resource) {
		changed(resource);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
	public void deleted(IBaseResource resource) {
		changed(resource);
	}

	private void changed(IBaseResource resource) {
		if (!KnowledgeStoreReader.KNOWLEDGE_TYPES.contains(resource.fhirType())) {
			return;
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			if (TransactionSynchronizationManager.hasResource(this)) {
				return;
			}
			TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					catalog.refreshLater();
				}

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(KnowledgeChangeInterceptor.this);
				}
			});
		}
		else {
			catalog.refreshLater();
		}
	}

}
