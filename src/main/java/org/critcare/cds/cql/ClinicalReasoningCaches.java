package org.critcare.cds.cql;

import org.opencds.cqf.fhir.cr.CrSettings;

/**
 * The settings of the clinical-reasoning operations and the compiled-library and
 * value-set caches they hold; {@link #clear()} drops the caches after stored knowledge
 * changed.
 */
public final class ClinicalReasoningCaches {

	private final CrSettings settings;

	ClinicalReasoningCaches(CrSettings settings) {
		this.settings = settings;
	}

	CrSettings settings() {
		return settings;
	}

	/**
	 * Forgets compiled libraries and value-set expansions, so the next operation reads
	 * the store.
	 */
	public void clear() {
		var evaluation = settings.getEvaluationSettings();
		if (evaluation.getLibraryCache() != null) {
			evaluation.getLibraryCache().clear();
		}
		if (evaluation.getValueSetCache() != null) {
			evaluation.getValueSetCache().clear();
		}
	}

}
